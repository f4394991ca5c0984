import { Injectable } from '@nestjs/common';
import {
  DeliveriesListReply, DeliveriesListRequest, DeliveryView, InventoryMismatchesReply, InventoryStatusReply, ReconcileReply, RedeliverRequest, RpcSubjects, ShopScopedRequest,
} from '@bogholder/contracts';
import { RpcClient } from '@bogholder/messaging';
import { relay } from '../../common/rpc-relay';
import { ShopsService } from '../shops/shops.service';
import { DeliveriesQueryDto } from './dto/inventory.dto';

/** Stock mismatches, stock-sync status and stock.changed deliveries: answered by the inventory service over request/reply. */
@Injectable()
export class InventoryService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly shops: ShopsService,
  ) {}

  async mismatches(shopId: string): Promise<InventoryMismatchesReply> {
    await this.shops.requireShop(shopId);
    return await relay<InventoryMismatchesReply>(this.rpc, RpcSubjects.InventoryMismatches, { shopId } satisfies ShopScopedRequest, 'inventory');
  }

  async status(shopId: string): Promise<InventoryStatusReply> {
    await this.shops.requireShop(shopId);
    return await relay<InventoryStatusReply>(this.rpc, RpcSubjects.InventoryStatus, { shopId } satisfies ShopScopedRequest, 'inventory');
  }

  async deliveries(shopId: string, query: DeliveriesQueryDto): Promise<DeliveriesListReply> {
    await this.shops.requireShop(shopId);
    const request: DeliveriesListRequest = { shopId, limit: query.limit, offset: query.offset };
    if (query.status) request.status = query.status;
    return await relay<DeliveriesListReply>(this.rpc, RpcSubjects.InventoryDeliveries, request, 'inventory');
  }

  async reconcile(shopId: string): Promise<ReconcileReply> {
    await this.shops.requireShop(shopId);
    return await relay<ReconcileReply>(this.rpc, RpcSubjects.InventoryReconcile, { shopId } satisfies ShopScopedRequest, 'inventory', 60_000);
  }

  async redeliver(shopId: string, deliveryId: string): Promise<DeliveryView> {
    await this.shops.requireShop(shopId);
    return await relay<DeliveryView>(this.rpc, RpcSubjects.InventoryRedeliver, { shopId, deliveryId } satisfies RedeliverRequest, 'inventory');
  }
}
