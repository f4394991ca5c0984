import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type ConnectionStatus = 'connected' | 'disconnected' | 'error';

/** A shop's e-conomic connection. The grant token is AES-256-GCM under TOKEN_ENCRYPTION_KEY. */
@Entity('connections')
export class ConnectionEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'uuid' }) shopId: string;
  @Column({ type: 'text' }) status: ConnectionStatus;
  @Column({ name: 'agreement_number', type: 'int', nullable: true }) agreementNumber: number | null;
  @Column({ name: 'company_name', type: 'text', nullable: true }) companyName: string | null;
  @Column({ name: 'grant_token_encrypted', type: 'text', nullable: true }) grantTokenEncrypted: string | null;
  @Column({ name: 'connected_at', type: 'timestamptz', nullable: true }) connectedAt: Date | null;
  @Column({ name: 'last_checked_at', type: 'timestamptz', nullable: true }) lastCheckedAt: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
