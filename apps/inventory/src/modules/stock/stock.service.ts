import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { createEnvelope, EventEnvelope, StockChangedData, Subjects } from '@bogholder/contracts';
import { Outbox } from '@bogholder/messaging';
import { toNumber } from '../../common/numeric';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { returning } from '../../common/sql';

export interface StockReading {
  /** e-conomic's product number. */
  sku: string;
  available: number;
  /** The event that made us read it (default: the run's correlation id). */
  correlationId?: string;
}

const CHUNK = 1000;

/**
 * e-conomic's stock as last read per shop, and what was last sent. Every value that moved since it was
 * last sent becomes a `stock.changed` (outbox) and, when the shop has a callbackUrl, a delivery — in the
 * caller's transaction.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly deliveries: DeliveriesService,
  ) {}

  /**
   * Stores readings taken at `readAt` (a reading older than the stored one is ignored, so a slow
   * reconciliation never overwrites a newer webhook read) and emits the values that moved.
   */
  async apply(manager: EntityManager, shopId: string, readings: StockReading[], readAt: Date, correlationId: string): Promise<EventEnvelope<StockChangedData>[]> {
    const bySku = new Map<string, StockReading>();
    for (const r of readings) bySku.set(r.sku, r);
    const all = [...bySku.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const emitted: EventEnvelope<StockChangedData>[] = [];
    for (let i = 0; i < all.length; i += CHUNK) {
      const chunk = all.slice(i, i + CHUNK);
      const rows: { sku: string; available: string; previous: string | null }[] = await manager.query(
        `INSERT INTO stock AS s (shop_id, sku, economic_available, last_read_at)
         SELECT $1, sku, available, $4 FROM unnest($2::text[], $3::numeric[]) AS u(sku, available) ORDER BY sku
         ON CONFLICT (shop_id, sku) DO UPDATE SET economic_available = EXCLUDED.economic_available, last_read_at = EXCLUDED.last_read_at
         WHERE s.last_read_at <= EXCLUDED.last_read_at
         RETURNING s.sku, s.economic_available::text AS available, s.last_sent_available::text AS previous`,
        [shopId, chunk.map((r) => r.sku), chunk.map((r) => r.available), readAt],
      );
      const moved = rows.filter((r) => r.previous === null || Number(r.previous) !== Number(r.available));
      if (!moved.length) continue;
      await manager.query(
        `UPDATE stock SET last_sent_available = economic_available, last_sent_at = now() WHERE shop_id = $1 AND sku = ANY($2::text[])`,
        [shopId, moved.map((r) => r.sku)],
      );
      const events = moved.map((r) =>
        createEnvelope(Subjects.StockChanged, shopId, { sku: r.sku, available: Number(r.available), previous: toNumber(r.previous) }, bySku.get(r.sku)?.correlationId ?? correlationId),
      );
      await this.outbox.add(manager, ...events);
      await this.deliveries.createFor(manager, shopId, events);
      emitted.push(...events);
    }
    return emitted;
  }

  /**
   * Products that no longer carry stock (deleted, or moved to a group without inventory): forget their
   * stock, so a product that comes back starts again with `previous: null`. Only rows read before
   * `readAt` go (a newer read wins). Answers the forgotten SKUs.
   */
  async forget(manager: EntityManager, shopId: string, skus: string[], readAt: Date): Promise<string[]> {
    if (!skus.length) return [];
    const rows = await returning<{ sku: string }>(
      manager,
      `DELETE FROM stock WHERE shop_id = $1 AND lower(sku) = ANY($2::text[]) AND last_read_at < $3 RETURNING sku`,
      [shopId, [...new Set(skus.map((s) => s.toLowerCase()))], readAt],
    );
    return rows.map((r) => r.sku);
  }

  /** After a full listing: forget every product read before it that the listing no longer has. */
  async forgetUnlisted(manager: EntityManager, shopId: string, listed: string[], readAt: Date): Promise<string[]> {
    const rows = await returning<{ sku: string }>(
      manager,
      `DELETE FROM stock WHERE shop_id = $1 AND last_read_at < $3 AND NOT (sku = ANY($2::text[])) RETURNING sku`,
      [shopId, listed, readAt],
    );
    return rows.map((r) => r.sku);
  }

  async count(shopId: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM stock WHERE shop_id = $1`, [shopId]);
    return row?.n ?? 0;
  }
}
