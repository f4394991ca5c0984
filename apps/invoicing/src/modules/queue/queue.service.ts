import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { JobKind } from './entities/job.entity';
import { rowsOf } from '../../database/sql';

/** A job this replica holds the lease of. Settled once the processor deleted or rescheduled it. */
export interface ClaimedJob {
  id: string;
  shopId: string;
  kind: JobKind;
  orderId: string;
  subId: string;
  /** How often it has been claimed (1 on the first run): consecutive failures + 1. */
  attempts: number;
  generation: number;
  settled: boolean;
  /**
   * For invoice jobs: the transfer row and its shop's row as they were when the job was claimed (read
   * in the claiming statement, so the job starts without another round trip).
   */
  context?: { transfer: Record<string, unknown> | null; shop: Record<string, unknown> | null };
}

export interface EnqueueRequest {
  shopId: string;
  kind: JobKind;
  orderId: string;
  subId?: string;
  /** Run after this delay (default: now). */
  delayMs?: number;
}

const WAKE_FLAG = 'bogholderInvoicingWake';

/**
 * The work queue in PostgreSQL. Writers enqueue in their own transaction (the worker is woken right
 * after that transaction commits); replicas claim due jobs with fairness across shops: each shop
 * gets at most `perShop` running jobs, and shops are interleaved round-robin by their oldest due job.
 */
@Injectable()
export class QueueService implements OnModuleInit {
  private readonly wakeListeners: (() => void)[] = [];

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    // Wake the worker once a transaction that enqueued work has committed (never before: it would not see it).
    this.dataSource.subscribers.push({
      afterTransactionCommit: (event) => {
        const data = event.queryRunner?.data as Record<string, unknown> | undefined;
        if (data?.[WAKE_FLAG]) {
          data[WAKE_FLAG] = false;
          this.wake();
        }
      },
    });
  }

  onWake(listener: () => void): void {
    this.wakeListeners.push(listener);
  }

  wake(): void {
    for (const l of this.wakeListeners) l();
  }

  wakeAfterCommit(manager: EntityManager): void {
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      runner.data = { ...(runner.data ?? {}), [WAKE_FLAG]: true };
    } else {
      this.wake();
    }
  }

  /** Requests a run (an existing job runs at the earlier of its time and this one, and again if it is running now). */
  async enqueue(manager: EntityManager, request: EnqueueRequest): Promise<void> {
    const { sql, params } = this.enqueueStatement(request);
    await manager.query(sql, params);
    this.wakeAfterCommit(manager);
  }

  /** The INSERT of `enqueue`, to run inside another statement; its parameters are numbered after `offset`. */
  enqueueStatement(request: EnqueueRequest, offset = 0): { sql: string; params: unknown[] } {
    const p = (n: number) => `$${offset + n}`;
    return {
      sql: `INSERT INTO jobs (shop_id, kind, order_id, sub_id, run_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, now() + ${p(5)}::int * interval '1 millisecond')
       ON CONFLICT (shop_id, kind, order_id, sub_id)
       DO UPDATE SET run_at = LEAST(jobs.run_at, EXCLUDED.run_at), generation = jobs.generation + 1`,
      params: [request.shopId, request.kind, request.orderId, request.subId ?? '', request.delayMs ?? 0],
    };
  }

  /** The same for many orders of one shop. */
  async enqueueMany(manager: EntityManager, shopId: string, kind: JobKind, keys: { orderId: string; subId?: string }[]): Promise<void> {
    if (!keys.length) return;
    await manager.query(
      `INSERT INTO jobs (shop_id, kind, order_id, sub_id)
       SELECT $1, $2, o, s FROM unnest($3::text[], $4::text[]) AS t(o, s)
       ON CONFLICT (shop_id, kind, order_id, sub_id)
       DO UPDATE SET run_at = LEAST(jobs.run_at, EXCLUDED.run_at), generation = jobs.generation + 1`,
      [shopId, kind, keys.map((k) => k.orderId), keys.map((k) => k.subId ?? '')],
    );
    this.wakeAfterCommit(manager);
  }

  /** Removes work that must not run (its order waits for something else now). */
  async cancel(manager: EntityManager, shopId: string, kind: JobKind, orderIds: string[]): Promise<void> {
    if (!orderIds.length) return;
    await manager.query(`DELETE FROM jobs WHERE shop_id = $1 AND kind = $2 AND order_id = ANY($3::text[])`, [shopId, kind, orderIds]);
  }

  /** The job is done: delete it, unless more work was requested while it ran (then it runs again). */
  async complete(manager: EntityManager, job: ClaimedJob, owner: string): Promise<void> {
    const deleted: unknown[] = await rowsOf(manager, `DELETE FROM jobs WHERE id = $1 AND generation = $2 AND lease_owner = $3 RETURNING 1`, [job.id, job.generation, owner]);
    if (!deleted.length) {
      const again: unknown[] = await rowsOf(manager, `UPDATE jobs SET lease_until = NULL, lease_owner = NULL WHERE id = $1 AND lease_owner = $2 RETURNING 1`, [job.id, owner]);
      if (again.length) this.wakeAfterCommit(manager);
    }
    job.settled = true;
  }

  /** Run the job again after `delayMs` (sooner if more work was requested while it ran). */
  async retryLater(manager: EntityManager, job: ClaimedJob, owner: string, delayMs: number): Promise<void> {
    await manager.query(
      `UPDATE jobs SET run_at = CASE WHEN generation = $2 THEN now() + $4 * interval '1 millisecond' ELSE LEAST(run_at, now() + $4 * interval '1 millisecond') END,
         lease_until = NULL, lease_owner = NULL
       WHERE id = $1 AND lease_owner = $3`,
      [job.id, job.generation, owner, delayMs],
    );
    job.settled = true;
  }

  /**
   * Leases up to `limit` due jobs for `owner`, fairly across shops: at most `perShop` running per shop
   * (counting jobs other replicas run), shops interleaved round-robin. The UPDATE re-checks the lease,
   * so two replicas never both get the same job.
   */
  async claim(owner: string, limit: number, perShop: number, leaseMs: number): Promise<ClaimedJob[]> {
    const rows: { id: string; shop_id: string; kind: JobKind; order_id: string; sub_id: string; attempts: number; generation: number; transfer_row: Record<string, unknown> | null; shop_row: Record<string, unknown> | null }[] = await rowsOf(this.dataSource, `WITH due_shops AS (
         SELECT DISTINCT shop_id FROM jobs WHERE run_at <= now() AND (lease_until IS NULL OR lease_until < now())
       ),
       busy AS (
         SELECT shop_id, count(*)::int AS n FROM jobs WHERE lease_until >= now() GROUP BY shop_id
       ),
       candidates AS (
         SELECT j.id, j.run_at, row_number() OVER (PARTITION BY j.shop_id ORDER BY j.run_at, j.id) + COALESCE(b.n, 0) AS slot
         FROM due_shops d
         CROSS JOIN LATERAL (
           SELECT id, shop_id, run_at FROM jobs
           WHERE shop_id = d.shop_id AND run_at <= now() AND (lease_until IS NULL OR lease_until < now())
           ORDER BY run_at, id LIMIT $3
         ) j
         LEFT JOIN busy b ON b.shop_id = j.shop_id
       ),
       picked AS (
         SELECT id FROM candidates WHERE slot <= $3 ORDER BY slot, run_at LIMIT $2
       ),
       claimed AS (
         UPDATE jobs SET lease_until = now() + $4 * interval '1 millisecond', lease_owner = $1, attempts = attempts + 1
         WHERE id IN (SELECT id FROM picked) AND (lease_until IS NULL OR lease_until < now())
         RETURNING id, shop_id, kind, order_id, sub_id, attempts, generation
       )
       SELECT c.*, row_to_json(t) AS transfer_row, row_to_json(sc) AS shop_row
       FROM claimed c
       LEFT JOIN transfers t ON c.kind = 'invoice' AND t.shop_id = c.shop_id AND t.order_id = c.order_id
       LEFT JOIN shop_config sc ON c.kind = 'invoice' AND sc.shop_id = c.shop_id`,
      [owner, limit, perShop, leaseMs],
    );
    return rows.map((r) => ({
      id: String(r.id), shopId: r.shop_id, kind: r.kind, orderId: r.order_id, subId: r.sub_id, attempts: r.attempts, generation: r.generation, settled: false,
      ...(r.kind === 'invoice' ? { context: { transfer: r.transfer_row, shop: r.shop_row } } : {}),
    }));
  }

  async renew(owner: string, ids: string[], leaseMs: number): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.query(`UPDATE jobs SET lease_until = now() + $3 * interval '1 millisecond' WHERE id = ANY($2::bigint[]) AND lease_owner = $1`, [owner, ids, leaseMs]);
  }

  /** After a failure: run again after `retryInMs`, or (parked, waiting) the job is done. */
  async afterFailure(manager: EntityManager, job: ClaimedJob, owner: string, retryInMs: number | null): Promise<void> {
    if (retryInMs === null) await this.complete(manager, job, owner);
    else await this.retryLater(manager, job, owner, retryInMs);
  }

  /** Gives jobs back (shutdown): another replica, or this one after a restart, takes them at once. */
  async release(owner: string, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.query(`UPDATE jobs SET lease_until = NULL, lease_owner = NULL WHERE id = ANY($2::bigint[]) AND lease_owner = $1`, [owner, ids]);
  }

  /** Milliseconds until the next job is due (null when none waits). */
  async nextDueInMs(): Promise<number | null> {
    const rows: { ms: string | null }[] = await this.dataSource.query(
      `SELECT (extract(epoch FROM min(run_at) - now()) * 1000)::bigint AS ms FROM jobs WHERE lease_until IS NULL OR lease_until < now()`,
    );
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
  }

  /** Queue depth and the age of the oldest due job, per kind (metrics). */
  async stats(): Promise<{ kind: string; depth: number; due: number; oldestDueSeconds: number }[]> {
    const rows: { kind: string; depth: string; due: string; oldest: string | null }[] = await this.dataSource.query(
      `SELECT kind, count(*) AS depth, count(*) FILTER (WHERE run_at <= now()) AS due,
              extract(epoch FROM now() - min(run_at) FILTER (WHERE run_at <= now())) AS oldest
       FROM jobs GROUP BY kind`,
    );
    return rows.map((r) => ({ kind: r.kind, depth: Number(r.depth), due: Number(r.due), oldestDueSeconds: r.oldest === null ? 0 : Number(r.oldest) }));
  }
}
