import { ErrorCode } from '../core/errors';
import type { Ctx, Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import { ValidationError } from '../core/validation';
import type { Agreement, Booked, Draft } from '../state/types';
import { created, found, idParam, objectReader, ok } from './common';
import { accountingYearOf, BOOKED_FIELDS, computeTotals, renderDocParts, renderLine } from './invoice-doc';
import { findProduct, moveStock, tracksStock } from './products';

export function renderBooked(ctx: Ctx, b: Booked, withLines: boolean) {
  const n = b.bookedInvoiceNumber;
  const url = (p: string) => ctx.links.url(p);
  const parts = renderDocParts(ctx, b);
  return {
    bookedInvoiceNumber: n,
    ...parts.amounts,
    remainder: b.remainder,
    remainderInBaseCurrency: b.remainderInBaseCurrency,
    ...parts.parties,
    pdf: { download: url(`/invoices/booked/${n}/pdf`) },
    lines: withLines ? b.lines.map((l) => renderLine(ctx, l, true)) : undefined,
    sent: url(`/invoices/booked/${n}/sent`),
    self: url(`/invoices/booked/${n}`),
  };
}

/**
 * The preconditions for sending an invoice electronically (economic-api.md §7), checked in the
 * documented order, then the agreement's EAN set-up. Answers the first that fails.
 */
function eanProblem(a: Agreement, draft: Draft): { code: string; message: string } | undefined {
  const customer = a.customers.get(draft.customer.customerNumber);
  const ean = draft.recipient.ean ?? customer?.ean;
  if (!a.cvr || !/^\d{8}$/.test(a.cvr)) {
    return { code: ErrorCode.eanAgreementCvr, message: 'The agreement must have a valid CVR number to send electronic invoices.' };
  }
  if (!ean || !/^\d{13}$/.test(ean)) {
    return { code: ErrorCode.eanCustomerEan, message: 'The customer must have a valid EAN number (13 digits) to receive electronic invoices.' };
  }
  if (!customer || customer.contacts.size === 0) {
    return { code: ErrorCode.eanCustomerContact, message: 'The customer must have a contact person to receive electronic invoices.' };
  }
  if (!draft.references?.customerContact) {
    return { code: ErrorCode.eanReferenceContact, message: 'Reference contact must be provided.' };
  }
  if (!a.paying) {
    return { code: ErrorCode.eanNotPaying, message: 'Electronic invoices can only be sent from a paying agreement.' };
  }
  if (a.agreementType !== 'denmark') {
    return { code: ErrorCode.eanNotDanish, message: 'Electronic invoices can only be sent from a Danish agreement.' };
  }
  if (!a.canSendElectronicInvoice) {
    return { code: ErrorCode.eanSettings, message: 'EAN settings is required.' };
  }
  return undefined;
}

function nextFreeNumber(a: Agreement): number {
  while (a.booked.has(a.nextBookedNumber)) a.nextBookedNumber++;
  return a.nextBookedNumber++;
}

/** Books a draft: POST /invoices/booked, or PUT /invoices/booked/:n (book with that number). */
function book(ctx: Ctx, urlNumber: number | undefined) {
  const a = ctx.agreement;
  const r = objectReader(ctx);
  const draftNumber = r.ref(['draftInvoice'], 'draftInvoiceNumber', {
    required: true,
    exists: (n) => a.drafts.has(n),
    entity: 'DraftInvoice',
    collection: '/invoices/drafts',
  });
  let number = r.number(['bookWithNumber'], { integer: true, min: 1, max: 999_999_999 });
  if (urlNumber !== undefined) {
    if (number !== undefined && number !== urlNumber) {
      r.add(['bookWithNumber'], ErrorCode.invalidValue, 'bookWithNumber in the body must match the invoice number in the URL.', number);
    }
    number = urlNumber;
  }
  if (number !== undefined && a.booked.has(number)) {
    r.add(
      ['bookWithNumber'],
      ErrorCode.alreadyExists,
      `Booked invoice number '${number}' is already in use.`,
      number,
      'A booked invoice number can only be used once. Leave bookWithNumber out to book with the next number.',
    );
  }
  const sendBy = r.string(['sendBy'])?.toLowerCase();
  if (sendBy !== undefined && sendBy !== 'none' && sendBy !== 'ean') {
    r.add(['sendBy'], ErrorCode.invalidValue, "Property 'sendBy' must be one of: none, ean.", sendBy);
  }
  r.issues.throwIfAny();

  const draft = a.drafts.get(draftNumber!)!;
  if (draft.lines.length === 0) r.add(['draftInvoice'], ErrorCode.invalidValue, 'A draft invoice without lines cannot be booked.', draftNumber);
  if (accountingYearOf(a, draft.date) === undefined) {
    r.add(['draftInvoice'], ErrorCode.notFound, `No accounting year contains the invoice date ${draft.date}.`, draftNumber);
  }
  if (!a.customers.has(draft.customer.customerNumber)) {
    r.add(['draftInvoice'], ErrorCode.notFound, `Customer '${draft.customer.customerNumber}' not found.`, draftNumber);
  }
  for (const line of draft.lines) {
    const p = line.product ? findProduct(a, line.product.productNumber) : undefined;
    if (line.product && !p) r.add(['draftInvoice'], ErrorCode.notFound, `Product '${line.product.productNumber}' not found.`, draftNumber);
    if (p?.barred) r.add(['draftInvoice'], ErrorCode.invalidValue, `Product '${p.productNumber}' is barred and cannot be booked.`, draftNumber);
  }
  r.issues.throwIfAny();
  if (sendBy === 'ean') {
    const problem = eanProblem(a, draft);
    if (problem) {
      throw new ValidationError([{ path: ['sendBy'], code: problem.code, message: problem.message, input: 'ean' }], problem.message);
    }
  }

  // Everything is valid: commit.
  const bookedInvoiceNumber = number ?? nextFreeNumber(a);
  const { draftInvoiceNumber: _n, soap: _s, lastUpdated: _u, ...doc } = draft;
  const booked: Booked = {
    ...doc,
    lines: draft.lines.map((l) => ({ ...l })),
    bookedInvoiceNumber,
    remainder: 0,
    remainderInBaseCurrency: 0,
  };
  computeTotals(a, booked);
  booked.remainder = booked.grossAmount;
  booked.remainderInBaseCurrency = booked.grossAmountInBaseCurrency;
  if (sendBy === 'ean') booked.sentBy = 'ean';
  a.booked.set(bookedInvoiceNumber, booked);
  a.drafts.delete(draft.draftInvoiceNumber);

  const customer = a.customers.get(booked.customer.customerNumber)!;
  customer.balance = Number((customer.balance + booked.grossAmountInBaseCurrency).toFixed(2));
  customer.dueAmount = Number((customer.dueAmount + booked.grossAmountInBaseCurrency).toFixed(2));

  const moved = new Set<string>();
  for (const line of booked.lines) {
    const p = line.product ? findProduct(a, line.product.productNumber) : undefined;
    if (p && tracksStock(a, p)) {
      moveStock(p, -line.quantity);
      moved.add(p.productNumber);
    }
  }
  for (const productNumber of moved) ctx.effects.push({ kind: 'product', productNumber });
  ctx.effects.push({ kind: 'invoice', invoiceNumber: bookedInvoiceNumber });
  return created(ctx, `/invoices/booked/${bookedInvoiceNumber}`, renderBooked(ctx, booked, true));
}

const list: Handler = (ctx) =>
  collection(ctx, '/invoices/booked', ctx.agreement.booked.values(), {
    fields: BOOKED_FIELDS,
    defaultSort: 'bookedInvoiceNumber',
    render: (b) => renderBooked(ctx, b, false),
  });

const get: Handler = (ctx) => ok(renderBooked(ctx, found(ctx.agreement.booked.get(idParam(ctx, 'n'))), true));

const post: Handler = (ctx) => book(ctx, undefined);

const put: Handler = (ctx) => {
  const raw = ctx.params.n ?? '';
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
  if (n === undefined || n < 1) {
    throw new ValidationError([{ path: ['bookWithNumber'], code: ErrorCode.invalidValue, message: 'The invoice number in the URL must be between 1 and 999999999.', input: raw }]);
  }
  return book(ctx, n);
};

export function registerBooked(r: Router<Handler>): void {
  r.get('/invoices/booked', list).post('/invoices/booked', post).get('/invoices/booked/:n', get).put('/invoices/booked/:n', put);
}
