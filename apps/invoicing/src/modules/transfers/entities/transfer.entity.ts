import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Order, TransferStatus } from '@bogholder/contracts';
import { numericTransformer } from './numeric.transformer';

/** What a write to e-conomic was about to do when it was recorded (cleared with its result). */
export type TransferIntent = 'creating_draft' | 'updating_draft' | 'booking';

/** The transfer log: one row per order, its state and everything needed to finish it exactly once. */
@Entity('transfers')
export class TransferEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ name: 'order_id', type: 'text' }) orderId: string;
  @Column({ name: 'order_number', type: 'int', nullable: true }) orderNumber: number | null;
  /** The order as last received (the newest by event `occurredAt`); null while only a refund is known. */
  @Column({ name: 'order_data', type: 'jsonb', nullable: true }) order: Order | null;
  @Column({ name: 'order_occurred_at', type: 'timestamptz', nullable: true }) orderOccurredAt: Date | null;
  /** Bumped whenever the stored order changes; the draft remembers which version it was written from. */
  @Column({ name: 'order_version', type: 'int' }) orderVersion: number;
  @Column({ type: 'boolean' }) paid: boolean;
  @Column({ type: 'boolean' }) shipped: boolean;
  @Column({ type: 'text' }) status: TransferStatus;
  /** The correlation id of the event that started the transfer: every later event and call carries it. */
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ name: 'customer_number', type: 'int', nullable: true }) customerNumber: number | null;
  @Column({ name: 'contact_number', type: 'int', nullable: true }) contactNumber: number | null;
  @Column({ name: 'draft_invoice_number', type: 'int', nullable: true }) draftInvoiceNumber: number | null;
  @Column({ name: 'draft_order_version', type: 'int', nullable: true }) draftOrderVersion: number | null;
  @Column({ name: 'draft_revision', type: 'int' }) draftRevision: number;
  @Column({ name: 'booked_invoice_number', type: 'int', nullable: true }) bookedInvoiceNumber: number | null;
  @Column({ name: 'net_amount', type: 'numeric', nullable: true, transformer: numericTransformer }) netAmount: number | null;
  @Column({ name: 'vat_amount', type: 'numeric', nullable: true, transformer: numericTransformer }) vatAmount: number | null;
  @Column({ name: 'gross_amount', type: 'numeric', nullable: true, transformer: numericTransformer }) grossAmount: number | null;
  @Column({ type: 'text', nullable: true }) currency: string | null;
  @Column({ name: 'invoice_date', type: 'date', nullable: true }) invoiceDate: string | null;
  @Column({ name: 'sent_by_ean', type: 'boolean' }) sentByEan: boolean;
  @Column({ type: 'text', nullable: true }) intent: TransferIntent | null;
  @Column({ name: 'intent_at', type: 'timestamptz', nullable: true }) intentAt: Date | null;
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'economic_calls', type: 'int' }) economicCalls: number;
  @Column({ name: 'last_error_code', type: 'text', nullable: true }) lastErrorCode: string | null;
  @Column({ name: 'last_error_message', type: 'text', nullable: true }) lastErrorMessage: string | null;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'first_failed_at', type: 'timestamptz', nullable: true }) firstFailedAt: Date | null;
  /** Counts transitions into failed/parked: each one emits exactly one `invoice.failed`. */
  @Column({ name: 'failure_seq', type: 'int' }) failureSeq: number;
  @Column({ name: 'booked_at', type: 'timestamptz', nullable: true }) bookedAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
