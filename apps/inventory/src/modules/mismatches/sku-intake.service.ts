import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { EventEnvelope, StockSnapshotData } from '@bogholder/contracts';
import { ShopDirectory } from '@bogholder/service-kit';
import { InventoryEnv } from '../../config/env';
import { RefreshQueueService } from '../refresh/refresh-queue.service';
import { ShopSkusService } from './shop-skus.service';

/** SKUs the shop sells arrive with its orders and stock snapshots; new ones are looked up in e-conomic. */
@Injectable()
export class SkuIntakeService {
  constructor(
    private readonly skus: ShopSkusService,
    private readonly refresh: RefreshQueueService,
    private readonly directory: ShopDirectory,
    @Inject(InventoryEnv) private readonly env: InventoryEnv,
  ) {}

  /** Order lines: SKUs not looked up yet are queued for a look-up (once; the answer is kept). */
  async fromOrder(manager: EntityManager, env: EventEnvelope<{ order: { lines: { sku: string }[] } }>): Promise<void> {
    const unchecked = await this.skus.recordFromOrder(manager, env.shopId, env.data.order.lines.map((l) => l.sku), env.occurredAt);
    if (unchecked.length && (await this.syncing(manager, env.shopId))) {
      await this.refresh.request(manager, env.shopId, unchecked, env.correlationId, this.env.INVENTORY_COALESCE_MS);
    }
  }

  /** A stock snapshot: its quantities are compared with e-conomic's once fresh values are read. */
  async fromSnapshot(manager: EntityManager, env: EventEnvelope<StockSnapshotData>): Promise<void> {
    await this.skus.recordSnapshot(manager, env.shopId, env.data.items, env.occurredAt);
    if (await this.syncing(manager, env.shopId)) {
      await this.refresh.request(manager, env.shopId, env.data.items.map((i) => i.sku), env.correlationId, this.env.INVENTORY_COALESCE_MS);
    }
  }

  private async syncing(manager: EntityManager, shopId: string): Promise<boolean> {
    const shop = await this.directory.get(shopId, manager);
    return shop.connected && shop.settings.stockSync;
  }
}
