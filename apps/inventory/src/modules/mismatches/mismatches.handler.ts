import { Injectable } from '@nestjs/common';
import {
  EventEnvelope, InventoryMismatchesReply, OrderPaidData, OrderShippedData, OrderUpdatedData, RpcSubjects, StockSnapshotData, Subjects,
} from '@bogholder/contracts';
import type { HandlerContext } from '@bogholder/messaging';
import { OnEvent, OnRpc } from '@bogholder/service-kit';
import { validRequest } from '../../common/validate';
import { MismatchesRequestDto } from './dto/mismatches.dto';
import { MismatchesService } from './mismatches.service';
import { SkuIntakeService } from './sku-intake.service';

@Injectable()
export class MismatchesHandler {
  constructor(
    private readonly intake: SkuIntakeService,
    private readonly mismatches: MismatchesService,
  ) {}

  @OnEvent(Subjects.ShopOrderPaid)
  async orderPaid(env: EventEnvelope<OrderPaidData>, ctx: HandlerContext): Promise<void> {
    await this.intake.fromOrder(ctx.manager, env);
  }

  @OnEvent(Subjects.ShopOrderShipped)
  async orderShipped(env: EventEnvelope<OrderShippedData>, ctx: HandlerContext): Promise<void> {
    await this.intake.fromOrder(ctx.manager, env);
  }

  @OnEvent(Subjects.ShopOrderUpdated)
  async orderUpdated(env: EventEnvelope<OrderUpdatedData>, ctx: HandlerContext): Promise<void> {
    await this.intake.fromOrder(ctx.manager, env);
  }

  @OnEvent(Subjects.ShopStockSnapshot)
  async stockSnapshot(env: EventEnvelope<StockSnapshotData>, ctx: HandlerContext): Promise<void> {
    await this.intake.fromSnapshot(ctx.manager, env);
  }

  @OnRpc(RpcSubjects.InventoryMismatches)
  async list(request: unknown): Promise<InventoryMismatchesReply> {
    const req = validRequest(MismatchesRequestDto, request);
    return await this.mismatches.list(req.shopId, req.limit ?? 500, req.offset ?? 0);
  }
}
