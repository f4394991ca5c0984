import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrderLine } from '@bogholder/contracts';
import { numericTransformer } from './numeric.transformer';

export type CreditNoteStatus = 'waiting_for_invoice' | 'waiting_for_connection' | 'in_progress' | 'drafted' | 'booked' | 'failed' | 'parked';
export type DocumentIntent = 'creating_draft' | 'booking';

/** One credit note per refund (`order.refunded`), booked once the order's invoice exists. */
@Entity('credit_notes')
export class CreditNoteEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ name: 'order_id', type: 'text' }) orderId: string;
  @PrimaryColumn({ name: 'refund_id', type: 'text' }) refundId: string;
  /** The refunded lines as the shop sent them (positive quantities). */
  @Column({ type: 'jsonb' }) lines: OrderLine[];
  @Column({ name: 'refunded_at', type: 'timestamptz' }) refundedAt: Date;
  @Column({ type: 'text' }) status: CreditNoteStatus;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ name: 'draft_invoice_number', type: 'int', nullable: true }) draftInvoiceNumber: number | null;
  @Column({ name: 'booked_invoice_number', type: 'int', nullable: true }) bookedInvoiceNumber: number | null;
  @Column({ name: 'net_amount', type: 'numeric', nullable: true, transformer: numericTransformer }) netAmount: number | null;
  @Column({ name: 'vat_amount', type: 'numeric', nullable: true, transformer: numericTransformer }) vatAmount: number | null;
  @Column({ name: 'gross_amount', type: 'numeric', nullable: true, transformer: numericTransformer }) grossAmount: number | null;
  @Column({ type: 'text', nullable: true }) currency: string | null;
  @Column({ type: 'text', nullable: true }) intent: DocumentIntent | null;
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
