import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { errorMessage } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger } from '@bogholder/service-kit';
import { MicroBatcher } from '../../common/micro-batcher';
import { GatewayEnv } from '../../config/env';

/** Receipts are kept this long: far beyond any sender's retry schedule (Standard Webhooks: about 3 days). */
export const RECEIPT_RETENTION_DAYS = 30;

export interface Receipt {
  webhookId: string;
  shopId: string;
  type: string;
}

/**
 * Accepted webhook ids, so a repeat is answered `200 duplicate` long after JetStream's duplicate
 * window. Lookups and inserts are batched (under load one round trip serves many webhooks) and use
 * prepared statements on a small pool of their own with `synchronous_commit = off`: the webhook
 * itself is durable in JetStream before it is answered; a receipt lost in a PostgreSQL crash only
 * means a repeat arriving more than 15 minutes later is published again, which the consumers' inbox
 * absorbs (the event id is the webhook id).
 */
@Injectable()
export class WebhookReceiptsStore implements OnModuleInit, OnModuleDestroy {
  private pruneTimer: NodeJS.Timeout | undefined;
  private readonly pool: Pool;

  private readonly lookups = new MicroBatcher<string, string | null>(async (ids) => {
    const { rows } = await this.pool.query<{ webhook_id: string; shop_id: string }>({
      name: 'gateway-receipts-lookup',
      text: `SELECT webhook_id, shop_id FROM webhook_receipts WHERE webhook_id = ANY($1::text[])`,
      values: [ids],
    });
    const owners = new Map(rows.map((r) => [r.webhook_id, r.shop_id]));
    return ids.map((id) => owners.get(id) ?? null);
  });

  private readonly inserts = new MicroBatcher<Receipt, void>(async (receipts) => {
    await this.pool.query({
      name: 'gateway-receipts-insert',
      text: `INSERT INTO webhook_receipts (webhook_id, shop_id, type)
             SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[]) ON CONFLICT (webhook_id) DO NOTHING`,
      values: [receipts.map((r) => r.webhookId), receipts.map((r) => r.shopId), receipts.map((r) => r.type)],
    });
    return receipts.map(() => undefined);
  });

  constructor(
    env: GatewayEnv,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {
    const schema = env.DATABASE_SCHEMA || 'gateway';
    this.pool = new Pool({
      connectionString: env.DATABASE_URL,
      max: 2,
      connectionTimeoutMillis: 10_000,
      options: `-c search_path=${schema} -c synchronous_commit=off`,
    });
    this.pool.on('error', (err) => this.logger.warn({ err: errorMessage(err) }, 'a webhook receipts connection failed; it is replaced'));
  }

  /** The shop that already had this webhook id accepted, or null. */
  ownerOf(webhookId: string): Promise<string | null> {
    return this.lookups.add(webhookId);
  }

  record(receipt: Receipt): Promise<void> {
    return this.inserts.add(receipt);
  }

  onModuleInit(): void {
    this.pruneTimer = setInterval(() => void this.prune(), 3600_000);
    this.pruneTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.pool.end();
  }

  async prune(): Promise<void> {
    try {
      await this.pool.query(`DELETE FROM webhook_receipts WHERE accepted_at < now() - make_interval(days => $1)`, [RECEIPT_RETENTION_DAYS]);
    } catch (err) {
      this.logger.warn({ err: errorMessage(err) }, 'pruning old webhook receipts failed; will try again in an hour');
    }
  }
}
