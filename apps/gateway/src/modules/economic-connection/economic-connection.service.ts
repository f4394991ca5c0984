import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEnvelope, EconomicConnectedData, Subjects } from '@bogholder/contracts';
import { EconomicAuthError, EconomicClient, EconomicForbiddenError, Self } from '@bogholder/economic-client';
import { errorMessage, Outbox } from '@bogholder/messaging';
import { EconomicClients, HttpProblem, ROOT_LOGGER, RootLogger, TokenCipher } from '@bogholder/service-kit';
import { requestCorrelationId } from '../../common/correlation';
import { queryRows } from '../../common/sql';
import { GatewayEnv } from '../../config/env';
import { ShopsService } from '../shops/shops.service';
import { ConnectStateService } from './connect-state.service';
import { ConnectionStatusDto } from './dto/connection.dto';
import type { ConnectionStatus } from './entities/connection.entity';

/** How often `GET …/economic` asks e-conomic whether the grant still works. */
export const RECHECK_MS = 30_000;

interface ConnectionRow {
  status: ConnectionStatus;
  agreement_number: number | null;
  company_name: string | null;
  grant_token_encrypted: string | null;
  connected_at: Date | null;
  last_checked_at: Date | null;
  last_error: string | null;
}

/** A connected shop's e-conomic client (for checks made on the admin's behalf). */
export interface ConnectedClient {
  client: EconomicClient;
  agreementNumber: number;
  grantTokenEncrypted: string;
}

export const economicUnavailable = (err: unknown) =>
  new HttpProblem(503, `e-conomic is not answering (${errorMessage(err)}); nothing was changed, try again shortly`, [], 'economic_unavailable');

/**
 * Connecting shops to e-conomic: the grant flow, connecting with a token the admin has, the
 * connection status (which notices a revoked grant) and disconnecting. Every change is published
 * (economic.connected / economic.disconnected) through the outbox in the same transaction.
 */
@Injectable()
export class EconomicConnectionService {
  private readonly rechecks = new Map<string, Promise<void>>();

  constructor(
    private readonly env: GatewayEnv,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly cipher: TokenCipher,
    private readonly clients: EconomicClients,
    private readonly shops: ShopsService,
    private readonly states: ConnectStateService,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  /** The e-conomic grant page URL for this shop, with a fresh single-use state. */
  async connectUrl(shopId: string): Promise<string> {
    await this.shops.requireShop(shopId);
    const state = await this.states.issue(shopId);
    const redirectUrl = `${this.env.PUBLIC_URL.replace(/\/+$/, '')}/api/economic/callback?state=${encodeURIComponent(state)}`;
    const url = new URL(this.env.ECONOMIC_GRANT_URL);
    url.searchParams.set('appPublicToken', this.env.ECONOMIC_APP_PUBLIC_TOKEN);
    url.searchParams.set('redirectUrl', redirectUrl);
    return url.toString();
  }

  /** The grant page sent the person back with a token: check the state, verify the token, store it. */
  async completeGrant(state: string | undefined, token: string | undefined): Promise<{ shopId: string; shopName: string; connection: ConnectionStatusDto }> {
    const shopId = await this.states.consume(state);
    if (!token) {
      const message = 'e-conomic sent no grant token back, so access was not granted';
      throw new HttpProblem(400, `${message}. Start the connection again from the admin and click Approve on e-conomic's page.`, [{ field: 'token', message }], 'token_missing');
    }
    const connection = await this.connect(shopId, token);
    return { shopId, shopName: await this.shops.name(shopId), connection };
  }

  async connectWithToken(shopId: string, grantToken: string): Promise<ConnectionStatusDto> {
    await this.shops.requireShop(shopId);
    return await this.connect(shopId, grantToken);
  }

  /** The connection; when connected and not checked for 30 s, asks e-conomic first (a revoked grant turns it into `error`). */
  async status(shopId: string): Promise<ConnectionStatusDto> {
    await this.shops.requireShop(shopId);
    const row = await this.row(shopId);
    const stale = !row?.last_checked_at || Date.now() - row.last_checked_at.getTime() >= RECHECK_MS;
    if (row?.status === 'connected' && row.grant_token_encrypted && stale) {
      await this.recheck(shopId, row.grant_token_encrypted);
      return this.view(await this.row(shopId));
    }
    return this.view(row);
  }

  /** Forgets the grant token and tells the services (orders then wait for a connection). */
  async disconnect(shopId: string): Promise<ConnectionStatusDto> {
    await this.shops.requireShop(shopId);
    await this.outbox.transaction(async (m) => {
      const rows = await queryRows<{ status: ConnectionStatus }>(m, `SELECT status FROM connections WHERE shop_id = $1 FOR UPDATE`, [shopId]);
      const before = rows[0]?.status;
      if (!before || before === 'disconnected') return;
      await m.query(
        `UPDATE connections SET status = 'disconnected', grant_token_encrypted = NULL, agreement_number = NULL, company_name = NULL,
           connected_at = NULL, last_checked_at = NULL, last_error = NULL, updated_at = now() WHERE shop_id = $1`,
        [shopId],
      );
      // After a revoked grant (`error`) the services were already told.
      if (before === 'connected') await this.outbox.add(m, createEnvelope(Subjects.EconomicDisconnected, shopId, {}, requestCorrelationId()));
    });
    return this.view(await this.row(shopId));
  }

  /** The shop's client when it is connected, else null. */
  async connectedClient(shopId: string): Promise<ConnectedClient | null> {
    const row = await this.row(shopId);
    if (row?.status !== 'connected' || !row.grant_token_encrypted || row.agreement_number === null) return null;
    return { client: this.clients.forEncryptedToken(row.grant_token_encrypted), agreementNumber: row.agreement_number, grantTokenEncrypted: row.grant_token_encrypted };
  }

  /**
   * e-conomic answered 401 for this grant: the connection becomes `error` with a message saying
   * what to do, the token is forgotten and the services are told (they hold orders as waiting).
   */
  async markRevoked(shopId: string, grantTokenEncrypted: string): Promise<void> {
    const message =
      `e-conomic refused the grant token (401) at ${new Date().toISOString()}: access for this app was revoked in e-conomic (or the agreement was closed). ` +
      `Orders wait until you connect again: GET /api/shops/${shopId}/economic/connect, or PUT /api/shops/${shopId}/economic with a new grant token.`;
    await this.outbox.transaction(async (m) => {
      const rows = await queryRows(
        m,
        `UPDATE connections SET status = 'error', grant_token_encrypted = NULL, last_error = $3, last_checked_at = now(), updated_at = now()
         WHERE shop_id = $1 AND status = 'connected' AND grant_token_encrypted = $2 RETURNING shop_id`,
        [shopId, grantTokenEncrypted, message],
      );
      if (rows.length) await this.outbox.add(m, createEnvelope(Subjects.EconomicDisconnected, shopId, {}, requestCorrelationId()));
    });
    this.logger.warn({ shopId }, 'e-conomic refused the grant token; shop marked as error and economic.disconnected published');
  }

  private async connect(shopId: string, grantToken: string): Promise<ConnectionStatusDto> {
    const self = await this.verifyGrant(grantToken);
    const grantTokenEncrypted = this.cipher.encrypt(grantToken);
    const companyName = (self.company?.name?.trim() || `agreement ${self.agreementNumber}`).slice(0, 255);
    const data: EconomicConnectedData = { agreementNumber: self.agreementNumber, companyName, grantTokenEncrypted };
    await this.outbox.transaction(async (m) => {
      await m.query(
        `INSERT INTO connections (shop_id, status, agreement_number, company_name, grant_token_encrypted, connected_at, last_checked_at, last_error, updated_at)
         VALUES ($1, 'connected', $2, $3, $4, now(), now(), NULL, now())
         ON CONFLICT (shop_id) DO UPDATE SET status = 'connected', agreement_number = EXCLUDED.agreement_number, company_name = EXCLUDED.company_name,
           grant_token_encrypted = EXCLUDED.grant_token_encrypted, connected_at = now(), last_checked_at = now(), last_error = NULL, updated_at = now()`,
        [shopId, self.agreementNumber, companyName, grantTokenEncrypted],
      );
      await this.outbox.add(m, createEnvelope(Subjects.EconomicConnected, shopId, data, requestCorrelationId()));
    });
    this.logger.info({ shopId, agreementNumber: self.agreementNumber }, 'shop connected to e-conomic');
    return this.view(await this.row(shopId));
  }

  /** `GET /self` with the token: proves it works and tells which agreement it is. */
  private async verifyGrant(grantToken: string): Promise<Self> {
    try {
      return await this.clients.forToken(grantToken).self.get({ maxRetries: 1, timeoutMs: 10_000 });
    } catch (err) {
      if (err instanceof EconomicAuthError) {
        const message = 'e-conomic does not accept this grant token (401): it is wrong, was revoked, or was issued to another app';
        throw new HttpProblem(422, `${message}. Connect again through GET /api/shops/:shopId/economic/connect to get a new one.`, [{ field: 'grantToken', message }], 'grant_token_rejected');
      }
      if (err instanceof EconomicForbiddenError) {
        const message = 'e-conomic accepted the grant token but refused to show the agreement (403): the app\'s role does not allow it';
        throw new HttpProblem(422, `${message}. The app needs the SuperUser role in the e-conomic developer agreement.`, [{ field: 'grantToken', message }], 'grant_token_forbidden');
      }
      throw economicUnavailable(err);
    }
  }

  private recheck(shopId: string, grantTokenEncrypted: string): Promise<void> {
    let running = this.rechecks.get(shopId);
    if (!running) {
      running = this.runRecheck(shopId, grantTokenEncrypted).finally(() => this.rechecks.delete(shopId));
      this.rechecks.set(shopId, running);
    }
    return running;
  }

  private async runRecheck(shopId: string, grantTokenEncrypted: string): Promise<void> {
    try {
      await this.clients.forEncryptedToken(grantTokenEncrypted).self.get({ maxRetries: 0, timeoutMs: 5_000 });
      await this.dataSource.query(
        `UPDATE connections SET last_checked_at = now(), last_error = NULL WHERE shop_id = $1 AND status = 'connected' AND grant_token_encrypted = $2`,
        [shopId, grantTokenEncrypted],
      );
    } catch (err) {
      if (err instanceof EconomicAuthError) return await this.markRevoked(shopId, grantTokenEncrypted);
      const message = `the connection check at ${new Date().toISOString()} got no answer from e-conomic (${errorMessage(err)}); the connection is kept and checked again within 30 s`;
      await this.dataSource.query(
        `UPDATE connections SET last_checked_at = now(), last_error = $3 WHERE shop_id = $1 AND status = 'connected' AND grant_token_encrypted = $2`,
        [shopId, grantTokenEncrypted, message],
      );
    }
  }

  private async row(shopId: string): Promise<ConnectionRow | undefined> {
    const rows = await queryRows<ConnectionRow>(
      this.dataSource,
      `SELECT status, agreement_number, company_name, grant_token_encrypted, connected_at, last_checked_at, last_error FROM connections WHERE shop_id = $1`,
      [shopId],
    );
    return rows[0];
  }

  private view(row: ConnectionRow | undefined): ConnectionStatusDto {
    return {
      status: row?.status ?? 'disconnected',
      agreementNumber: row?.agreement_number ?? null,
      companyName: row?.company_name ?? null,
      connectedAt: row?.connected_at?.toISOString() ?? null,
      lastCheckedAt: row?.last_checked_at?.toISOString() ?? null,
      lastError: row?.last_error ?? null,
    };
  }
}
