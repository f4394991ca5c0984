import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Recorded before POST /customers: the number chosen for a customer key, until the create is confirmed. */
@Entity('pending_creations')
export class PendingCreationEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ name: 'agreement_number', type: 'int' }) agreementNumber: number;
  @PrimaryColumn({ name: 'key_kind', type: 'text' }) keyKind: string;
  @PrimaryColumn({ type: 'text' }) key: string;
  @Column({ name: 'customer_number', type: 'int' }) customerNumber: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
