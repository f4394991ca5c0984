import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { HttpProblem } from '@bogholder/service-kit';
import { isUuid } from '../../common/secrets';
import { queryRows } from '../../common/sql';
import { GatewayEnv } from '../../config/env';

/** How long a connect link is valid. */
export const STATE_TTL_MS = 10 * 60 * 1000;

export type StateProblem = 'missing' | 'forged' | 'expired' | 'used';

/** A `state` that cannot be used; the message tells the admin to start again. */
export class ConnectStateError extends HttpProblem {
  constructor(readonly reason: StateProblem) {
    const why = {
      missing: 'the link has no state parameter',
      forged: 'the state parameter is not one this gateway issued',
      expired: 'the connect link expired (it is valid for 10 minutes)',
      used: 'the connect link was already used (each link works once)',
    }[reason];
    super(400, `e-conomic was not connected: ${why}. Start the connection again from the admin (GET /api/shops/:shopId/economic/connect).`, [{ field: 'state', message: why }], `state_${reason}`);
  }
}

/**
 * The grant flow's `state`: `<uuid>.<HMAC-SHA256(uuid)>`, keyed by a key derived from
 * TOKEN_ENCRYPTION_KEY. A row records the shop, the expiry (10 minutes) and whether it was used, so
 * each state works once.
 */
@Injectable()
export class ConnectStateService {
  private readonly key: Buffer;

  constructor(
    env: GatewayEnv,
    private readonly dataSource: DataSource,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(env.TOKEN_ENCRYPTION_KEY, 'base64'), Buffer.alloc(0), 'bogholder gateway connect state', 32));
  }

  async issue(shopId: string): Promise<string> {
    const id = randomUUID();
    await this.dataSource.query(`INSERT INTO connect_states (id, shop_id, expires_at) VALUES ($1, $2, $3)`, [id, shopId, new Date(Date.now() + STATE_TTL_MS)]);
    // Expired states are of no use to anyone: keep the table small.
    await this.dataSource.query(`DELETE FROM connect_states WHERE expires_at < now() - interval '1 day'`);
    return `${id}.${this.sign(id)}`;
  }

  /** Marks the state used and answers its shop, or throws why it cannot be used. */
  async consume(state: string | undefined): Promise<string> {
    if (!state) throw new ConnectStateError('missing');
    const [id, signature, extra] = state.split('.');
    if (!isUuid(id) || !signature || extra !== undefined || !this.verify(id, signature)) throw new ConnectStateError('forged');
    const used = await queryRows<{ shop_id: string }>(this.dataSource,
      `UPDATE connect_states SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING shop_id`,
      [id],
    );
    if (used[0]) return used[0].shop_id;
    const rows: { used_at: Date | null }[] = await this.dataSource.query(`SELECT used_at FROM connect_states WHERE id = $1`, [id]);
    if (!rows[0]) throw new ConnectStateError('expired'); // signed by us but pruned: long expired
    throw new ConnectStateError(rows[0].used_at ? 'used' : 'expired');
  }

  private sign(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('base64url');
  }

  private verify(id: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
