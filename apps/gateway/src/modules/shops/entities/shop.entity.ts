import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A shop (tenant). Both secrets are AES-256-GCM under TOKEN_ENCRYPTION_KEY (TokenCipher). */
@Entity('shops')
export class ShopEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'callback_url', type: 'text', nullable: true }) callbackUrl: string | null;
  /** The shop's Standard Webhooks secret (`whsec_…`), encrypted. */
  @Column({ name: 'webhook_secret_encrypted', type: 'text' }) webhookSecretEncrypted: string;
  /** The secret path segment of the shop's e-conomic webhook URLs (CONTRACT.md §3b), encrypted. */
  @Column({ name: 'economic_webhook_secret_encrypted', type: 'text' }) economicWebhookSecretEncrypted: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
