import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SyncStateEntity, SyncStateStatus } from './entities/sync-state.entity';

export interface DueShop {
  shopId: string;
  agreementNumber: number | null;
  grantTokenEncrypted: string;
  intervalSeconds: number;
}

/** When each shop's stock is reconciled next, and how the last run went. */
@Injectable()
export class SyncStateService {
  constructor(private readonly dataSource: DataSource) {}

  async get(shopId: string, manager: EntityManager = this.dataSource.manager): Promise<SyncStateEntity | null> {
    return await manager.findOne(SyncStateEntity, { where: { shopId } });
  }

  /** Makes the shop due now (stock sync switched on, settings changed, reconnected, snapshot received). */
  async dueNow(manager: EntityManager, shopId: string): Promise<void> {
    await manager.query(
      `INSERT INTO sync_state (shop_id, next_run_at, consecutive_failures) VALUES ($1, now(), 0)
       ON CONFLICT (shop_id) DO UPDATE SET next_run_at = now(), consecutive_failures = 0, updated_at = now()`,
      [shopId],
    );
  }

  /**
   * Connected shops with stock sync on whose reconciliation is due, oldest first. Reads this service's
   * copy of shop connections and settings (`shop_config`, kept by the service kit's ShopDirectory).
   */
  async dueShops(limit: number): Promise<DueShop[]> {
    const rows: { shop_id: string; agreement_number: number | null; grant_token_encrypted: string; interval: number | null }[] = await this.dataSource.query(
      `SELECT c.shop_id, c.agreement_number, c.grant_token_encrypted, (c.settings->>'stockSyncIntervalSeconds')::int AS interval
         FROM shop_config c LEFT JOIN sync_state s ON s.shop_id = c.shop_id
        WHERE c.connected AND c.grant_token_encrypted IS NOT NULL AND (c.settings->>'stockSync')::boolean IS TRUE
          AND (s.next_run_at IS NULL OR s.next_run_at <= now())
        ORDER BY s.next_run_at NULLS FIRST
        LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ shopId: r.shop_id, agreementNumber: r.agreement_number, grantTokenEncrypted: r.grant_token_encrypted, intervalSeconds: r.interval ?? 60 }));
  }

  /** Connected shops with stock sync on that read the same agreement (each reconciles it on its own). */
  async shopsSharing(agreementNumber: number | null): Promise<number> {
    if (agreementNumber === null) return 1;
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM shop_config WHERE connected AND agreement_number = $1 AND (settings->>'stockSync')::boolean IS TRUE`,
      [agreementNumber],
    );
    return Math.max(1, row?.n ?? 1);
  }

  async recordSuccess(shopId: string, result: { productsRead: number; changesSent: number; effectiveIntervalSeconds: number; message: string; startedAt: Date }, manager: EntityManager = this.dataSource.manager): Promise<SyncStateStatus | null> {
    return await this.record(manager, shopId, {
      status: 'ok',
      message: result.message,
      lastReconciledAt: result.startedAt,
      nextRunInSeconds: result.effectiveIntervalSeconds,
      productsRead: result.productsRead,
      changesSent: result.changesSent,
      effectiveIntervalSeconds: result.effectiveIntervalSeconds,
      failed: false,
      startedAt: result.startedAt,
    });
  }

  /** Records a run that could not read stock; answers the status it had before (to log a change once). */
  async recordProblem(shopId: string, status: 'no-inventory-module' | 'error', message: string, retryInSeconds: number, failed: boolean, startedAt: Date, manager: EntityManager = this.dataSource.manager): Promise<SyncStateStatus | null> {
    return await this.record(manager, shopId, { status, message, lastReconciledAt: null, nextRunInSeconds: retryInSeconds, failed, startedAt });
  }

  /** Leaves a message without rescheduling (e.g. the fast path found the inventory module off). */
  async note(manager: EntityManager, shopId: string, status: 'no-inventory-module' | 'error', message: string): Promise<SyncStateStatus | null> {
    const rows: { previous: SyncStateStatus | null }[] = await manager.query(
      `WITH old AS (SELECT status FROM sync_state WHERE shop_id = $1)
       INSERT INTO sync_state (shop_id, status, message) VALUES ($1, $2, $3)
       ON CONFLICT (shop_id) DO UPDATE SET status = EXCLUDED.status, message = EXCLUDED.message, updated_at = now()
       RETURNING (SELECT status FROM old) AS previous`,
      [shopId, status, message],
    );
    return rows[0]?.previous ?? null;
  }

  private async record(manager: EntityManager, shopId: string, r: {
    status: SyncStateStatus; message: string; lastReconciledAt: Date | null; nextRunInSeconds: number; failed: boolean; startedAt: Date;
    productsRead?: number; changesSent?: number; effectiveIntervalSeconds?: number;
  }): Promise<SyncStateStatus | null> {
    const rows: { previous: SyncStateStatus | null }[] = await manager.query(
      `WITH old AS (SELECT status FROM sync_state WHERE shop_id = $1)
       INSERT INTO sync_state (shop_id, status, message, last_reconciled_at, last_attempt_at, next_run_at, consecutive_failures,
                               products_read, changes_sent, effective_interval_seconds)
       VALUES ($1, $2, $3, $4, now(), now() + ($5::int * interval '1 second'), CASE WHEN $6 THEN 1 ELSE 0 END, $7, $8, $9)
       ON CONFLICT (shop_id) DO UPDATE SET status = EXCLUDED.status, message = EXCLUDED.message,
         last_reconciled_at = COALESCE(EXCLUDED.last_reconciled_at, sync_state.last_reconciled_at),
         last_attempt_at = now(),
         -- a request to run now that came in during this run (settings changed, reconnected) is kept
         next_run_at = CASE WHEN sync_state.next_run_at > $10 THEN LEAST(sync_state.next_run_at, EXCLUDED.next_run_at) ELSE EXCLUDED.next_run_at END,
         consecutive_failures = CASE WHEN $6 THEN sync_state.consecutive_failures + 1 ELSE 0 END,
         products_read = COALESCE(EXCLUDED.products_read, sync_state.products_read),
         changes_sent = COALESCE(EXCLUDED.changes_sent, sync_state.changes_sent),
         effective_interval_seconds = COALESCE(EXCLUDED.effective_interval_seconds, sync_state.effective_interval_seconds),
         updated_at = now()
       RETURNING (SELECT status FROM old) AS previous`,
      [shopId, r.status, r.message, r.lastReconciledAt, Math.max(1, Math.round(r.nextRunInSeconds)), r.failed, r.productsRead ?? null, r.changesSent ?? null, r.effectiveIntervalSeconds ?? null, r.startedAt],
    );
    return rows[0]?.previous ?? null;
  }
}
