import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DeliveriesListReply, DeliveryView, EventEnvelope, StockChangedData } from '@bogholder/contracts';
import { DeliveryNotFoundError } from '../../common/errors';
import { toIso } from '../../common/numeric';
import { deliverySchedule, InventoryEnv } from '../../config/env';
import { ShopProfilesService } from '../shops/shop-profiles.service';
import { DeliveriesListDto, RedeliverDto } from './dto/deliveries.dto';
import { DeliveryEntity, DeliveryPayload } from './entities/delivery.entity';
import { returning } from '../../common/sql';

export function deliveryView(d: DeliveryEntity): DeliveryView {
  return {
    id: d.id,
    sku: d.sku,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'pending' ? toIso(d.nextAttemptAt) : null,
    createdAt: toIso(d.createdAt)!,
    deliveredAt: toIso(d.deliveredAt),
    eventId: d.id,
    lastStatusCode: d.lastStatusCode,
    data: d.payload.data as DeliveryView['data'],
  };
}

/** The log of stock.changed deliveries to shops' callback URLs. */
@Injectable()
export class DeliveriesService {
  private readonly firstDelayMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ShopProfilesService,
    @Inject(InventoryEnv) env: InventoryEnv,
  ) {
    this.firstDelayMs = deliverySchedule(env)[0] ?? 0;
  }

  /**
   * One delivery per event, in the transaction that writes the events to the outbox. A shop without a
   * callbackUrl gets none (the events are still published on NATS); answers how many were created.
   */
  async createFor(manager: EntityManager, shopId: string, events: EventEnvelope<StockChangedData>[]): Promise<number> {
    if (!events.length) return 0;
    const profile = await this.profiles.get(shopId, manager);
    if (!profile?.callbackUrl) return 0;
    const payloads: DeliveryPayload[] = events.map((e) => ({ type: 'stock.changed', timestamp: e.occurredAt, data: e.data }));
    await manager.query(
      `INSERT INTO deliveries (id, shop_id, sku, payload, next_attempt_at)
       SELECT id, $1, sku, payload, now() + ($5::int * interval '1 millisecond')
         FROM unnest($2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS d(id, sku, payload, n)
        ORDER BY n
       ON CONFLICT (id) DO NOTHING`,
      [shopId, events.map((e) => e.id), events.map((e) => e.data.sku), payloads.map((p) => JSON.stringify(p)), this.firstDelayMs],
    );
    return events.length;
  }

  async list(req: DeliveriesListDto): Promise<DeliveriesListReply> {
    const qb = this.dataSource.manager.createQueryBuilder(DeliveryEntity, 'd').where('d.shopId = :shopId', { shopId: req.shopId });
    if (req.status) qb.andWhere('d.status = :status', { status: req.status });
    const [rows, total] = await qb.orderBy('d.createdAt', 'DESC').addOrderBy('d.seq', 'DESC').skip(req.offset).take(req.limit).getManyAndCount();
    return { items: rows.map(deliveryView), total };
  }

  /** Sends a delivery again now, with a fresh retry schedule (the shop dedupes by `webhook-id`). */
  async redeliver(req: RedeliverDto): Promise<DeliveryView> {
    const rows = await returning<{ id: string }>(
      this.dataSource,
      `UPDATE deliveries SET status = 'pending', next_attempt_at = now(), round_attempts = 0, updated_at = now()
        WHERE id = $1 AND shop_id = $2 RETURNING id`,
      [req.deliveryId, req.shopId],
    );
    if (!rows.length) throw new DeliveryNotFoundError(req.shopId, req.deliveryId);
    return deliveryView((await this.dataSource.manager.findOneByOrFail(DeliveryEntity, { id: req.deliveryId })));
  }

  async counts(shopId: string): Promise<{ pending: number; dead: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'dead')::int AS dead
         FROM deliveries WHERE shop_id = $1`,
      [shopId],
    );
    return { pending: row?.pending ?? 0, dead: row?.dead ?? 0 };
  }
}
