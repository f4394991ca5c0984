import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EconomicApiError, EconomicClient } from '@bogholder/economic-client';
import { Outbox, runWithCorrelation } from '@bogholder/messaging';
import { EconomicClients, ROOT_LOGGER, RootLogger, SERVICE_ENV, ShopDirectory } from '@bogholder/service-kit';
import { InvoicingEnv } from '../../config/env';
import { copenhagenDate, paymentText } from '../documents/draft-builder';
import { EconomicCallMeter } from '../economic/call-meter';
import { DocumentLookupService } from '../economic/document-lookup.service';
import { classifyFailure, definiteRefusal, describeFieldErrors, InvoicingErrorCode, ParkError } from '../economic/invoicing-errors';
import { ReferenceDataService } from '../economic/reference-data.service';
import { InvoicingMetrics } from '../metrics/invoicing-metrics.service';
import { ClaimedJob, QueueService } from '../queue/queue.service';
import { JobContext, JobProcessor, WorkerService } from '../queue/worker.service';
import { PaymentEntity, PaymentStatus } from '../transfers/entities/payment.entity';
import { TransferEntity } from '../transfers/entities/transfer.entity';
import { TransferEvents } from '../transfers/transfer-events';
import { decideFailure, failureMetric, failurePatch, retryPolicy } from '../transfers/work-state';
import { rowsOf } from '../../database/sql';

const key = (p: Pick<PaymentEntity, 'shopId' | 'orderId' | 'paymentId'>) => ({ shopId: p.shopId, orderId: p.orderId, paymentId: p.paymentId });

/**
 * Posts each payment of a booked invoice once, as a customer payment voucher in `paymentJournalNumber`
 * against `postingAccountNumber`, settling the invoice (`customerInvoice`). The voucher's text carries
 * the payment's reference, so after an unknown outcome the entry is found in the journal instead of
 * being posted twice.
 */
@Injectable()
export class PaymentProcessor implements JobProcessor, OnModuleInit {
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
    this.logger = logger.child({ component: 'payments' });
  }

  onModuleInit(): void {
    this.worker.register('payment', this);
  }

  async run(job: ClaimedJob, ctx: JobContext): Promise<void> {
    const p = await this.dataSource.manager.findOne(PaymentEntity, { where: { shopId: job.shopId, orderId: job.orderId, paymentId: job.subId } });
    if (!p) return await this.settle(job, ctx.owner);
    await runWithCorrelation(p.correlationId, () => this.meter.track(() => this.process(p, job, ctx)));
  }

  private async settle(job: ClaimedJob, owner: string, p?: PaymentEntity, status?: PaymentStatus, note?: { code: string; message: string }): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (p && status) {
        await m.update(PaymentEntity, key(p), {
          status,
          ...(note ? { lastErrorCode: note.code, lastErrorMessage: note.message } : {}),
          economicCalls: () => `economic_calls + ${this.meter.take()}`,
          updatedAt: () => 'now()',
        });
      }
      await this.queue.complete(m, job, owner);
    });
  }

  private async process(p: PaymentEntity, job: ClaimedJob, ctx: JobContext): Promise<void> {
    const { signal, owner } = ctx;
    let writeRefused = false;
    try {
      if (p.status === 'posted' || p.status === 'skipped') return await this.settle(job, owner);
      const shop = await this.directory.get(p.shopId);
      const settings = shop.settings;
      const t = await this.dataSource.manager.findOne(TransferEntity, { where: { shopId: p.shopId, orderId: p.orderId } });
      if (!t || t.bookedInvoiceNumber === null || t.customerNumber === null) return await this.waitForInvoice(p, job, owner);
      if (!settings.postPayments && p.intent === null) return await this.settle(job, owner, p, 'skipped');
      if (p.amount <= 0) return await this.settle(job, owner, p, 'skipped', { code: 'payment_zero', message: 'nothing to post: the payment amount is 0' });
      if (!shop.connected || !shop.grantTokenEncrypted || shop.agreementNumber === null) return await this.settle(job, owner, p, 'waiting_for_connection');
      const client = this.clients.forEncryptedToken(shop.grantTokenEncrypted);
      const journalNumber = settings.paymentJournalNumber;
      const accountNumber = settings.postingAccountNumber;
      if (journalNumber === null || accountNumber === null) {
        throw new ParkError('payment_settings_missing', 'postPayments is on but paymentJournalNumber or postingAccountNumber is not set: set both in the settings (e.g. journal 2 "Indbetalinger" and a suspense account such as 5830), then retry');
      }
      const text = paymentText(p.shopId, p.orderId, p.paymentId);
      if (p.intent === 'posting') {
        const entries = await this.lookup.journalEntriesByText(client, journalNumber, text, signal);
        const voucherNumber = entries[0]?.voucher?.voucherNumber;
        if (voucherNumber !== undefined) return await this.markPosted(p, job, owner, voucherNumber, accountNumber);
        await this.dataSource.manager.update(PaymentEntity, key(p), { intent: null, intentAt: null, updatedAt: () => 'now()' });
      }
      const date = copenhagenDate(p.paidAt);
      const year = await this.referenceData.accountingYear(shop.agreementNumber, client, date, signal);
      await this.dataSource.manager.update(PaymentEntity, key(p), { intent: 'posting', intentAt: () => 'now()', economicCalls: () => `economic_calls + ${this.meter.take()}`, updatedAt: () => 'now()' });
      let voucherNumber: number | undefined;
      try {
        const vouchers = await this.post(client, journalNumber, {
          year,
          customerNumber: t.customerNumber,
          accountNumber,
          amount: p.amount,
          date,
          text,
          currency: p.currency,
          invoice: t.bookedInvoiceNumber,
        }, signal);
        voucherNumber = vouchers[0]?.voucherNumber;
      } catch (err) {
        if (definiteRefusal(err, signal)) writeRefused = true;
        if (err instanceof EconomicApiError && err.status >= 400 && err.status < 500 && ![401, 403, 429].includes(err.status)) {
          throw new ParkError(
            InvoicingErrorCode.EconomicRejected,
            `e-conomic refused the payment voucher in journal ${journalNumber}: ${err.fieldErrors.length ? describeFieldErrors(err.fieldErrors) : err.message}. ` +
              'Check paymentJournalNumber and postingAccountNumber in the settings and that the accounting year exists, then retry.',
          );
        }
        throw err;
      }
      if (voucherNumber === undefined) throw new ParkError(InvoicingErrorCode.EconomicRejected, `e-conomic accepted the payment voucher in journal ${journalNumber} but did not say its number; look for "${text}" in the journal`);
      await this.markPosted(p, job, owner, voucherNumber, accountNumber);
    } catch (err) {
      if (signal.aborted) return;
      await this.recordFailure(p, job, owner, err, writeRefused);
    }
  }

  private post(client: EconomicClient, journalNumber: number, v: { year: string; customerNumber: number; accountNumber: number; amount: number; date: string; text: string; currency: string; invoice: number }, signal: AbortSignal) {
    // e-conomic's journal convention: a customer payment is a credit to the customer, entered as a negative amount.
    return client.journals.vouchers(journalNumber).create({
      accountingYear: { year: v.year },
      entries: {
        customerPayments: [{
          customer: { customerNumber: v.customerNumber },
          contraAccount: { accountNumber: v.accountNumber },
          amount: -v.amount,
          date: v.date,
          text: v.text,
          currency: { code: v.currency },
          customerInvoice: v.invoice,
        }],
      },
    }, { signal });
  }

  /** Waits for the booked invoice, checked under the transfer's lock so a booking cannot slip past. */
  private async waitForInvoice(p: PaymentEntity, job: ClaimedJob, owner: string): Promise<void> {
    let release = false;
    await this.dataSource.transaction(async (m) => {
      const t = await m.findOne(TransferEntity, { where: { shopId: p.shopId, orderId: p.orderId }, lock: { mode: 'pessimistic_read' } });
      if (t && t.bookedInvoiceNumber !== null) {
        release = true;
        return await this.queue.retryLater(m, job, owner, 0);
      }
      await m.update(PaymentEntity, key(p), { status: 'waiting_for_invoice', updatedAt: () => 'now()' });
      await this.queue.complete(m, job, owner);
    });
    if (release) this.queue.wake();
  }

  private async markPosted(p: PaymentEntity, job: ClaimedJob, owner: string, voucherNumber: number, contraAccountNumber: number): Promise<void> {
    await this.outbox.transaction(async (m) => {
      const calls = this.meter.take();
      const rows: { economic_calls: number }[] = await rowsOf(m, `UPDATE payments SET status = 'posted', voucher_number = $4, intent = NULL, intent_at = NULL, attempts = attempts + 1, economic_calls = economic_calls + $5,
           last_error_code = NULL, last_error_message = NULL, next_attempt_at = NULL, first_failed_at = NULL, updated_at = now()
         WHERE shop_id = $1 AND order_id = $2 AND payment_id = $3 AND voucher_number IS NULL
         RETURNING economic_calls`,
        [p.shopId, p.orderId, p.paymentId, voucherNumber, calls],
      );
      if (rows.length) {
        await this.outbox.add(m, TransferEvents.paymentPosted(p.shopId, p.correlationId, p.paymentId, {
          orderId: p.orderId,
          voucherNumber,
          amount: p.amount,
          currency: p.currency,
          contraAccountNumber,
        }));
        this.metrics.callsPerDocument.observe({ kind: 'payment' }, rows[0]!.economic_calls);
        this.logger.info({ shopId: p.shopId, orderId: p.orderId, paymentId: p.paymentId, voucherNumber }, 'payment posted');
      }
      await this.queue.complete(m, job, owner);
    });
    this.metrics.jobs.inc({ kind: 'payment', outcome: 'done' });
  }

  private async recordFailure(p: PaymentEntity, job: ClaimedJob, owner: string, err: unknown, clearIntent: boolean): Promise<void> {
    const failure = classifyFailure(err);
    await this.dataSource.transaction(async (m) => {
      const current = await m.findOne(PaymentEntity, { where: key(p), lock: { mode: 'pessimistic_write' } });
      if (!current || current.voucherNumber !== null) return await this.queue.complete(m, job, owner);
      const outcome = decideFailure(current, failure, job.attempts, retryPolicy(this.env));
      await m.update(PaymentEntity, key(p), failurePatch(outcome, this.meter.take(), clearIntent));
      await this.queue.afterFailure(m, job, owner, outcome.delayMs);
      this.logger[outcome.status === 'parked' ? 'warn' : 'info']({ shopId: p.shopId, orderId: p.orderId, paymentId: p.paymentId, status: outcome.status, code: outcome.code, err: outcome.message }, `payment ${outcome.status}`);
      this.metrics.jobs.inc({ kind: 'payment', outcome: failureMetric(outcome.status) });
    });
  }
}

