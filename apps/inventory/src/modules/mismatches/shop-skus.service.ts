import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

const lower = (skus: string[]) => [...new Set(skus.map((s) => s.toLowerCase()))];

/** The SKUs a shop sells (from order lines and stock snapshots) and whether e-conomic has them. */
@Injectable()
export class ShopSkusService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records SKUs from an order; answers those not yet looked up in e-conomic. */
  async recordFromOrder(manager: EntityManager, shopId: string, skus: string[], seenAt: string): Promise<string[]> {
    const unique = [...new Set(skus)];
    if (!unique.length) return [];
    const rows: { sku: string; economic_exists: boolean | null }[] = await manager.query(
      `INSERT INTO shop_skus (shop_id, sku, source, seen_at)
       SELECT $1, sku, 'order', $3 FROM unnest($2::text[]) AS u(sku) ORDER BY sku
       ON CONFLICT (shop_id, sku) DO UPDATE SET seen_at = GREATEST(shop_skus.seen_at, EXCLUDED.seen_at)
       RETURNING sku, economic_exists`,
      [shopId, unique, seenAt],
    );
    return rows.filter((r) => r.economic_exists === null).map((r) => r.sku);
  }

  /** Records a snapshot's quantities (an older snapshot never overwrites a newer one). */
  async recordSnapshot(manager: EntityManager, shopId: string, items: { sku: string; quantity: number }[], takenAt: string): Promise<void> {
    const bySku = new Map<string, number>();
    for (const item of items) bySku.set(item.sku, item.quantity);
    if (!bySku.size) return;
    await manager.query(
      `INSERT INTO shop_skus (shop_id, sku, shop_quantity, source, seen_at, quantity_at)
       SELECT $1, sku, quantity, 'snapshot', $4, $4 FROM unnest($2::text[], $3::numeric[]) AS u(sku, quantity) ORDER BY sku
       ON CONFLICT (shop_id, sku) DO UPDATE SET shop_quantity = EXCLUDED.shop_quantity, source = 'snapshot',
         seen_at = GREATEST(shop_skus.seen_at, EXCLUDED.seen_at), quantity_at = EXCLUDED.quantity_at
       WHERE shop_skus.quantity_at IS NULL OR shop_skus.quantity_at <= EXCLUDED.quantity_at`,
      [shopId, [...bySku.keys()], [...bySku.values()], takenAt],
    );
  }

  /** Stores what e-conomic answered for these SKUs (matched without regard to case, like e-conomic). */
  async markChecked(manager: EntityManager, shopId: string, results: { sku: string; exists: boolean }[]): Promise<void> {
    if (!results.length) return;
    const byKey = new Map(results.map((r) => [r.sku.toLowerCase(), r.exists]));
    // Rows are locked in SKU order, so two runs checking overlapping SKUs never deadlock.
    await manager.query(
      `WITH u AS (SELECT * FROM unnest($2::text[], $3::boolean[]) AS u(sku, e)),
            locked AS (SELECT k.sku, u.e FROM shop_skus k JOIN u ON lower(k.sku) = u.sku WHERE k.shop_id = $1 ORDER BY k.sku FOR UPDATE OF k)
       UPDATE shop_skus k SET economic_exists = locked.e, checked_at = now() FROM locked WHERE k.shop_id = $1 AND k.sku = locked.sku`,
      [shopId, [...byKey.keys()], [...byKey.values()]],
    );
  }

  /** A product webhook named these SKUs: what we knew about them may be out of date. */
  async forget(manager: EntityManager, shopId: string, skus: string[]): Promise<void> {
    if (!skus.length) return;
    await manager.query(`UPDATE shop_skus SET economic_exists = NULL WHERE shop_id = $1 AND lower(sku) = ANY($2::text[])`, [shopId, lower(skus)]);
  }

  /** SKUs not looked up in e-conomic yet. */
  async unchecked(manager: EntityManager, shopId: string): Promise<string[]> {
    const rows: { sku: string }[] = await manager.query(`SELECT sku FROM shop_skus WHERE shop_id = $1 AND economic_exists IS NULL`, [shopId]);
    return rows.map((r) => r.sku);
  }

  async count(shopId: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM shop_skus WHERE shop_id = $1`, [shopId]);
    return row?.n ?? 0;
  }
}
