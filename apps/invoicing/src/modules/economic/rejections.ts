import type { Settings } from '@bogholder/contracts';
import { EconomicApiError, type DraftInvoiceInput, type FieldError } from '@bogholder/economic-client';
import { describeFieldErrors, InvoicingErrorCode, ParkError } from './invoicing-errors';

/**
 * Turns e-conomic's validation errors on a draft or a booking into messages an admin can act on:
 * which setting or which product is wrong, and where to fix it.
 */

export interface RejectionContext {
  /** "invoice" or "credit note". */
  document: string;
  body: DraftInvoiceInput;
  settings: Settings;
}

const lineIndex = (path: string): number | null => {
  const m = /^lines\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : null;
};

function lineLabel(body: DraftInvoiceInput, path: string): string {
  const i = lineIndex(path);
  if (i === null) return path;
  const product = body.lines?.[i]?.product?.productNumber;
  return `line ${i + 1}${product ? ` (product ${product})` : ''}${path.slice(`lines[${i}]`.length)}`;
}

export interface DraftRejection {
  error: ParkError;
  /** Product numbers e-conomic says do not exist (the cache must forget them). */
  missingProducts: string[];
  /** Cached facts that turned out wrong. */
  staleFacts: ('firstLayout' | 'firstPaymentTerms')[];
  /** e-conomic does not know the customer (any cached answer about it is wrong). */
  customerMissing: boolean;
}

/** A 4xx on POST/PUT `/invoices/drafts`. */
export function draftRejected(err: EconomicApiError, ctx: RejectionContext): DraftRejection {
  const { body, settings } = ctx;
  const missingProducts: string[] = [];
  const staleFacts: DraftRejection['staleFacts'] = [];
  let customerMissing = false;
  const specific: string[] = [];
  const rest: FieldError[] = [];
  for (const f of err.fieldErrors) {
    const i = lineIndex(f.path);
    if (i !== null && /\.product$/.test(f.path) && f.code === 'E06000') {
      const p = body.lines?.[i]?.product?.productNumber;
      if (p) missingProducts.push(p);
    } else if (f.path === 'layout') {
      if (settings.layoutNumber === null) staleFacts.push('firstLayout');
      specific.push(`layout ${body.layout.layoutNumber} does not exist in e-conomic (${f.message.replace(/\.$/, '')}): set layoutNumber in the settings to an existing layout (e-conomic: Settings → Layouts)`);
    } else if (f.path === 'paymentTerms' || f.path === 'paymentTermsType') {
      if (settings.paymentTermsNumber === null) staleFacts.push('firstPaymentTerms');
      specific.push(`payment terms ${body.paymentTerms.paymentTermsNumber} cannot be used (${f.message.replace(/\.$/, '')}): set paymentTermsNumber in the settings to existing payment terms (e-conomic: Settings → Payment terms)`);
    } else if (f.path === 'recipient.vatZone') {
      specific.push(`VAT zone ${body.recipient.vatZone.vatZoneNumber} does not exist in e-conomic: correct vatZones in the settings (e-conomic: Settings → VAT zones)`);
    } else if (f.path === 'currency') {
      specific.push(`currency ${body.currency} is not available in the e-conomic agreement: add it in e-conomic (Settings → Currencies) or invoice in another currency`);
    } else if (f.path === 'customer') {
      customerMissing = true;
      specific.push(`customer ${body.customer.customerNumber} does not exist in e-conomic (was it deleted?): restore it, then retry`);
    } else if (f.path.startsWith('references.customerContact')) {
      customerMissing = true;
      specific.push(`the customer's reference contact ${body.references?.customerContact?.customerContactNumber ?? ''} does not exist in e-conomic (was it deleted?): retry to have it created again`);
    } else if (/\.accrual\.startDate$/.test(f.path)) {
      specific.push(`${lineLabel(body, f.path)}: ${f.message.replace(/\.$/, '')} — create that accounting year in e-conomic (Settings → Accounting years) or turn accrual off`);
    } else {
      rest.push(f);
    }
  }
  if (missingProducts.length) {
    specific.unshift(
      `product${missingProducts.length > 1 ? 's' : ''} ${missingProducts.map((p) => `"${p}"`).join(', ')} ${missingProducts.length > 1 ? 'do' : 'does'} not exist in e-conomic: create ${missingProducts.length > 1 ? 'them' : 'it'} under Sales → Products with exactly that product number (varenummer)`,
    );
  }
  if (rest.length) specific.push(`e-conomic refused the draft ${ctx.document}: ${describeFieldErrors(rest, (p) => lineLabel(body, p))}`);
  if (!specific.length) specific.push(`e-conomic refused the draft ${ctx.document} (${err.status}): ${err.message}`);
  const code = missingProducts.length ? InvoicingErrorCode.ProductsMissing : InvoicingErrorCode.EconomicRejected;
  const message = specific.join('. Also: ');
  return { error: new ParkError(code, `${message}. Then retry the transfer.`, { details: err.fieldErrors }), missingProducts, staleFacts, customerMissing };
}

/** A 4xx on POST `/invoices/booked` (other than a taken `bookWithNumber`, handled by the caller). */
export function bookingRejected(err: EconomicApiError, draftInvoiceNumber: number, document: string): ParkError {
  const ean = err.fieldErrors.find((f) => f.path === 'sendBy');
  if (ean) {
    if (/EAN settings is required/i.test(ean.message)) {
      return new ParkError(InvoicingErrorCode.EanSettingsRequired, `EAN settings is required: e-conomic refused to send the ${document} electronically. Set up electronic invoicing (NemHandel) in e-conomic (Settings → e-invoicing / NemHandel) so the agreement can send e-invoices, then retry. The draft #${draftInvoiceNumber} is kept.`);
    }
    if (/Reference contact must be provided/i.test(ean.message)) {
      return new ParkError(InvoicingErrorCode.EanReferenceContactMissing, `Reference contact must be provided: e-conomic refused to send the ${document} electronically without a reference person ("Deres reference"). Set eanContactName on the customer in the shop and send the order again, then retry. The draft #${draftInvoiceNumber} is kept.`);
    }
    return new ParkError(InvoicingErrorCode.EanRejected, `e-conomic refused to send the ${document} electronically (EAN): ${ean.message.replace(/\.$/, '')}${ean.code ? ` [${ean.code}]` : ''}. Fix this in e-conomic or on the customer, then retry. The draft #${draftInvoiceNumber} is kept.`);
  }
  const detail = err.fieldErrors.length ? describeFieldErrors(err.fieldErrors) : err.message;
  const yearHint = /accounting year/i.test(detail) ? ' Create the missing accounting year in e-conomic (Settings → Accounting years).' : '';
  return new ParkError(InvoicingErrorCode.EconomicRejected, `e-conomic refused to book the draft ${document} #${draftInvoiceNumber}: ${detail}.${yearHint} The draft is kept; fix the cause, then retry (or book the draft in e-conomic by hand).`, { details: err.fieldErrors });
}

/** True for e-conomic's answer to a `bookWithNumber` that is already used. */
export const isBookingNumberTaken = (err: unknown): boolean =>
  err instanceof EconomicApiError && err.status === 400 && err.fieldErrors.some((f) => f.path === 'bookWithNumber' && f.code === 'E06010');

/** True when booking failed because the draft no longer exists. */
export const isDraftGone = (err: unknown): boolean =>
  err instanceof EconomicApiError && (err.status === 404 || (err.status === 400 && err.fieldErrors.some((f) => f.path === 'draftInvoice' && f.code === 'E06000' && /draft/i.test(f.message))));
