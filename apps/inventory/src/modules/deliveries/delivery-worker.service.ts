import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { errorMessage } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger } from '@bogholder/service-kit';
import { Pump } from '../../common/pump';
import { deliverySchedule, InventoryEnv } from '../../config/env';
import { ShopProfilesService } from '../shops/shop-profiles.service';
import type { DeliveryPayload } from './entities/delivery.entity';
import { returning } from '../../common/sql';

interface Claimed {
  id: string;
  shop_id: string;
  payload: DeliveryPayload;
  round_attempts: number;
  attempts: number;
}

interface Outcome {
  delivered: boolean;
  /** Stop retrying (410 Gone, no callbackUrl, unusable secret). */
  final: boolean;
  statusCode: number | null;
  error: string | null;
  url: string | null;
  /** We were shutting down: the attempt does not count. */
  aborted?: boolean;
}

const BATCH = 50;

/** The start of an answer's body (for the error message); the rest is not read. */
async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // an answer that breaks off still counts by its status
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The callbackUrl as shown in logs and errors: no credentials, no query string (it may carry a token). */
export function safeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '(not a valid URL)';
  }
}
const MAX_ERROR_BODY = 300;

/**
 * POSTs pending deliveries to the shop's callbackUrl, signed per Standard Webhooks with the shop's
 * secret (`webhook-id` = the event id, so the shop can drop duplicates). 2xx delivers; anything else is
 * retried on the schedule, and the delivery is dead after the last attempt (410 Gone: at once).
 * Deliveries of one SKU go out in order, so a shop never gets an older count after a newer one.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly pump: Pump;
  private readonly schedule: number[];
  private readonly shutdown = new AbortController();
  private readonly logger;
  private readonly intervalName = `inventory-deliveries-${Math.random().toString(36).slice(2)}`;
  private lastPrune = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ShopProfilesService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(InventoryEnv) private readonly env: InventoryEnv,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'deliveries' });
    this.schedule = deliverySchedule(env);
    this.pump = new Pump(() => this.deliverDue(), (err) => this.logger.warn({ err: errorMessage(err) }, 'delivering stock.changed to shops failed; will retry'));
  }

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(this.intervalName, setInterval(() => this.pump.trigger(), this.env.INVENTORY_DELIVERY_POLL_MS));
    this.pump.trigger();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', this.intervalName)) this.scheduler.deleteInterval(this.intervalName);
    this.shutdown.abort();
    await this.pump.stop();
  }

  /** Look for due deliveries now (after new ones were committed, or a redelivery). */
  wake(): void {
    this.pump.trigger();
  }

  /** Delivers one batch of due deliveries; true when there may be more. */
  async deliverDue(): Promise<boolean> {
    await this.prune();
    const leaseMs = this.env.INVENTORY_DELIVERY_TIMEOUT_MS + 30_000;
    const claimed = await returning<Claimed>(
      this.dataSource,
      `UPDATE deliveries d SET next_attempt_at = now() + ($2::int * interval '1 millisecond'),
              attempts = d.attempts + 1, round_attempts = d.round_attempts + 1, updated_at = now()
        WHERE d.id IN (
          SELECT c.id FROM deliveries c
           WHERE c.status = 'pending' AND c.next_attempt_at <= now()
             AND NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.shop_id = c.shop_id AND o.sku = c.sku AND o.status = 'pending' AND o.seq < c.seq)
           ORDER BY c.next_attempt_at, c.seq
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.shop_id, d.payload, d.round_attempts, d.attempts`,
      [BATCH, leaseMs],
    );
    if (!claimed.length) return false;
    const queue = [...claimed];
    const workers = Array.from({ length: Math.min(this.env.INVENTORY_DELIVERY_CONCURRENCY, queue.length) }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        const started = Date.now();
        const outcome = await this.attempt(d);
        await this.record(d, outcome, started);
      }
    });
    await Promise.all(workers);
    return claimed.length === BATCH;
  }

  private async attempt(d: Claimed): Promise<Outcome> {
    const profile = await this.profiles.get(d.shop_id);
    if (!profile?.callbackUrl) {
      return { delivered: false, final: true, statusCode: null, url: null, error: 'the shop has no callbackUrl (any more): set one on the shop, then redeliver' };
    }
    let secret: string;
    try {
      secret = this.profiles.secretOf(profile);
    } catch (err) {
      return { delivered: false, final: true, statusCode: null, url: safeUrl(profile.callbackUrl), error: `the shop's webhook secret cannot be used: ${errorMessage(err)}` };
    }
    const body = JSON.stringify(d.payload);
    const now = new Date();
    let signature: string;
    try {
      signature = new Webhook(secret).sign(d.id, now, body);
    } catch (err) {
      return { delivered: false, final: true, statusCode: null, url: safeUrl(profile.callbackUrl), error: `the shop's webhook secret is not a Standard Webhooks secret (whsec_…): ${errorMessage(err)}` };
    }
    const url = profile.callbackUrl;
    const shown = safeUrl(url);
    if (!/^https?:$/.test(URL.canParse(url) ? new URL(url).protocol : '')) {
      return { delivered: false, final: true, statusCode: null, url: shown, error: `the shop's callbackUrl is not an http(s) URL: fix it on the shop, then redeliver` };
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'bogholder-inventory/0.1',
          'webhook-id': d.id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(this.env.INVENTORY_DELIVERY_TIMEOUT_MS)]),
      });
      const text = await readSnippet(res);
      if (res.status >= 200 && res.status < 300) return { delivered: true, final: true, statusCode: res.status, url: shown, error: null };
      const snippet = text.trim().replace(/\s+/g, ' ').slice(0, MAX_ERROR_BODY);
      if (res.status === 410) {
        return { delivered: false, final: true, statusCode: 410, url: shown, error: `the shop answered 410 Gone at ${shown}: it no longer accepts stock.changed, so delivery stopped${snippet ? ` (${snippet})` : ''}` };
      }
      return { delivered: false, final: false, statusCode: res.status, url: shown, error: `the shop answered HTTP ${res.status} at ${shown}${snippet ? `: ${snippet}` : ''} (2xx expected)` };
    } catch (err) {
      if (this.shutdown.signal.aborted) return { delivered: false, final: false, statusCode: null, url: shown, error: null, aborted: true };
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = timedOut ? `no answer within ${this.env.INVENTORY_DELIVERY_TIMEOUT_MS} ms` : `${errorMessage(err)}${cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : ''}`;
      return { delivered: false, final: false, statusCode: null, url: shown, error: `could not reach ${shown}: ${reason}` };
    }
  }

  private async record(d: Claimed, o: Outcome, started: number): Promise<void> {
    if (o.aborted) {
      await this.dataSource.query(
        `UPDATE deliveries SET next_attempt_at = now(), attempts = attempts - 1, round_attempts = round_attempts - 1, updated_at = now() WHERE id = $1`,
        [d.id],
      );
      return;
    }
    const exhausted = !o.delivered && !o.final && d.round_attempts >= this.schedule.length;
    const dead = !o.delivered && (o.final || exhausted);
    const error = o.delivered ? null : exhausted ? `gave up after ${d.round_attempts} attempts; last: ${o.error}` : o.error;
    const nextDelay = this.schedule[Math.min(d.round_attempts, this.schedule.length - 1)] ?? 0;
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE deliveries SET
           status = $2,
           delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END,
           next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + ($3::int * interval '1 millisecond') ELSE NULL END,
           last_error = $4, last_status_code = $5, updated_at = now()
         WHERE id = $1`,
        [d.id, o.delivered ? 'delivered' : dead ? 'dead' : 'pending', nextDelay, error, o.statusCode],
      );
      await m.query(
        `INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at, url, status_code, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [d.id, d.attempts, new Date(started), o.url, o.statusCode, o.error, Date.now() - started],
      );
    });
    if (dead) this.logger.warn({ shopId: d.shop_id, deliveryId: d.id, sku: d.payload.data.sku, error }, 'stock.changed delivery is dead; an admin can redeliver it');
    else if (!o.delivered) this.logger.info({ shopId: d.shop_id, deliveryId: d.id, attempt: d.round_attempts, retryInMs: nextDelay, error }, 'stock.changed delivery failed; will retry');
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < 3600_000) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(
      `DELETE FROM deliveries WHERE status = 'delivered' AND delivered_at < now() - ($1::int * interval '1 day')`,
      [this.env.INVENTORY_DELIVERY_RETENTION_DAYS],
    );
  }
}
