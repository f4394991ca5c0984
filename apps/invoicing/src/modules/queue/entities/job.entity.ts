import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type JobKind = 'invoice' | 'creditnote' | 'payment' | 'booked_check';

/**
 * The work queue: one row per piece of work (unique per shop, kind, order and sub-id). A replica
 * leases due rows (`lease_until`), runs them, and deletes or reschedules them. `generation` counts
 * requests to run it, so work requested while it runs is not lost.
 */
@Entity('jobs')
export class JobEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'shop_id', type: 'text' }) shopId: string;
  @Column({ type: 'text' }) kind: JobKind;
  @Column({ name: 'order_id', type: 'text' }) orderId: string;
  /** The refund id (credit notes), payment id (payments) or invoice number (booked checks); '' for invoices. */
  @Column({ name: 'sub_id', type: 'text' }) subId: string;
  @Column({ name: 'run_at', type: 'timestamptz' }) runAt: Date;
  @Column({ type: 'int' }) attempts: number;
  @Column({ type: 'int' }) generation: number;
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true }) leaseUntil: Date | null;
  @Column({ name: 'lease_owner', type: 'text', nullable: true }) leaseOwner: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
