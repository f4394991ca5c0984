import { Injectable } from '@nestjs/common';
import { DeliveriesListReply, DeliveryView, RpcSubjects } from '@bogholder/contracts';
import { OnRpc } from '@bogholder/service-kit';
import { validRequest } from '../../common/validate';
import { DeliveriesService } from './deliveries.service';
import { DeliveryWorker } from './delivery-worker.service';
import { DeliveriesListDto, RedeliverDto } from './dto/deliveries.dto';

@Injectable()
export class DeliveriesHandler {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly worker: DeliveryWorker,
  ) {}

  @OnRpc(RpcSubjects.InventoryDeliveries)
  async list(request: unknown): Promise<DeliveriesListReply> {
    return await this.deliveries.list(validRequest(DeliveriesListDto, request));
  }

  @OnRpc(RpcSubjects.InventoryRedeliver)
  async redeliver(request: unknown): Promise<DeliveryView> {
    const view = await this.deliveries.redeliver(validRequest(RedeliverDto, request));
    this.worker.wake();
    return view;
  }
}
