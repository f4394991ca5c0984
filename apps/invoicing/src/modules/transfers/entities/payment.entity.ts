import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericTransformer } from './numeric.transformer';

export type PaymentStatus = 'waiting_for_invoice' | 'waiting_for_connection' | 'in_progress' | 'posted' | 'skipped' | 'failed' | 'parked';

/** One row per payment of an order (`payment.id`, or `payment` for a shop that sends none). */
@Entity('payments')
export class PaymentEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ name: 'order_id', type: 'text' }) orderId: string;
  @PrimaryColumn({ name: 'payment_id', type: 'text' }) paymentId: string;
  @Column({ type: 'numeric', transformer: numericTransformer }) amount: number;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'paid_at', type: 'timestamptz' }) paidAt: Date;
  @Column({ type: 'text' }) status: PaymentStatus;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ name: 'voucher_number', type: 'int', nullable: true }) voucherNumber: number | null;
  @Column({ type: 'text', nullable: true }) intent: 'posting' | null;
  @Column({ name: 'intent_at', type: 'timestamptz', nullable: true }) intentAt: Date | null;
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'economic_calls', type: 'int' }) economicCalls: number;
  @Column({ name: 'last_error_code', type: 'text', nullable: true }) lastErrorCode: string | null;
  @Column({ name: 'last_error_message', type: 'text', nullable: true }) lastErrorMessage: string | null;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'first_failed_at', type: 'timestamptz', nullable: true }) firstFailedAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
