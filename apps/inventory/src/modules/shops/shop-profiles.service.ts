import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EventEnvelope, ShopProfileUpdatedData } from '@bogholder/contracts';
import { TokenCipher } from '@bogholder/service-kit';
import { ShopProfileEntity } from './entities/shop-profile.entity';

/** The shops' callback URLs and Standard Webhooks secrets, from `shop.profile.updated`. */
@Injectable()
export class ShopProfilesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
  ) {}

  /** Stores the profile unless a newer one is already stored; answers whether it was applied. */
  async apply(manager: EntityManager, env: EventEnvelope<ShopProfileUpdatedData>): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO shop_profiles (shop_id, name, callback_url, webhook_secret_encrypted, changed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (shop_id) DO UPDATE SET name = EXCLUDED.name, callback_url = EXCLUDED.callback_url,
         webhook_secret_encrypted = EXCLUDED.webhook_secret_encrypted, changed_at = EXCLUDED.changed_at, updated_at = now()
       WHERE shop_profiles.changed_at <= EXCLUDED.changed_at
       RETURNING 1`,
      [env.shopId, env.data.name, env.data.callbackUrl?.trim() || null, env.data.webhookSecretEncrypted, env.occurredAt],
    );
    return rows.length > 0;
  }

  async get(shopId: string, manager: EntityManager = this.dataSource.manager): Promise<ShopProfileEntity | null> {
    return await manager.findOne(ShopProfileEntity, { where: { shopId } });
  }

  /** The shop's secret in clear (`whsec_…`), only for signing; never logged. */
  secretOf(profile: ShopProfileEntity): string {
    return this.cipher.decrypt(profile.webhookSecretEncrypted);
  }
}
