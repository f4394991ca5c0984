import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Settings } from '@bogholder/contracts';
import { BookedInvoice, DraftInvoice, EconomicApiError, EconomicClient } from '@bogholder/economic-client';
import { Outbox, runWithCorrelation } from '@bogholder/messaging';
import { EconomicClients, ROOT_LOGGER, RootLogger, SERVICE_ENV, ShopDirectory } from '@bogholder/service-kit';
import { InvoicingEnv } from '../../config/env';
import { buildCreditNoteDraft, copenhagenDate, refundReference } from '../documents/draft-builder';
import { missingProductsError, parkOn, referencedProducts, staticProblems } from '../documents/preflight';
import { EconomicCallMeter } from '../economic/call-meter';
import { DocumentLookupService } from '../economic/document-lookup.service';
import { attemptWrite, classifyFailure, InvoicingErrorCode, ParkError } from '../economic/invoicing-errors';
import { ReferenceDataService } from '../economic/reference-data.service';
import { bookingRejected, draftRejected, isDraftGone } from '../economic/rejections';
import { InvoicingMetrics } from '../metrics/invoicing-metrics.service';
import { ClaimedJob, QueueService } from '../queue/queue.service';
import { JobContext, JobProcessor, WorkerService } from '../queue/worker.service';
import { CreditNoteEntity, CreditNoteStatus, DocumentIntent } from '../transfers/entities/credit-note.entity';
import { TransferEntity } from '../transfers/entities/transfer.entity';
import { TransferEvents } from '../transfers/transfer-events';
import { decideFailure, failureMetric, failurePatch, retryPolicy } from '../transfers/work-state';
import { rowsOf } from '../../database/sql';

interface Run {
  job: ClaimedJob;
  owner: string;
  signal: AbortSignal;
  cn: CreditNoteEntity;
  t: TransferEntity;
  settings: Settings;
  agreementNumber: number;
  client: EconomicClient;
  reference: string;
  writeRefused: boolean;
}

const key = (cn: Pick<CreditNoteEntity, 'shopId' | 'orderId' | 'refundId'>) => ({ shopId: cn.shopId, orderId: cn.orderId, refundId: cn.refundId });

/**
 * A credit note per refund (`order.refunded`): once the order's invoice is booked (or drafted in draft
 * mode), a draft with the refunded lines' quantities negated, tied to the refund by `references.other`,
 * then booked (plain booking: `bookWithNumber` would collide with the invoice's number). Same intent and
 * look-up discipline as invoices, so each refund gives exactly one credit note.
 */
@Injectable()
export class CreditNoteProcessor implements JobProcessor, OnModuleInit {
  private readonly logger: RootLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly queue: QueueService,
    private readonly worker: WorkerService,
    private readonly directory: ShopDirectory,
    private readonly clients: EconomicClients,
    private readonly referenceData: ReferenceDataService,
    private readonly lookup: DocumentLookupService,
    private readonly meter: EconomicCallMeter,
    private readonly metrics: InvoicingMetrics,
    @Inject(SERVICE_ENV) private readonly env: InvoicingEnv,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'credit-notes' });
  }

  onModuleInit(): void {
    this.worker.register('creditnote', this);
  }

  async run(job: ClaimedJob, ctx: JobContext): Promise<void> {
    const cn = await this.dataSource.manager.findOne(CreditNoteEntity, { where: { shopId: job.shopId, orderId: job.orderId, refundId: job.subId } });
    if (!cn) return await this.settle(job, ctx.owner);
    await runWithCorrelation(cn.correlationId, () => this.meter.track(() => this.process(cn, job, ctx)));
  }

  private async settle(job: ClaimedJob, owner: string, patch?: { status: CreditNoteStatus } & Partial<CreditNoteEntity>, where?: CreditNoteEntity): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (patch && where) await m.update(CreditNoteEntity, key(where), { ...patch, economicCalls: () => `economic_calls + ${this.meter.take()}`, updatedAt: () => 'now()' });
      await this.queue.complete(m, job, owner);
    });
  }

  private async process(cn: CreditNoteEntity, job: ClaimedJob, ctx: JobContext): Promise<void> {
    let run: Run | null = null;
    try {
      if (cn.bookedInvoiceNumber !== null) return await this.settle(job, ctx.owner);
      const shop = await this.directory.get(cn.shopId);
      const t = await this.dataSource.manager.findOne(TransferEntity, { where: { shopId: cn.shopId, orderId: cn.orderId } });
      const settings = shop.settings;
      if (cn.status === 'drafted' && settings.bookingMode === 'draft' && cn.intent === null) return await this.settle(job, ctx.owner);
      if (!t || !(await this.invoiceReady(t, settings, cn, job, ctx.owner))) return;
      if (!shop.connected || !shop.grantTokenEncrypted || shop.agreementNumber === null) {
        return await this.settle(job, ctx.owner, { status: 'waiting_for_connection' }, cn);
      }
      run = {
        job,
        owner: ctx.owner,
        signal: ctx.signal,
        cn,
        t,
        settings,
        agreementNumber: shop.agreementNumber,
        client: this.clients.forEncryptedToken(shop.grantTokenEncrypted),
        reference: refundReference(cn.shopId, cn.orderId, cn.refundId),
        writeRefused: false,
      };
      await this.advance(run);
    } catch (err) {
      if (ctx.signal.aborted) return;
      await this.recordFailure(cn, job, ctx.owner, err, run?.writeRefused ?? false);
    }
  }

  /** The invoice must exist first; if not, wait for it (checked under the transfer's lock, so booking cannot slip past). */
  private async invoiceReady(t: TransferEntity, settings: Settings, cn: CreditNoteEntity, job: ClaimedJob, owner: string): Promise<boolean> {
    const ready = (x: TransferEntity) => x.bookedInvoiceNumber !== null || (x.status === 'drafted' && settings.bookingMode === 'draft' && x.draftInvoiceNumber !== null);
    if (ready(t) && t.customerNumber !== null && t.order !== null) return true;
    return await this.dataSource.transaction(async (m) => {
      const locked = await m.findOne(TransferEntity, { where: { shopId: t.shopId, orderId: t.orderId }, lock: { mode: 'pessimistic_read' } });
      if (locked && ready(locked) && locked.customerNumber !== null && locked.order !== null) return true;
      await m.update(CreditNoteEntity, key(cn), { status: 'waiting_for_invoice', updatedAt: () => 'now()' });
      await this.queue.complete(m, job, owner);
      return false;
    }).then(async (ok) => {
      if (ok) Object.assign(t, await this.dataSource.manager.findOneOrFail(TransferEntity, { where: { shopId: t.shopId, orderId: t.orderId } }));
      return ok;
    });
  }

  private async advance(run: Run): Promise<void> {
    const { cn, client, reference, signal } = run;
    if (cn.intent === 'creating_draft') {
      const drafts = await this.lookup.draftsByReference(client, reference, signal);
      if (drafts.length) {
        await this.update(cn, { draftInvoiceNumber: drafts[0]!.draftInvoiceNumber, intent: null, intentAt: null });
      } else {
        const booked = await this.lookup.bookedByReference(client, reference, signal);
        if (booked.length) return await this.markBooked(run, booked[0]!);
        await this.update(cn, { intent: null, intentAt: null });
      }
    } else if (cn.intent === 'booking') {
      const booked = await this.lookup.bookedByReference(client, reference, signal);
      if (booked.length) return await this.markBooked(run, booked[0]!);
      if (cn.draftInvoiceNumber !== null && !(await this.lookup.draft(client, cn.draftInvoiceNumber, signal))) await this.draftDeleted(run);
    }

    let draft: DraftInvoice | null = null;
    if (cn.draftInvoiceNumber === null) draft = await this.createDraft(run);
    if (run.settings.bookingMode === 'draft') {
      await this.dataSource.transaction(async (m) => {
        await m.update(CreditNoteEntity, key(cn), {
          status: 'drafted',
          intent: null,
          intentAt: null,
          ...(draft ? this.amounts(draft) : {}),
          attempts: () => 'attempts + 1',
          lastErrorCode: null,
          lastErrorMessage: null,
          nextAttemptAt: null,
          firstFailedAt: null,
          economicCalls: () => `economic_calls + ${this.meter.take()}`,
          updatedAt: () => 'now()',
        });
        await this.queue.complete(m, run.job, run.owner);
      });
      this.logger.info({ shopId: cn.shopId, orderId: cn.orderId, refundId: cn.refundId, draftInvoiceNumber: cn.draftInvoiceNumber }, 'credit note drafted (bookingMode draft)');
      return;
    }
    await this.update(cn, { ...(draft ? this.amounts(draft) : {}), intent: 'booking', intentAt: () => 'now()' });
    const booked = await this.book(run);
    if (booked) await this.markBooked(run, booked);
  }

  private amounts(d: DraftInvoice): Partial<CreditNoteEntity> {
    return { draftInvoiceNumber: d.draftInvoiceNumber, netAmount: d.netAmount, vatAmount: d.vatAmount, grossAmount: d.grossAmount, currency: d.currency };
  }

  private async update(cn: CreditNoteEntity, patch: Record<string, unknown>, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.update(CreditNoteEntity, key(cn), { ...patch, economicCalls: () => `economic_calls + ${this.meter.take()}`, updatedAt: () => 'now()' });
    for (const [k, v] of Object.entries(patch)) if (typeof v !== 'function') (cn as unknown as Record<string, unknown>)[k] = v;
  }

  private async createDraft(run: Run): Promise<DraftInvoice> {
    const { cn, t, settings, client, agreementNumber, signal } = run;
    const order = t.order!;
    parkOn(staticProblems(order, cn.lines, undefined, settings, false));
    const roles = referencedProducts(cn.lines, undefined, settings);
    const missing = await this.referenceData.missingProducts(agreementNumber, client, [...roles.keys()], signal);
    if (missing.length) throw missingProductsError(missing, roles);
    const layoutNumber = await this.referenceData.layoutNumber(agreementNumber, client, settings.layoutNumber, signal);
    const paymentTermsNumber = await this.referenceData.paymentTermsNumber(agreementNumber, client, settings.paymentTermsNumber, signal);
    const body = buildCreditNoteDraft({
      shopId: cn.shopId,
      order,
      settings: { ...settings, eanInvoicing: t.sentByEan },
      customerNumber: t.customerNumber!,
      contactNumber: t.contactNumber,
      layoutNumber,
      paymentTermsNumber,
      refundId: cn.refundId,
      lines: cn.lines,
      date: copenhagenDate(cn.refundedAt),
      bookedInvoiceNumber: t.bookedInvoiceNumber,
    });
    await this.update(cn, { intent: 'creating_draft' satisfies DocumentIntent, intentAt: () => 'now()' });
    try {
      return await attemptWrite(run, () => client.invoices.drafts.create(body, { signal }));
    } catch (err) {
      if (err instanceof EconomicApiError && err.status >= 400 && err.status < 500 && ![401, 403, 404, 429].includes(err.status)) {
        const rejection = draftRejected(err, { document: 'credit note', body, settings });
        for (const p of rejection.missingProducts) await this.referenceData.forgetProduct(agreementNumber, p);
        for (const f of rejection.staleFacts) await this.referenceData.invalidate(agreementNumber, f);
        throw rejection.error;
      }
      throw err;
    }
  }

  private async book(run: Run): Promise<BookedInvoice | null> {
    const { cn, t, client, signal } = run;
    try {
      return await attemptWrite(run, () => client.invoices.booked.book({ draftInvoiceNumber: cn.draftInvoiceNumber!, ...(t.sentByEan ? { sendBy: 'ean' as const } : {}) }, { signal }));
    } catch (err) {
      if (isDraftGone(err)) {
        run.writeRefused = false;
        const booked = await this.lookup.bookedByReference(client, run.reference, signal);
        if (booked.length) return booked[0]!;
        return await this.draftDeleted(run);
      }
      if (err instanceof EconomicApiError && err.status >= 400 && err.status < 500 && ![401, 403, 429].includes(err.status)) {
        throw bookingRejected(err, cn.draftInvoiceNumber!, 'credit note');
      }
      throw err;
    }
  }

  private async draftDeleted(run: Run): Promise<never> {
    const n = run.cn.draftInvoiceNumber;
    await this.update(run.cn, { draftInvoiceNumber: null, intent: null, intentAt: null });
    throw new ParkError(InvoicingErrorCode.DraftDeleted, `the draft credit note #${n} was deleted in e-conomic and no booked credit note carries the refund's reference (${run.reference}). Retry to create a new one, or leave it parked if the refund must not be credited.`);
  }

  private async markBooked(run: Run, booked: BookedInvoice): Promise<void> {
    await this.recordBooked(run.cn, booked, { job: run.job, owner: run.owner });
  }

  /** A credit note of ours that an admin booked by hand in e-conomic (seen through its webhook). */
  async recordBookedByHand(cn: CreditNoteEntity, booked: BookedInvoice): Promise<void> {
    await this.recordBooked(cn, booked, null);
  }

  /** Records the booking once (only the transaction that sets the number announces `creditnote.booked`). */
  private async recordBooked(cn: CreditNoteEntity, booked: BookedInvoice, ref: { job: ClaimedJob; owner: string } | null): Promise<void> {
    await this.outbox.transaction(async (m) => {
      const calls = this.meter.take();
      const rows: { economic_calls: number }[] = await rowsOf(m, `UPDATE credit_notes SET status = 'booked', booked_invoice_number = $4, net_amount = $5, vat_amount = $6, gross_amount = $7, currency = $8,
           draft_invoice_number = COALESCE(draft_invoice_number, $4), intent = NULL, intent_at = NULL, attempts = attempts + $10, economic_calls = economic_calls + $9,
           last_error_code = NULL, last_error_message = NULL, next_attempt_at = NULL, first_failed_at = NULL, updated_at = now()
         WHERE shop_id = $1 AND order_id = $2 AND refund_id = $3 AND booked_invoice_number IS NULL
         RETURNING economic_calls`,
        [cn.shopId, cn.orderId, cn.refundId, booked.bookedInvoiceNumber, booked.netAmount, booked.vatAmount, booked.grossAmount, booked.currency, calls, ref ? 1 : 0],
      );
      if (rows.length) {
        await this.outbox.add(m, TransferEvents.creditNoteBooked(cn.shopId, cn.correlationId, {
          orderId: cn.orderId,
          refundId: cn.refundId,
          bookedInvoiceNumber: booked.bookedInvoiceNumber,
          grossAmount: booked.grossAmount,
          currency: booked.currency,
        }));
        this.metrics.callsPerDocument.observe({ kind: 'creditnote' }, rows[0]!.economic_calls);
        this.logger.info({ shopId: cn.shopId, orderId: cn.orderId, refundId: cn.refundId, bookedInvoiceNumber: booked.bookedInvoiceNumber, byHand: !ref }, 'credit note booked');
      }
      if (ref) await this.queue.complete(m, ref.job, ref.owner);
    });
    if (ref) this.metrics.jobs.inc({ kind: 'creditnote', outcome: 'done' });
  }

  private async recordFailure(cn: CreditNoteEntity, job: ClaimedJob, owner: string, err: unknown, clearIntent: boolean): Promise<void> {
    const failure = classifyFailure(err);
    await this.dataSource.transaction(async (m) => {
      const current = await m.findOne(CreditNoteEntity, { where: key(cn), lock: { mode: 'pessimistic_write' } });
      if (!current || current.bookedInvoiceNumber !== null) return await this.queue.complete(m, job, owner);
      const outcome = decideFailure(current, failure, job.attempts, retryPolicy(this.env));
      await m.update(CreditNoteEntity, key(cn), failurePatch(outcome, this.meter.take(), clearIntent));
      await this.queue.afterFailure(m, job, owner, outcome.delayMs);
      this.logger[outcome.status === 'parked' ? 'warn' : 'info']({ shopId: cn.shopId, orderId: cn.orderId, refundId: cn.refundId, status: outcome.status, code: outcome.code, err: outcome.message }, `credit note ${outcome.status}`);
      this.metrics.jobs.inc({ kind: 'creditnote', outcome: failureMetric(outcome.status) });
    });
  }
}
