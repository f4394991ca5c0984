import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The delivery log: one row per HTTP attempt. */
@Entity('delivery_attempts')
export class DeliveryAttemptEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'text' }) deliveryId: string;
  @PrimaryColumn({ type: 'int' }) attempt: number;
  @Column({ name: 'attempted_at', type: 'timestamptz' }) attemptedAt: Date;
  @Column({ type: 'text', nullable: true }) url: string | null;
  @Column({ name: 'status_code', type: 'int', nullable: true }) statusCode: number | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs: number;
}
