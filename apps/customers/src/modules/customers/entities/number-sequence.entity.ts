import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** `customerNumbering: "sequence"`: the next number to hand out for a shop in an agreement. */
@Entity('number_sequences')
export class NumberSequenceEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ name: 'agreement_number', type: 'int' }) agreementNumber: number;
  @Column({ name: 'start_number', type: 'bigint' }) startNumber: string;
  @Column({ name: 'next_number', type: 'bigint' }) nextNumber: string;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
