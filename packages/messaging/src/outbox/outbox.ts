import { DataSource, EntityManager } from 'typeorm';
import type { EventEnvelope } from '@bogholder/contracts';
import type { Bus } from '../bus';
import { errorMessage } from '../errors';
import { MessagingLogger, silentLogger } from '../logger';

export interface OutboxOptions {
  /** How often to look for unpublished rows when nobody called `notify()` (default 250 ms). */
  pollMs?: number;
  batchSize?: number;
  /** Published rows older than this are deleted (default 1 day). */
  retainPublishedMs?: number;
  /** Notifications that arrive while a batch is being relayed are gathered this long (default 20 ms). */
  coalesceMs?: number;
  logger?: MessagingLogger;
}

/**
 * The transactional outbox: `add()` writes the event in the caller's transaction; the relay publishes
 * unpublished rows to JetStream (Nats-Msg-Id = envelope id) and marks them published. A crash between
 * commit and publish only delays the event; a crash between publish and marking re-publishes it, which
 * JetStream's duplicate window and the consumers' inbox absorb.
 */
export class Outbox {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private woken = false;
  private lastPrune = 0;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly retainPublishedMs: number;
  private readonly coalesceMs: number;
  private readonly logger: MessagingLogger;
  /** Published count, for metrics. */
  published = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: Bus,
    options: OutboxOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.batchSize = options.batchSize ?? 200;
    this.retainPublishedMs = options.retainPublishedMs ?? 24 * 3600 * 1000;
    this.coalesceMs = options.coalesceMs ?? 20;
    this.logger = options.logger ?? silentLogger;
  }

  /** Writes events in the caller's transaction. Call `notify()` after commit for low latency. */
  async add(manager: EntityManager, ...envelopes: EventEnvelope[]): Promise<void> {
    if (!envelopes.length) return;
    const values: unknown[] = [];
    const rows = envelopes.map((e, i) => {
      values.push(e.id, e.type, JSON.stringify(e));
      return `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}::jsonb)`;
    });
    await manager.query(`INSERT INTO outbox (id, subject, envelope) VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING`, values);
  }

  /** Runs `work` in a transaction and wakes the relay once it has committed. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.notify();
    return result;
  }

  notify(): void {
    this.woken = true;
    this.wake?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops the relay after the current batch (what is left is sent by the next start). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Publishes one batch of unpublished rows, oldest first. */
  async relayOnce(): Promise<{ published: number; failed: number }> {
    return await this.dataSource.transaction(async (m) => {
      const rows: { seq: string; envelope: EventEnvelope }[] = await m.query(
        `SELECT seq, envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (!rows.length) return { published: 0, failed: 0 };
      const results = await Promise.allSettled(rows.map((r) => this.bus.publish(r.envelope)));
      const done: string[] = [];
      const failed: { seq: string; error: string }[] = [];
      results.forEach((r, i) => (r.status === 'fulfilled' ? done.push(rows[i]!.seq) : failed.push({ seq: rows[i]!.seq, error: errorMessage(r.reason) })));
      if (done.length) await m.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`, [done]);
      for (const f of failed) await m.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = $1`, [f.seq, f.error]);
      if (failed.length) this.logger.warn({ failed: failed.length, error: failed[0]!.error }, 'outbox: publishing failed, will retry');
      this.published += done.length;
      return { published: done.length, failed: failed.length };
    });
  }

  private async run(): Promise<void> {
    let backoff = this.pollMs;
    while (this.running) {
      let healthy = true;
      let full = false;
      try {
        this.woken = false;
        const { published, failed } = await this.relayOnce();
        healthy = failed === 0;
        full = published === this.batchSize;
        await this.prune();
      } catch (err) {
        healthy = false;
        this.logger.warn({ err: errorMessage(err) }, 'outbox relay failed, will retry');
      }
      backoff = healthy ? this.pollMs : Math.min(backoff * 2, 10_000);
      if (healthy && full) continue;
      if (healthy && this.woken) {
        // Woken again while relaying: a burst. Gather it for a moment so it goes out as one batch
        // (a consumer notifies after every message; relaying each alone costs a transaction apiece).
        await new Promise((r) => setTimeout(r, this.coalesceMs));
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(`DELETE FROM outbox WHERE published_at < now() - ($1::int * interval '1 millisecond')`, [this.retainPublishedMs]);
  }
}
