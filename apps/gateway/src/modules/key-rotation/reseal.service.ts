import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEnvelope, Subjects } from '@bogholder/contracts';
import { errorMessage, Outbox } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger, TokenCipher } from '@bogholder/service-kit';
import { queryRows } from '../../common/sql';
import { GatewayEnv } from '../../config/env';

export interface ResealResult {
  webhookSecrets: number;
  grantTokens: number;
  /** Values no configured key opens (named in the log). */
  unreadable: number;
}

const RETRY_MS = 60_000;

/**
 * Key rotation, finished: while `TOKEN_ENCRYPTION_KEY_PREVIOUS` is set, the gateway seals every
 * secret still sealed with an older key again with the current one (shops' webhook secrets, grant
 * tokens) and announces each connected shop's newly sealed grant token with `economic.connected`, so
 * the services' copies follow. Each row is re-read under a row lock, so replicas doing the same at
 * once do no harm. When the log says nothing is left, the old key can go (after the services have
 * caught up with the events).
 */
@Injectable()
export class ResealService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: RootLogger;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private run: Promise<void> | null = null;

  constructor(
    private readonly env: GatewayEnv,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly cipher: TokenCipher,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'key-rotation' });
  }

  onApplicationBootstrap(): void {
    if (this.env.TOKEN_ENCRYPTION_KEY_PREVIOUS) this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.run;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.run = this.resealAll().then(
        (r) => this.logger.info({ ...r }, r.unreadable
          ? 'sealed secrets again with the current TOKEN_ENCRYPTION_KEY; some are sealed with a key that is not configured (see above)'
          : 'every secret in the gateway is sealed with the current TOKEN_ENCRYPTION_KEY; once the services have processed the economic.connected events, TOKEN_ENCRYPTION_KEY_PREVIOUS can be removed'),
        (err: unknown) => {
          this.logger.warn({ err: errorMessage(err) }, 'could not seal secrets again with the current key; will try again in a minute');
          if (!this.stopped) this.schedule(RETRY_MS);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  async resealAll(): Promise<ResealResult> {
    const result: ResealResult = { webhookSecrets: 0, grantTokens: 0, unreadable: 0 };
    const correlationId = `key-rotation-${randomUUID()}`;
    const shops = await queryRows<{ id: string; webhook_secret_encrypted: string; economic_webhook_secret_encrypted: string }>(this.dataSource,
      'SELECT id, webhook_secret_encrypted, economic_webhook_secret_encrypted FROM shops ORDER BY id');
    for (const shop of shops) {
      if (this.stopped) return result;
      if (!this.cipher.needsReseal(shop.webhook_secret_encrypted) && !this.cipher.needsReseal(shop.economic_webhook_secret_encrypted)) continue;
      await this.dataSource.transaction(async (m) => {
        const [row] = await queryRows<{ webhook_secret_encrypted: string; economic_webhook_secret_encrypted: string }>(m,
          'SELECT webhook_secret_encrypted, economic_webhook_secret_encrypted FROM shops WHERE id = $1 FOR UPDATE', [shop.id]);
        if (!row) return;
        const webhook = this.sealAgain(row.webhook_secret_encrypted, shop.id, 'webhook secret', result);
        const economic = this.sealAgain(row.economic_webhook_secret_encrypted, shop.id, 'e-conomic webhook secret', result);
        if (webhook === null && economic === null) return;
        await m.query('UPDATE shops SET webhook_secret_encrypted = $2, economic_webhook_secret_encrypted = $3 WHERE id = $1',
          [shop.id, webhook ?? row.webhook_secret_encrypted, economic ?? row.economic_webhook_secret_encrypted]);
        result.webhookSecrets++;
      });
    }
    const connections = await queryRows<{ shop_id: string; grant_token_encrypted: string }>(this.dataSource,
      'SELECT shop_id, grant_token_encrypted FROM connections WHERE grant_token_encrypted IS NOT NULL ORDER BY shop_id');
    for (const connection of connections) {
      if (this.stopped) return result;
      if (!this.cipher.needsReseal(connection.grant_token_encrypted)) continue;
      await this.outbox.transaction(async (m) => {
        const [row] = await queryRows<{ status: string; agreement_number: number | null; company_name: string | null; grant_token_encrypted: string | null }>(m,
          'SELECT status, agreement_number, company_name, grant_token_encrypted FROM connections WHERE shop_id = $1 FOR UPDATE', [connection.shop_id]);
        if (!row?.grant_token_encrypted) return;
        const sealed = this.sealAgain(row.grant_token_encrypted, connection.shop_id, 'grant token', result);
        if (sealed === null) return;
        await m.query('UPDATE connections SET grant_token_encrypted = $2, updated_at = now() WHERE shop_id = $1', [connection.shop_id, sealed]);
        if (row.status === 'connected' && row.agreement_number !== null) {
          await this.outbox.add(m, createEnvelope(Subjects.EconomicConnected, connection.shop_id,
            { agreementNumber: row.agreement_number, companyName: row.company_name ?? '', grantTokenEncrypted: sealed }, correlationId));
        }
        result.grantTokens++;
      });
    }
    return result;
  }

  /** The value sealed with the current key; null when it already is, or when no configured key opens it. */
  private sealAgain(sealed: string, shopId: string, what: string, result: ResealResult): string | null {
    if (!this.cipher.needsReseal(sealed)) return null;
    try {
      return this.cipher.encrypt(this.cipher.decrypt(sealed));
    } catch (err) {
      result.unreadable++;
      this.logger.error({ shopId, err: errorMessage(err) }, `the shop's ${what} is sealed with a key that is neither TOKEN_ENCRYPTION_KEY nor in TOKEN_ENCRYPTION_KEY_PREVIOUS: add that key, or reconnect the shop / create its secret anew`);
      return null;
    }
  }
}
