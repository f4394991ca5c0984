import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type SyncStateStatus = 'pending' | 'ok' | 'no-inventory-module' | 'error';

/** Per shop: how the last reconciliation went and when the next one is due. */
@Entity('sync_state')
export class SyncStateEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @Column({ type: 'text' }) status: SyncStateStatus;
  @Column({ type: 'text', nullable: true }) message: string | null;
  @Column({ name: 'last_reconciled_at', type: 'timestamptz', nullable: true }) lastReconciledAt: Date | null;
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true }) lastAttemptAt: Date | null;
  @Column({ name: 'next_run_at', type: 'timestamptz', nullable: true }) nextRunAt: Date | null;
  @Column({ name: 'consecutive_failures', type: 'int' }) consecutiveFailures: number;
  @Column({ name: 'products_read', type: 'int', nullable: true }) productsRead: number | null;
  @Column({ name: 'changes_sent', type: 'int', nullable: true }) changesSent: number | null;
  @Column({ name: 'effective_interval_seconds', type: 'int', nullable: true }) effectiveIntervalSeconds: number | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
