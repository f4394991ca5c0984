import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A product to read again soon. Webhooks upsert it, so a burst for one SKU stays one row; a worker
 * leases due rows (FOR UPDATE SKIP LOCKED) and removes them once read, unless a newer request came in.
 */
@Entity('product_refresh')
export class ProductRefreshEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ type: 'text' }) sku: string;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ name: 'leased_until', type: 'timestamptz', nullable: true }) leasedUntil: Date | null;
  /** Bumped by every request, so a request that arrives during a read is not lost. */
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ name: 'requested_at', type: 'timestamptz' }) requestedAt: Date;
}
