import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Order, Settings } from '@bogholder/contracts';
import {
  BookedInvoice, DraftInvoice, DraftInvoiceInput, EconomicApiError, EconomicClient, EconomicNotFoundError,
} from '@bogholder/economic-client';
import { runWithCorrelation } from '@bogholder/messaging';
import { EconomicClients, ROOT_LOGGER, RootLogger, ShopConfig } from '@bogholder/service-kit';
import {
  buildInvoiceDraft, isEanInvoice, orderReference, round2, shopTotals,
} from '../documents/draft-builder';
import { missingProductsError, parkOn, referencedProducts, staticProblems } from '../documents/preflight';
import { EconomicCallMeter } from '../economic/call-meter';
import { CustomersClient } from '../economic/customers.client';
import { DocumentLookupService } from '../economic/document-lookup.service';
import { attemptWrite, classifyFailure, InvoicingErrorCode, ParkError } from '../economic/invoicing-errors';
import { ReferenceDataService } from '../economic/reference-data.service';
import { bookingRejected, draftRejected, isBookingNumberTaken, isDraftGone } from '../economic/rejections';
import { ClaimedJob } from '../queue/queue.service';
import { JobContext, JobProcessor, WorkerService } from '../queue/worker.service';
import { TransferEntity } from '../transfers/entities/transfer.entity';
import { loadTransferWithShop, toShopConfig, toTransfer } from '../transfers/transfer.rows';
import { draftPatch, DraftResult, InvoiceStateService, JobRef } from './invoice-state.service';

/** Everything one run of an invoice job works with. */
interface Run {
  ref: JobRef;
  signal: AbortSignal;
  t: TransferEntity;
  order: Order;
  shop: ShopConfig;
  settings: Settings;
  agreementNumber: number;
  client: EconomicClient;
  reference: string;
  /** A write in this run failed with a definite answer: its intent can be cleared (nothing was written). */
  writeRefused: boolean;
}

/** A draft that was written in this run, with the body it was written from. */
interface Prepared {
  body: DraftInvoiceInput;
  customerNumber: number;
  contactNumber: number | null;
  version: number;
}

/**
 * The invoice job: turns an order into exactly one draft and (per `bookingMode`) one booked invoice.
 *
 * Every e-conomic write is preceded by a committed intent (`creating_draft`, `updating_draft`,
 * `booking`) and followed by a committed result. A run that finds an intent it did not record itself
 * (a crash, a lost answer) first looks the document up by `references.other` and adopts what it finds.
 * Steady state: POST draft + POST booked = 2 calls.
 */
@Injectable()
export class InvoiceProcessor implements JobProcessor, OnModuleInit {
  private readonly logger: RootLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly worker: WorkerService,
    private readonly state: InvoiceStateService,
    private readonly clients: EconomicClients,
    private readonly referenceData: ReferenceDataService,
    private readonly lookup: DocumentLookupService,
    private readonly customers: CustomersClient,
    private readonly meter: EconomicCallMeter,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'invoices' });
  }

  onModuleInit(): void {
    this.worker.register('invoice', this);
  }

  async run(job: ClaimedJob, ctx: JobContext): Promise<void> {
    const ref: JobRef = { job, owner: ctx.owner };
    const loaded = job.context
      ? job.context.transfer && { transfer: toTransfer(job.context.transfer), shop: toShopConfig(job.shopId, job.context.shop) }
      : await loadTransferWithShop(this.dataSource, job.shopId, job.orderId);
    if (!loaded) return await this.state.settle(ref);
    await runWithCorrelation(loaded.transfer.correlationId, () => this.meter.track(() => this.process(loaded.transfer, loaded.shop, ref, ctx.signal)));
  }

  private async process(t: TransferEntity, shop: ShopConfig, ref: JobRef, signal: AbortSignal): Promise<void> {
    let run: Run | null = null;
    try {
      if (t.bookedInvoiceNumber !== null || t.order === null) return await this.state.settle(ref);
      if (!shop.connected || !shop.grantTokenEncrypted || shop.agreementNumber === null) return await this.state.waitForConnection(t, ref, null);
      const settings = shop.settings;
      const triggered = settings.transferTrigger === 'payment' ? t.paid : t.shipped;
      if (!triggered && t.draftInvoiceNumber === null && t.intent === null) return await this.state.waitForTrigger(t, ref);
      run = {
        ref,
        signal,
        t,
        order: t.order,
        shop,
        settings,
        agreementNumber: shop.agreementNumber,
        client: this.clients.forEncryptedToken(shop.grantTokenEncrypted),
        reference: orderReference(t.shopId, t.orderId),
        writeRefused: false,
      };
      await this.advance(run);
    } catch (err) {
      if (signal.aborted) return;
      const failure = classifyFailure(err);
      if (failure.code === InvoicingErrorCode.Internal) this.logger.error({ shopId: t.shopId, orderId: t.orderId, err: err instanceof Error ? err.stack : String(err) }, 'invoice job failed unexpectedly');
      if (failure.disposition === 'reconnect') {
        return await this.state.waitForConnection(t, ref, { code: failure.code, message: failure.message });
      }
      await this.state.recordFailure(t, failure, ref, { clearIntent: run?.writeRefused ?? false });
    }
  }

  private async advance(run: Run): Promise<void> {
    const { t } = run;
    // 1. An intent this run did not record: the write may have happened. Find out before writing again.
    if (t.intent === 'creating_draft' || t.intent === 'booking') {
      const resolved = await this.resolveUncertainWrite(run);
      if (resolved) return;
    }

    // 2. Write the draft when there is none, or it was written from an older version of the order.
    let written: DraftResult | null = null;
    if (t.draftInvoiceNumber === null || t.draftOrderVersion !== t.orderVersion) {
      const prepared = await this.prepare(run);
      const draft = await this.writeDraft(run, prepared);
      if (!draft) return;
      written = { draft, builtVersion: prepared.version, customerNumber: prepared.customerNumber, contactNumber: prepared.contactNumber };
      // 3. Totals guard (§3c): e-conomic's gross must match the shop's within 0.01 per line.
      const shop = shopTotals(run.order.lines, run.order.shipping);
      const difference = round2(Math.abs(draft.grossAmount - shop.gross));
      const tolerance = round2(0.01 * shop.lines);
      if (difference > tolerance) {
        await this.state.recordFailure(t, {
          disposition: 'park',
          code: InvoicingErrorCode.TotalsMismatch,
          message:
            `e-conomic computed a gross total of ${draft.grossAmount.toFixed(2)} ${draft.currency} for draft #${draft.draftInvoiceNumber}, but the shop's total is ${shop.gross.toFixed(2)} ${run.order.currency} ` +
            `(difference ${difference.toFixed(2)}, allowed ${tolerance.toFixed(2)} for ${shop.lines} line${shop.lines === 1 ? '' : 's'}). The draft is kept and not booked: check that the VAT of the products' ` +
            `groups and the customer's VAT zone in e-conomic match the shop's VAT rates, then retry the transfer, or book the draft in e-conomic by hand.`,
        }, run.ref, { clearIntent: true, patch: draftPatch(t, written) });
        return;
      }
    }

    // 4. Draft mode: the draft is the result.
    if (run.settings.bookingMode === 'draft') return await this.state.markDrafted(t, written, run.ref);

    // 5. Book: record the intent with the draft (same transaction), then book.
    const proceed = await this.state.draftReadyToBook(t, written);
    if (!proceed) return await this.state.settle(run.ref);
    const booked = await this.book(run);
    if (booked) {
      await this.state.markBooked(t.shopId, t.orderId, booked, {
        ref: run.ref,
        sentByEan: isEanInvoice(run.order, run.settings),
        postPayments: run.settings.postPayments,
        builtVersion: t.draftOrderVersion,
        how: 'booked',
      });
    }
  }


  /**
   * Resolves an intent left by an earlier run: adopts a booked invoice or a draft found by the order's
   * reference. Returns true when the job is finished (booked found).
   */
  private async resolveUncertainWrite(run: Run): Promise<boolean> {
    const { t, client, reference, signal } = run;
    this.logger.warn({ shopId: t.shopId, orderId: t.orderId, intent: t.intent }, 'an earlier write may or may not have happened: looking the document up');
    if (t.intent === 'creating_draft') {
      const drafts = await this.lookup.draftsByReference(client, reference, signal);
      if (drafts.length) {
        if (drafts.length > 1) this.logger.error({ shopId: t.shopId, orderId: t.orderId, drafts: drafts.map((d) => d.draftInvoiceNumber) }, 'several drafts carry this order\'s reference; adopting the first');
        await this.state.adoptDraft(t, drafts[0]!);
        return false;
      }
      const booked = await this.lookup.bookedByReference(client, reference, signal);
      if (booked.length) return await this.adoptBooked(run, booked[0]!);
      await this.state.clearIntent(t);
      return false;
    }
    const booked = await this.lookup.bookedByReference(client, reference, signal);
    if (booked.length) return await this.adoptBooked(run, booked[0]!);
    if (t.draftInvoiceNumber !== null && !(await this.lookup.draft(client, t.draftInvoiceNumber, signal))) {
      await this.draftDeleted(run);
    }
    return false;
  }

  private async adoptBooked(run: Run, booked: BookedInvoice): Promise<true> {
    await this.state.markBooked(run.t.shopId, run.t.orderId, booked, {
      ref: run.ref,
      sentByEan: isEanInvoice(run.order, run.settings),
      postPayments: run.settings.postPayments,
      how: 'adopted',
    });
    return true;
  }

  /** The stored draft no longer exists and nothing was booked from it: park, and let a retry start a new draft. */
  /** The draft no longer exists: booked by hand in e-conomic (adopt that invoice) or deleted (park). */
  private async draftGone(run: Run, client: EconomicClient, signal: AbortSignal | undefined): Promise<null> {
    run.writeRefused = false;
    const booked = await this.lookup.bookedByReference(client, run.reference, signal);
    if (!booked.length) return await this.draftDeleted(run);
    await this.adoptBooked(run, booked[0]!);
    return null;
  }

  private async draftDeleted(run: Run): Promise<never> {
    const n = run.t.draftInvoiceNumber;
    await this.state.clearIntent(run.t, { draftInvoiceNumber: null, draftOrderVersion: null });
    throw new ParkError(
      InvoicingErrorCode.DraftDeleted,
      `the draft invoice #${n} of this order was deleted in e-conomic and no booked invoice carries the order's reference (${run.reference}). ` +
        'Retry the transfer to create a new draft, or leave it parked if the order must not be invoiced.',
    );
  }

  /** Pre-flight checks, the customer, layout and payment terms, and the draft body. */
  private async prepare(run: Run): Promise<Prepared> {
    const { t, order, settings, client, agreementNumber, signal } = run;
    parkOn(staticProblems(order, order.lines, order.shipping, settings, true));
    const ean = isEanInvoice(order, settings);
    if (ean && !(await this.referenceData.canSendElectronicInvoice(agreementNumber, client, signal))) {
      throw new ParkError(
        InvoicingErrorCode.EanSettingsRequired,
        'EAN settings is required: the customer has an EAN and eanInvoicing is on, but the e-conomic agreement cannot send e-invoices. ' +
          'Set up electronic invoicing (NemHandel) in e-conomic (Settings → e-invoicing) so the agreement can send e-invoices, then retry the transfer, or turn eanInvoicing off.',
      );
    }
    const roles = referencedProducts(order.lines, order.shipping, settings);
    const missing = await this.referenceData.missingProducts(agreementNumber, client, [...roles.keys()], signal);
    if (missing.length) throw missingProductsError(missing, roles);
    const customer = await this.customers.ensure({ shopId: t.shopId, customer: order.customer, needContact: ean, correlationId: t.correlationId });
    if (ean && !customer.contactNumber) {
      throw new ParkError(
        InvoicingErrorCode.CustomerContactMissing,
        `Reference contact must be provided: the customers service did not return a contact person ("${order.customer.eanContactName ?? ''}") for customer ${customer.customerNumber}, which an EAN invoice needs as its reference. Check the customer in e-conomic, then retry.`,
      );
    }
    const layoutNumber = await this.referenceData.layoutNumber(agreementNumber, client, settings.layoutNumber, signal);
    const paymentTermsNumber = await this.referenceData.paymentTermsNumber(agreementNumber, client, settings.paymentTermsNumber, signal);
    const body = buildInvoiceDraft({
      shopId: t.shopId,
      order,
      settings,
      customerNumber: customer.customerNumber,
      contactNumber: customer.contactNumber ?? null,
      layoutNumber,
      paymentTermsNumber,
    });
    return { body, customerNumber: customer.customerNumber, contactNumber: customer.contactNumber ?? null, version: t.orderVersion };
  }

  /** POST a new draft, or PUT the existing one (full replace, safe to repeat). */
  private async writeDraft(run: Run, prepared: Prepared): Promise<DraftInvoice | null> {
    const { t, client, signal } = run;
    const customerPatch = { customerNumber: prepared.customerNumber, contactNumber: prepared.contactNumber };
    try {
      if (t.draftInvoiceNumber !== null) {
        await this.state.setIntent(t, 'updating_draft', customerPatch);
        try {
          return await attemptWrite(run, () => client.invoices.drafts.update(t.draftInvoiceNumber!, prepared.body, { idempotent: true, signal }));
        } catch (err) {
          if (!(err instanceof EconomicNotFoundError)) throw err;
          // Gone: booked by hand (adopt it) or deleted (park).
          return await this.draftGone(run, client, signal);
        }
      }
      await this.state.setIntent(t, 'creating_draft', customerPatch);
      return await attemptWrite(run, () => client.invoices.drafts.create(prepared.body, { signal }));
    } catch (err) {
      if (err instanceof EconomicApiError && err.status >= 400 && err.status < 500 && ![401, 403, 404, 429].includes(err.status)) {
        const rejection = draftRejected(err, { document: 'invoice', body: prepared.body, settings: run.settings });
        for (const p of rejection.missingProducts) await this.referenceData.forgetProduct(run.agreementNumber, p);
        for (const f of rejection.staleFacts) await this.referenceData.invalidate(run.agreementNumber, f);
        if (rejection.customerMissing) this.customers.forget(run.t.shopId, run.order.customer);
        throw rejection.error;
      }
      throw err;
    }
  }

  /** POST /invoices/booked; a taken `bookWithNumber` that is ours is adopted, a foreign one parks. */
  private async book(run: Run): Promise<BookedInvoice | null> {
    const { t, order, settings, client, signal } = run;
    const bookWithNumber = settings.bookingMode === 'bookWithNumber' ? settings.invoiceNumberOffset + order.orderNumber : undefined;
    const ean = isEanInvoice(order, settings);
    const draftInvoiceNumber = t.draftInvoiceNumber!;
    try {
      return await attemptWrite(run, () =>
        client.invoices.booked.book({ draftInvoiceNumber, ...(bookWithNumber !== undefined ? { bookWithNumber } : {}), ...(ean ? { sendBy: 'ean' as const } : {}) }, { signal }),
      );
    } catch (err) {
      if (isBookingNumberTaken(err)) {
        const existing = await this.lookup.booked(client, bookWithNumber!, signal);
        if (existing && existing.references?.other === run.reference) {
          run.writeRefused = false;
          return existing;
        }
        throw new ParkError(
          InvoicingErrorCode.InvoiceNumberTaken,
          `invoice number ${bookWithNumber} is already used in e-conomic: raise invoiceNumberOffset or book this order with bookingMode book, then retry. ` +
            `(Invoice ${bookWithNumber} is another document${existing ? ` for customer ${existing.customer.customerNumber}${existing.references?.other ? `, reference "${existing.references.other}"` : ''}` : ''}.) The draft #${draftInvoiceNumber} is kept.`,
        );
      }
      if (isDraftGone(err)) return await this.draftGone(run, client, signal);
      if (err instanceof EconomicApiError && err.status >= 400 && err.status < 500 && ![401, 403, 429].includes(err.status)) {
        throw bookingRejected(err, draftInvoiceNumber, 'invoice');
      }
      throw err;
    }
  }
}
