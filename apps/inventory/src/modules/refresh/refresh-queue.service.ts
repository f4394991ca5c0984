import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returning } from '../../common/sql';

export interface ClaimedRefresh {
  sku: string;
  version: number;
  attempts: number;
  correlationId: string;
}

type Listener = (delayMs: number) => void;

/**
 * Products to read again soon, one row per (shop, SKU): a burst of webhooks for one SKU keeps one row
 * (and its first due time), so it costs one read. Rows are leased, not deleted, while they are read, and
 * a request that arrives during the read bumps `version` so it is read once more.
 */
@Injectable()
export class RefreshQueueService {
  private readonly listeners: Listener[] = [];

  constructor(private readonly dataSource: DataSource) {}

  /** Called (after `delayMs`) when something was queued: the worker wakes up instead of waiting for its poll. */
  onRequested(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Queues SKUs to be read `delayMs` from now (a SKU already waiting keeps its earlier due time). */
  async request(manager: EntityManager, shopId: string, skus: string[], correlationId: string, delayMs: number): Promise<void> {
    const unique = [...new Set(skus.filter((s) => s.length > 0))];
    if (!unique.length) return;
    await manager.query(
      `INSERT INTO product_refresh (shop_id, sku, due_at, correlation_id)
       SELECT $1, sku, now() + ($3::int * interval '1 millisecond'), $4 FROM unnest($2::text[]) AS u(sku) ORDER BY sku
       ON CONFLICT (shop_id, sku) DO UPDATE SET
         version = product_refresh.version + 1,
         -- while it is being read, this request will cause the next read: it gets its own due time and correlation id
         due_at = CASE WHEN product_refresh.leased_until > now() THEN EXCLUDED.due_at ELSE LEAST(product_refresh.due_at, EXCLUDED.due_at) END,
         correlation_id = CASE WHEN product_refresh.leased_until > now() THEN EXCLUDED.correlation_id ELSE product_refresh.correlation_id END`,
      [shopId, unique, Math.round(delayMs), correlationId],
    );
    for (const l of this.listeners) l(delayMs);
  }

  /** Shops with rows that are due and not leased. */
  async dueShops(limit: number): Promise<string[]> {
    const rows: { shop_id: string }[] = await this.dataSource.query(
      `SELECT shop_id FROM product_refresh WHERE due_at <= now() AND (leased_until IS NULL OR leased_until <= now())
        GROUP BY shop_id ORDER BY min(due_at) LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.shop_id);
  }

  /** Leases up to `max` due rows of a shop (replica-safe: FOR UPDATE SKIP LOCKED). */
  async claim(shopId: string, max: number, leaseMs: number): Promise<ClaimedRefresh[]> {
    const rows = await returning<{ sku: string; version: number; attempts: number; correlation_id: string }>(
      this.dataSource,
      `UPDATE product_refresh r SET leased_until = now() + ($3::int * interval '1 millisecond'), attempts = r.attempts + 1
        WHERE (r.shop_id, r.sku) IN (
          SELECT shop_id, sku FROM product_refresh
           WHERE shop_id = $1 AND due_at <= now() AND (leased_until IS NULL OR leased_until <= now())
           ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING r.sku, r.version, r.attempts, r.correlation_id`,
      [shopId, max, leaseMs],
    );
    return rows.map((r) => ({ sku: r.sku, version: r.version, attempts: r.attempts, correlationId: r.correlation_id }));
  }

  /** The rows were read: remove them, unless they were requested again meanwhile (then they are due again). */
  async done(shopId: string, items: ClaimedRefresh[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (!items.length) return;
    const skus = items.map((i) => i.sku);
    const versions = items.map((i) => i.version);
    await manager.query(
      `DELETE FROM product_refresh r USING unnest($2::text[], $3::int[]) AS d(sku, version)
        WHERE r.shop_id = $1 AND r.sku = d.sku AND r.version = d.version`,
      [shopId, skus, versions],
    );
    await manager.query(
      `UPDATE product_refresh SET leased_until = NULL, attempts = 0 WHERE shop_id = $1 AND sku = ANY($2::text[])`,
      [shopId, skus],
    );
  }

  /** The read failed: try these again after `delayMs`. */
  async retry(shopId: string, items: ClaimedRefresh[], delayMs: number): Promise<void> {
    if (!items.length) return;
    await this.dataSource.query(
      `UPDATE product_refresh SET leased_until = NULL, due_at = now() + ($3::int * interval '1 millisecond')
        WHERE shop_id = $1 AND sku = ANY($2::text[])`,
      [shopId, items.map((i) => i.sku), Math.round(delayMs)],
    );
  }

  /** The shop was disconnected or switched stock sync off: nothing of it needs reading. */
  async drop(shopId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`DELETE FROM product_refresh WHERE shop_id = $1`, [shopId]);
  }
}
