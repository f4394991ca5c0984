import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OwnedFields } from '../customer-fields';

/** An e-conomic customer this service created or linked, with the shop's fields as we last wrote or saw them. */
@Entity('customers')
export class CustomerEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ name: 'agreement_number', type: 'int' }) agreementNumber: number;
  @PrimaryColumn({ name: 'customer_number', type: 'int' }) customerNumber: number;
  @Column({ type: 'text' }) origin: 'created' | 'linked';
  @Column({ name: 'fields_hash', type: 'text' }) fieldsHash: string;
  @Column({ type: 'jsonb' }) snapshot: OwnedFields;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
