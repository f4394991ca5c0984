import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { createEnvelope, InventoryMismatchData, InventoryMismatchesReply, InventoryMismatchView, Subjects } from '@bogholder/contracts';
import { Outbox } from '@bogholder/messaging';
import { toIso, toNumber } from '../../common/numeric';

type Kind = InventoryMismatchView['kind'];

interface Wanted {
  sku: string;
  kind: Kind;
  shopQuantity: number | null;
  economicQuantity: number | null;
}

const key = (sku: string, kind: Kind) => `${kind}\u0000${sku}`;
const OUTBOX_CHUNK = 1000;

/**
 * SKUs on which the shop and e-conomic disagree:
 * - `missing-in-economic`: the shop sells it (order line or snapshot) but e-conomic has no such product;
 * - `stock-differs`: the shop's snapshot quantity differs from e-conomic's `available`, and no
 *   stock.changed went out after the snapshot (one that did makes the snapshot out of date).
 * `inventory.mismatch` is emitted when a mismatch appears or its quantities change; a mismatch that no
 * longer holds is resolved and leaves the list.
 */
@Injectable()
export class MismatchesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  /** Re-evaluates a shop's mismatches (all SKUs, or just `skus`) and emits what appeared or changed. */
  async evaluate(manager: EntityManager, shopId: string, correlationId: string, skus?: string[]): Promise<number> {
    const scope = skus ? [...new Set(skus.map((s) => s.toLowerCase()))] : null;
    if (scope && !scope.length) return 0;
    // One evaluation per shop at a time (across replicas), so a mismatch is emitted once, not by two racing runs.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':inventory-mismatches'), hashtext($1))`, [shopId]);
    const facts: { sku: string; shop_quantity: string | null; economic_exists: boolean | null; available: string | null; superseded: boolean }[] = await manager.query(
      `SELECT k.sku, k.shop_quantity::text, k.economic_exists, s.economic_available::text AS available,
              COALESCE(s.last_sent_at > k.quantity_at, false) AS superseded
         FROM shop_skus k
         LEFT JOIN LATERAL (SELECT economic_available, last_sent_at FROM stock s
                             WHERE s.shop_id = k.shop_id AND lower(s.sku) = lower(k.sku) ORDER BY s.last_read_at DESC LIMIT 1) s ON true
        WHERE k.shop_id = $1 AND ($2::text[] IS NULL OR lower(k.sku) = ANY($2::text[]))`,
      [shopId, scope],
    );
    const open: { sku: string; kind: Kind; shop_quantity: string | null; economic_quantity: string | null }[] = await manager.query(
      `SELECT sku, kind, shop_quantity::text, economic_quantity::text FROM mismatches
        WHERE shop_id = $1 AND resolved_at IS NULL AND ($2::text[] IS NULL OR lower(sku) = ANY($2::text[]))`,
      [shopId, scope],
    );

    const unknown = new Set<string>();
    const wanted = new Map<string, Wanted>();
    for (const f of facts) {
      const shopQuantity = toNumber(f.shop_quantity);
      const available = toNumber(f.available);
      if (f.economic_exists === null) unknown.add(f.sku);
      else if (!f.economic_exists) wanted.set(key(f.sku, 'missing-in-economic'), { sku: f.sku, kind: 'missing-in-economic', shopQuantity, economicQuantity: null });
      else if (shopQuantity !== null && available !== null && !f.superseded && shopQuantity !== available) {
        wanted.set(key(f.sku, 'stock-differs'), { sku: f.sku, kind: 'stock-differs', shopQuantity, economicQuantity: available });
      }
    }
    const openByKey = new Map(open.map((o) => [key(o.sku, o.kind), o]));
    const changed: Wanted[] = [];
    for (const [k, w] of wanted) {
      const o = openByKey.get(k);
      if (!o || toNumber(o.shop_quantity) !== w.shopQuantity || toNumber(o.economic_quantity) !== w.economicQuantity) changed.push(w);
    }
    // A SKU we cannot judge right now (not looked up yet) keeps what it had.
    const resolved = open.filter((o) => !wanted.has(key(o.sku, o.kind)) && !unknown.has(o.sku));

    if (changed.length) {
      await manager.query(
        `INSERT INTO mismatches (shop_id, sku, kind, shop_quantity, economic_quantity)
         SELECT $1, sku, kind, sq, eq FROM unnest($2::text[], $3::text[], $4::numeric[], $5::numeric[]) AS u(sku, kind, sq, eq) ORDER BY sku, kind
         ON CONFLICT (shop_id, sku, kind) DO UPDATE SET shop_quantity = EXCLUDED.shop_quantity, economic_quantity = EXCLUDED.economic_quantity,
           detected_at = CASE WHEN mismatches.resolved_at IS NULL THEN mismatches.detected_at ELSE now() END, resolved_at = NULL, updated_at = now()`,
        [shopId, changed.map((c) => c.sku), changed.map((c) => c.kind), changed.map((c) => c.shopQuantity), changed.map((c) => c.economicQuantity)],
      );
      const events = changed.map((c) => {
        const data: InventoryMismatchData = { sku: c.sku, kind: c.kind };
        if (c.shopQuantity !== null) data.shopQuantity = c.shopQuantity;
        if (c.economicQuantity !== null) data.economicQuantity = c.economicQuantity;
        return createEnvelope(Subjects.InventoryMismatch, shopId, data, correlationId);
      });
      for (let i = 0; i < events.length; i += OUTBOX_CHUNK) await this.outbox.add(manager, ...events.slice(i, i + OUTBOX_CHUNK));
    }
    if (resolved.length) {
      await manager.query(
        `UPDATE mismatches m SET resolved_at = now(), updated_at = now() FROM unnest($2::text[], $3::text[]) AS u(sku, kind)
          WHERE m.shop_id = $1 AND m.sku = u.sku AND m.kind = u.kind AND m.resolved_at IS NULL`,
        [shopId, resolved.map((r) => r.sku), resolved.map((r) => r.kind)],
      );
    }
    return changed.length;
  }

  async list(shopId: string, limit: number, offset: number): Promise<InventoryMismatchesReply> {
    const rows: { sku: string; kind: Kind; shop_quantity: string | null; economic_quantity: string | null; detected_at: Date; total: number }[] = await this.dataSource.query(
      `SELECT sku, kind, shop_quantity::text, economic_quantity::text, detected_at, count(*) OVER ()::int AS total
         FROM mismatches WHERE shop_id = $1 AND resolved_at IS NULL ORDER BY sku, kind LIMIT $2 OFFSET $3`,
      [shopId, limit, offset],
    );
    const total = rows[0]?.total ?? (offset > 0 ? await this.openCount(shopId) : 0);
    return {
      items: rows.map((r) => ({ sku: r.sku, kind: r.kind, shopQuantity: toNumber(r.shop_quantity), economicQuantity: toNumber(r.economic_quantity), detectedAt: toIso(r.detected_at)! })),
      total,
    };
  }

  async openCount(shopId: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM mismatches WHERE shop_id = $1 AND resolved_at IS NULL`, [shopId]);
    return row?.n ?? 0;
  }
}
