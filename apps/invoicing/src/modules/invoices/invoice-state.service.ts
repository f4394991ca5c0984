import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import type { BookedInvoice, DraftInvoice } from '@bogholder/economic-client';
import { Outbox } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger, SERVICE_ENV } from '@bogholder/service-kit';
import { InvoicingEnv } from '../../config/env';
import { raw, rowsOf, updateStatement } from '../../database/sql';
import { EconomicCallMeter } from '../economic/call-meter';
import { Failure, InvoicingErrorCode } from '../economic/invoicing-errors';
import { InvoicingMetrics } from '../metrics/invoicing-metrics.service';
import { ClaimedJob, QueueService } from '../queue/queue.service';
import { DependentsService } from '../transfers/dependents.service';
import { TransferEntity, TransferIntent } from '../transfers/entities/transfer.entity';
import { TransferEvents } from '../transfers/transfer-events';
import { decideFailure, failureMetric, failurePatch, FailureOutcome, retryPolicy } from '../transfers/work-state';

export interface JobRef {
  job: ClaimedJob;
  owner: string;
}

/** The draft as e-conomic reported it, and what it was written from. */
export interface DraftResult {
  draft: Pick<DraftInvoice, 'draftInvoiceNumber' | 'netAmount' | 'vatAmount' | 'grossAmount' | 'currency'>;
  /** The order version the draft was written from (null: unknown, e.g. adopted after a crash). */
  builtVersion: number | null;
  customerNumber: number;
  contactNumber: number | null;
}

const key = (t: Pick<TransferEntity, 'shopId' | 'orderId'>) => ({ shopId: t.shopId, orderId: t.orderId });
const rowKey = (t: Pick<TransferEntity, 'shopId' | 'orderId'>) => ({ shop_id: t.shopId, order_id: t.orderId });

/** Entity fields → columns, for the plain-SQL writes of the hot path. */
const COLUMNS: Partial<Record<keyof TransferEntity, string>> = {
  draftInvoiceNumber: 'draft_invoice_number',
  draftOrderVersion: 'draft_order_version',
  draftRevision: 'draft_revision',
  netAmount: 'net_amount',
  vatAmount: 'vat_amount',
  grossAmount: 'gross_amount',
  currency: 'currency',
  customerNumber: 'customer_number',
  contactNumber: 'contact_number',
};

function columns(patch: Partial<TransferEntity>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    const column = COLUMNS[field as keyof TransferEntity];
    if (!column) throw new Error(`no column mapping for transfer field ${field}`);
    out[column] = value;
  }
  return out;
}

/**
 * Every state change of a transfer after intake, each atomic (one statement, or one transaction) with
 * its outbox events and the settlement of its job, so a crash between two steps leaves a consistent
 * row: the recorded intent says which write may have happened, and the next run looks it up before
 * writing again.
 */
@Injectable()
export class InvoiceStateService {
  private readonly logger: RootLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly queue: QueueService,
    private readonly dependents: DependentsService,
    private readonly meter: EconomicCallMeter,
    private readonly metrics: InvoicingMetrics,
    @Inject(SERVICE_ENV) private readonly env: InvoicingEnv,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'invoices' });
  }

  /** Records what is about to be written (committed before the write: one statement, autocommit). */
  async setIntent(t: TransferEntity, intent: TransferIntent, patch: Partial<TransferEntity> = {}): Promise<void> {
    await this.write(t, { ...columns(patch), intent, intent_at: raw('now()') });
    Object.assign(t, patch, { intent });
  }

  /** Clears an intent whose write certainly did not happen, or was resolved by a lookup. */
  async clearIntent(t: TransferEntity, patch: Partial<TransferEntity> = {}): Promise<void> {
    await this.write(t, { ...columns(patch), intent: null, intent_at: null });
    Object.assign(t, patch, { intent: null });
  }

  private async write(t: TransferEntity, set: Record<string, unknown>): Promise<void> {
    const { sql, params } = updateStatement('transfers', { ...set, economic_calls: raw(`economic_calls + ${this.meter.take()}`), updated_at: raw('now()') }, rowKey(t));
    await this.dataSource.query(sql, params);
  }


  /**
   * Stores a written draft and records the booking intent in the same statement, unless the order
   * changed meanwhile or the invoice got booked (then no intent; a changed order runs the job again to
   * update the draft first). Returns whether booking may go ahead.
   */
  async draftReadyToBook(t: TransferEntity, d: DraftResult | null): Promise<boolean> {
    const patch: Partial<TransferEntity> = d ? draftPatch(t, d) : {};
    const built = d ? d.builtVersion : t.draftOrderVersion;
    const { sql, params } = updateStatement(
      'transfers',
      {
        ...columns(patch),
        economic_calls: raw(`economic_calls + ${this.meter.take()}`),
        updated_at: raw('now()'),
      },
      rowKey(t),
      '',
      'intent',
    );
    // The intent is decided by the row itself, under its lock: booking only from the current order version.
    const guarded = sql.replace(' WHERE ', `, intent = CASE WHEN booked_invoice_number IS NULL AND order_version IS NOT DISTINCT FROM $${params.length + 1}::int THEN 'booking' END, intent_at = now() WHERE `);
    const rows = await rowsOf<{ intent: string | null }>(this.dataSource, guarded, [...params, built]);
    const proceed = rows[0]?.intent === 'booking';
    Object.assign(t, patch, { intent: proceed ? 'booking' : null });
    if (!proceed && rows.length) {
      // The order changed while the draft was written (or it was booked meanwhile): run again.
      await this.outbox.transaction((m) => this.queue.enqueue(m, { shopId: t.shopId, kind: 'invoice', orderId: t.orderId }));
    }
    return proceed;
  }

  /** Stores a draft that was adopted after a crash (found by its reference); it is rewritten before booking. */
  async adoptDraft(t: TransferEntity, draft: DraftInvoice): Promise<void> {
    await this.clearIntent(t, {
      draftInvoiceNumber: draft.draftInvoiceNumber,
      draftOrderVersion: null,
      netAmount: draft.netAmount,
      vatAmount: draft.vatAmount,
      grossAmount: draft.grossAmount,
      currency: draft.currency,
      customerNumber: draft.customer.customerNumber,
    });
  }

  /** Draft mode: the draft is the end result. Announces it once per revision and lets credit notes follow. */
  async markDrafted(t: TransferEntity, d: DraftResult | null, ref: JobRef): Promise<void> {
    await this.outbox.transaction(async (m) => {
      const current = await m.findOne(TransferEntity, { where: key(t), lock: { mode: 'pessimistic_write' } });
      if (!current || current.bookedInvoiceNumber !== null) {
        await this.queue.complete(m, ref.job, ref.owner);
        return;
      }
      const patch: Partial<TransferEntity> = d ? draftPatch(current, d) : {};
      const announce = !!d || current.status !== 'drafted';
      const merged = { ...current, ...patch };
      await m.update(TransferEntity, key(t), {
        ...patch,
        status: 'drafted',
        intent: null,
        intentAt: null,
        attempts: () => 'attempts + 1',
        economicCalls: () => `economic_calls + ${this.meter.take()}`,
        lastErrorCode: null,
        lastErrorMessage: null,
        nextAttemptAt: null,
        firstFailedAt: null,
        updatedAt: () => 'now()',
      });
      if (announce && merged.draftInvoiceNumber !== null && merged.customerNumber !== null) {
        await this.outbox.add(
          m,
          TransferEvents.invoiceDrafted(t.shopId, current.correlationId, merged.draftRevision, {
            orderId: t.orderId,
            draftInvoiceNumber: merged.draftInvoiceNumber,
            customerNumber: merged.customerNumber,
            netAmount: merged.netAmount ?? 0,
            vatAmount: merged.vatAmount ?? 0,
            grossAmount: merged.grossAmount ?? 0,
            currency: merged.currency ?? current.order?.currency ?? 'DKK',
          }),
        );
      }
      await this.dependents.release(m, t.shopId, t.orderId, { booked: false, postPayments: false });
      await this.queue.complete(m, ref.job, ref.owner);
      this.metrics.jobs.inc({ kind: 'invoice', outcome: 'done' });
      this.logger.info({ shopId: t.shopId, orderId: t.orderId, draftInvoiceNumber: merged.draftInvoiceNumber }, 'invoice drafted (bookingMode draft)');
    });
  }

  /**
   * The invoice is booked (by us, found by its reference after an unknown outcome, or booked by hand).
   * One statement, so it is atomic without a transaction: status booked; `invoice.booked` written to the
   * outbox only if this statement is the one that records the number (announced exactly once); waiting
   * payments and credit notes released and their jobs requested; the invoice job settled.
   */
  async markBooked(
    shopId: string,
    orderId: string,
    booked: BookedInvoice,
    options: { ref: JobRef | null; sentByEan: boolean; postPayments: boolean; builtVersion?: number | null; how: 'booked' | 'adopted' | 'booked-by-hand' },
  ): Promise<boolean> {
    const calls = this.meter.take();
    const n = booked.bookedInvoiceNumber;
    const notice =
      `update ignored: already booked as #${n}. The shop changed the order while its invoice was being booked; a booked invoice cannot change: ` +
      'refund the difference in the shop (a credit note follows) or correct it in e-conomic by hand.';
    // correlationId and draftInvoiceNumber are filled in from the row by the statement itself.
    const envelope = TransferEvents.invoiceBooked(shopId, 'from-row', {
      orderId,
      draftInvoiceNumber: n,
      bookedInvoiceNumber: n,
      customerNumber: booked.customer.customerNumber,
      netAmount: booked.netAmount,
      vatAmount: booked.vatAmount,
      grossAmount: booked.grossAmount,
      currency: booked.currency,
      date: booked.date,
      sentByEan: options.sentByEan,
    });
    const job = options.ref?.job;
    const jobsUpsert = `ON CONFLICT (shop_id, kind, order_id, sub_id) DO UPDATE SET run_at = LEAST(jobs.run_at, EXCLUDED.run_at), generation = jobs.generation + 1 RETURNING 1`;
    const rows = await rowsOf<{ booked_row: { correlation_id: string; draft_invoice_number: number; economic_calls: number } | null; deleted: number; enqueued: number }>(
      this.dataSource,
      `WITH u AS (
         UPDATE transfers SET status = 'booked', booked_invoice_number = $3, draft_invoice_number = COALESCE(draft_invoice_number, $3),
           net_amount = $4, vat_amount = $5, gross_amount = $6, currency = $7, invoice_date = $8, customer_number = $9, sent_by_ean = $10,
           intent = NULL, intent_at = NULL, attempts = attempts + $11, economic_calls = economic_calls + $12,
           last_error_code = CASE WHEN COALESCE($13::int, draft_order_version) IS DISTINCT FROM order_version AND COALESCE($13::int, draft_order_version) IS NOT NULL THEN $14 END,
           last_error_message = CASE WHEN COALESCE($13::int, draft_order_version) IS DISTINCT FROM order_version AND COALESCE($13::int, draft_order_version) IS NOT NULL THEN $15 END,
           next_attempt_at = NULL, first_failed_at = NULL, booked_at = now(), updated_at = now()
         WHERE shop_id = $1 AND order_id = $2 AND booked_invoice_number IS NULL
         RETURNING correlation_id, draft_invoice_number, economic_calls
       ),
       o AS (
         INSERT INTO outbox (id, subject, envelope)
         SELECT $16, $17, jsonb_set(jsonb_set($18::jsonb, '{correlationId}', to_jsonb(u.correlation_id)), '{data,draftInvoiceNumber}', to_jsonb(u.draft_invoice_number))
         FROM u ON CONFLICT (id) DO NOTHING
       ),
       p AS (
         UPDATE payments SET status = CASE WHEN $19::boolean THEN 'in_progress' ELSE 'skipped' END, updated_at = now()
         WHERE EXISTS (SELECT 1 FROM u) AND shop_id = $1 AND order_id = $2 AND status = 'waiting_for_invoice' RETURNING payment_id
       ),
       c AS (
         UPDATE credit_notes SET status = 'in_progress', updated_at = now()
         WHERE EXISTS (SELECT 1 FROM u) AND shop_id = $1 AND order_id = $2 AND status = 'waiting_for_invoice' RETURNING refund_id
       ),
       jp AS (INSERT INTO jobs (shop_id, kind, order_id, sub_id) SELECT $1, 'payment', $2, payment_id FROM p WHERE $19::boolean ${jobsUpsert}),
       jc AS (INSERT INTO jobs (shop_id, kind, order_id, sub_id) SELECT $1, 'creditnote', $2, refund_id FROM c ${jobsUpsert}),
       d AS (DELETE FROM jobs WHERE $20::boolean AND id = $21::bigint AND generation = $22::int AND lease_owner = $23 RETURNING 1)
       SELECT (SELECT row_to_json(u) FROM u) AS booked_row, (SELECT count(*) FROM d)::int AS deleted,
              (SELECT count(*) FROM jp)::int + (SELECT count(*) FROM jc)::int AS enqueued`,
      [
        shopId, orderId, n, booked.netAmount, booked.vatAmount, booked.grossAmount, booked.currency, booked.date, booked.customer.customerNumber,
        options.sentByEan, options.ref ? 1 : 0, calls, options.builtVersion ?? null, InvoicingErrorCode.UpdateIgnored, notice,
        envelope.id, envelope.type, JSON.stringify(envelope), options.postPayments,
        !!job, job?.id ?? 0, job?.generation ?? 0, options.ref?.owner ?? '',
      ],
    );
    const result = rows[0]!;
    const row = result.booked_row;
    if (row) {
      // Wake the relay: `invoice.booked` goes out now (a burst of bookings is still relayed as one batch).
      this.outbox.notify();
      this.metrics.callsPerDocument.observe({ kind: 'invoice' }, row.economic_calls);
      this.logger.info({ shopId, orderId, bookedInvoiceNumber: n, grossAmount: booked.grossAmount, how: options.how }, 'invoice booked');
    }
    if (result.enqueued > 0) this.queue.wake();
    if (options.ref) {
      job!.settled = true;
      // More work was requested while it ran (or the lease moved): let the queue decide.
      if (!result.deleted) await this.outbox.transaction((m) => this.queue.complete(m, options.ref!.job, options.ref!.owner));
      this.metrics.jobs.inc({ kind: 'invoice', outcome: 'done' });
    }
    return !!row;
  }

  /** The shop is not connected (or e-conomic rejected its grant): wait for `economic.connected`. */
  async waitForConnection(t: TransferEntity, ref: JobRef, lastError: { code: string; message: string } | null): Promise<void> {
    await this.outbox.transaction(async (m) => {
      await m.update(TransferEntity, { ...key(t), bookedInvoiceNumber: IsNull() }, {
        status: 'waiting_for_connection',
        nextAttemptAt: null,
        ...(lastError ? { lastErrorCode: lastError.code, lastErrorMessage: lastError.message, attempts: () => 'attempts + 1' } : {}),
        economicCalls: () => `economic_calls + ${this.meter.take()}`,
        updatedAt: () => 'now()',
      });
      await this.queue.complete(m, ref.job, ref.owner);
    });
    this.metrics.jobs.inc({ kind: 'invoice', outcome: 'waiting' });
  }

  /** The trigger has not happened (e.g. a retry before the order was paid): wait for it. */
  async waitForTrigger(t: TransferEntity, ref: JobRef): Promise<void> {
    await this.outbox.transaction(async (m) => {
      await m.query(`UPDATE transfers SET status = 'waiting_for_trigger', updated_at = now() WHERE shop_id = $1 AND order_id = $2 AND booked_invoice_number IS NULL`, [t.shopId, t.orderId]);
      await this.queue.complete(m, ref.job, ref.owner);
    });
    this.metrics.jobs.inc({ kind: 'invoice', outcome: 'waiting' });
  }

  /** Nothing to do (already booked, or the transfer is gone). */
  async settle(ref: JobRef): Promise<void> {
    await this.outbox.transaction((m) => this.queue.complete(m, ref.job, ref.owner));
  }

  /**
   * A failure: retry with backoff (status failed), park (a human must act) or wait for a new grant.
   * `invoice.failed` is announced once per transition into failed or parked, not per attempt.
   */
  async recordFailure(t: TransferEntity, failure: Failure, ref: JobRef, options: { clearIntent: boolean; patch?: Partial<TransferEntity> }): Promise<void> {
    let outcomeStatus: FailureOutcome['status'] | null = null;
    await this.outbox.transaction(async (m) => {
      const current = await m.findOne(TransferEntity, { where: key(t), lock: { mode: 'pessimistic_write' } });
      if (!current || current.bookedInvoiceNumber !== null) {
        await this.queue.complete(m, ref.job, ref.owner);
        return;
      }
      const outcome = decideFailure(current, failure, ref.job.attempts, retryPolicy(this.env));
      outcomeStatus = outcome.status;
      const sequence = current.failureSeq + (outcome.transition ? 1 : 0);
      await m.update(TransferEntity, key(t), { ...options.patch, ...failurePatch(outcome, this.meter.take(), options.clearIntent), failureSeq: sequence });
      if (outcome.transition) {
        await this.outbox.add(m, TransferEvents.invoiceFailed(t.shopId, current.correlationId, sequence, { orderId: t.orderId, code: outcome.code, message: outcome.message, retryable: outcome.retryable }));
      }
      await this.queue.afterFailure(m, ref.job, ref.owner, outcome.delayMs);
      const level = outcome.status === 'parked' ? 'warn' : 'info';
      this.logger[level]({ shopId: t.shopId, orderId: t.orderId, status: outcome.status, code: outcome.code, err: outcome.message, retryInMs: outcome.delayMs ?? undefined }, `transfer ${outcome.status}`);
    });
    if (outcomeStatus) this.metrics.jobs.inc({ kind: 'invoice', outcome: failureMetric(outcomeStatus) });
  }
}

/** What a transfer records about the draft it now has. */
export function draftPatch(t: TransferEntity, d: DraftResult): Partial<TransferEntity> {
  return {
    draftInvoiceNumber: d.draft.draftInvoiceNumber,
    draftOrderVersion: d.builtVersion,
    draftRevision: t.draftRevision + 1,
    netAmount: d.draft.netAmount,
    vatAmount: d.draft.vatAmount,
    grossAmount: d.draft.grossAmount,
    currency: d.draft.currency,
    customerNumber: d.customerNumber,
    contactNumber: d.contactNumber,
  };
}
