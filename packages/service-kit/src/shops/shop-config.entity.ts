import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Settings } from '@bogholder/contracts';

/** This service's copy of a shop's connection and settings, built from the gateway's events. */
@Entity('shop_config')
export class ShopConfigEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @Column({ type: 'boolean', default: false }) connected: boolean;
  @Column({ name: 'agreement_number', type: 'int', nullable: true }) agreementNumber: number | null;
  @Column({ name: 'company_name', type: 'text', nullable: true }) companyName: string | null;
  @Column({ name: 'grant_token_encrypted', type: 'text', nullable: true }) grantTokenEncrypted: string | null;
  /** When the newest connect/disconnect event happened (older events never overwrite newer ones). */
  @Column({ name: 'connection_changed_at', type: 'timestamptz', nullable: true }) connectionChangedAt: Date | null;
  @Column({ type: 'jsonb', nullable: true }) settings: Settings | null;
  @Column({ name: 'settings_changed_at', type: 'timestamptz', nullable: true }) settingsChangedAt: Date | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
