import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type LinkKind = 'id' | 'email' | 'cvr' | 'name';

/** A shop's key for a customer (normalised) → the e-conomic customer number. */
@Entity('customer_links')
export class CustomerLinkEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ name: 'agreement_number', type: 'int' }) agreementNumber: number;
  @PrimaryColumn({ type: 'text' }) kind: LinkKind;
  @PrimaryColumn({ type: 'text' }) key: string;
  @Column({ name: 'customer_number', type: 'int' }) customerNumber: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
