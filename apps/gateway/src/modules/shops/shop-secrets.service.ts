import { Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { TokenCipher } from '@bogholder/service-kit';
import { isUuid } from '../../common/secrets';

export interface ShopSecrets {
  shopId: string;
  loadedAt: number;
  /** Verifies and signs with the shop's Standard Webhooks secret. */
  webhook: Webhook;
  /** The secret path segment of the shop's e-conomic webhook URLs. */
  economicSecret: string;
}

const MAX_ENTRIES = 20_000;
/** How long a replica keeps using secrets it has read (a rotated webhook secret reaches every replica within this). */
export const SECRETS_TTL_MS = 30_000;

/**
 * The webhook routes' view of a shop: its secrets, decrypted and kept in memory, so the hot path
 * does not read the database. Entries older than 30 s are still answered while they are read again
 * in the background. A secret rotated on this replica takes effect at once, on others within about
 * 30 s (shops sign with both secrets during a rotation, as Standard Webhooks intends). Unknown shops
 * are not cached: a shop created on another replica is found on the next request.
 */
@Injectable()
export class ShopSecretsService {
  private readonly cache = new Map<string, ShopSecrets>();
  private readonly loading = new Map<string, Promise<ShopSecrets | null>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
  ) {}

  get(shopId: string): ShopSecrets | null | Promise<ShopSecrets | null> {
    if (!isUuid(shopId)) return null;
    const key = shopId.toLowerCase();
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.loadedAt < SECRETS_TTL_MS) return hit;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(key).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
      // A failed refresh keeps the entry it would have replaced.
      if (hit) pending.catch(() => undefined);
    }
    return hit ?? pending;
  }

  private async load(shopId: string): Promise<ShopSecrets | null> {
    const rows: { webhook_secret_encrypted: string; economic_webhook_secret_encrypted: string }[] = await this.dataSource.query(
      `SELECT webhook_secret_encrypted, economic_webhook_secret_encrypted FROM shops WHERE id = $1`,
      [shopId],
    );
    const row = rows[0];
    if (!row) {
      this.cache.delete(shopId);
      return null;
    }
    const secrets: ShopSecrets = {
      shopId,
      loadedAt: Date.now(),
      webhook: new Webhook(this.cipher.decrypt(row.webhook_secret_encrypted)),
      economicSecret: this.cipher.decrypt(row.economic_webhook_secret_encrypted),
    };
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.delete(shopId);
    this.cache.set(shopId, secrets);
    return secrets;
  }

  /** Forgets what this replica holds for the shop (after a rotation). */
  forget(shopId: string): void {
    this.cache.delete(shopId.toLowerCase());
  }
}
