import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StockChangedData } from '@bogholder/contracts';

export interface DeliveryPayload {
  type: 'stock.changed';
  timestamp: string;
  data: StockChangedData;
}

/** One `stock.changed` on its way to the shop's callbackUrl (id = the event id = `webhook-id`). */
@Entity('deliveries')
export class DeliveryEntity {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column({ name: 'shop_id', type: 'text' }) shopId: string;
  @Column({ type: 'text' }) sku: string;
  @Column({ type: 'jsonb' }) payload: DeliveryPayload;
  @Column({ type: 'text' }) status: 'pending' | 'delivered' | 'dead';
  /** Every attempt ever made. */
  @Column({ type: 'int' }) attempts: number;
  /** Attempts since it was created or last redelivered: the position in the retry schedule. */
  @Column({ name: 'round_attempts', type: 'int' }) roundAttempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'last_status_code', type: 'int', nullable: true }) lastStatusCode: number | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
