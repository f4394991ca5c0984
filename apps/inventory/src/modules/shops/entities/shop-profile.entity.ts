import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** What the gateway told us about a shop (`shop.profile.updated`): where and how to call it back. */
@Entity('shop_profiles')
export class ShopProfileEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'callback_url', type: 'text', nullable: true }) callbackUrl: string | null;
  /** The shop's Standard Webhooks secret, AES-256-GCM under TOKEN_ENCRYPTION_KEY. */
  @Column({ name: 'webhook_secret_encrypted', type: 'text' }) webhookSecretEncrypted: string;
  /** When the newest profile event happened (older events never overwrite newer ones). */
  @Column({ name: 'changed_at', type: 'timestamptz' }) changedAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
