import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A customer contact ("Deres reference") by lower-cased name → its e-conomic contact number. */
@Entity('customer_contacts')
export class CustomerContactEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ name: 'agreement_number', type: 'int' }) agreementNumber: number;
  @PrimaryColumn({ name: 'customer_number', type: 'int' }) customerNumber: number;
  @PrimaryColumn({ name: 'name_key', type: 'text' }) nameKey: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'contact_number', type: 'int' }) contactNumber: number;
  @Column({ name: 'e_invoice_id', type: 'text', nullable: true }) eInvoiceId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
