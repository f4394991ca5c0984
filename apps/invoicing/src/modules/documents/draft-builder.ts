import { createHash } from 'node:crypto';
import type { Order, OrderLine, Settings, Shipping } from '@bogholder/contracts';
import { vatRegionForCountry } from '@bogholder/contracts';
import type { DraftInvoiceInput, DraftInvoiceLineInput } from '@bogholder/economic-client';

/**
 * The e-conomic documents of an order (CONTRACT.md §3c), as pure functions: the same body is POSTed,
 * PUT after an update, and shown by the invoice preview.
 */

/** Strips binary floating-point noise, then rounds half away from zero to 2 decimals (e-conomic's rule). */
export function round2(n: number): number {
  const abs = Math.round(Number((Math.abs(n) * 100).toPrecision(15))) / 100;
  const r = n < 0 ? -abs : abs;
  return r === 0 ? 0 : r;
}

/** `references.other` of an order's invoice: how it is found again after a crash or a lost answer. */
export const orderReference = (shopId: string, orderId: string): string => `bogholder:${shopId}:${orderId}`;

/** `references.other` of a refund's credit note. */
export const refundReference = (shopId: string, orderId: string, refundId: string): string => `${orderReference(shopId, orderId)}:refund:${refundId}`;

/** The payment voucher's `text` (max 250): how a posted payment is found again. Long ids are shortened to a hash. */
export function paymentText(shopId: string, orderId: string, paymentId: string): string {
  const text = `${orderReference(shopId, orderId)}:payment:${paymentId}`;
  if (text.length <= 250) return text;
  const hash = createHash('sha256').update(paymentId).digest('hex').slice(0, 16);
  return `${orderReference(shopId, orderId)}:payment:#${hash}`.slice(0, 250);
}

export const orderHeading = (orderNumber: number): string => `Order #${orderNumber}`;

/** The VAT rate's key in `totalLineProducts` (`"25"` for 25, `"12.5"` for 12.5), or undefined when unmapped. */
export function totalLineProduct(settings: Settings, rate: number): string | undefined {
  const entry = Object.entries(settings.totalLineProducts ?? {}).find(([key]) => Number(key) === rate);
  return entry?.[1];
}

/** An invoice for this order is sent electronically (EAN) when the setting is on and the customer has an EAN. */
export const isEanInvoice = (order: Order, settings: Settings): boolean => settings.eanInvoicing && !!order.customer.ean;

/** Shipping becomes an invoice line only when it costs something. */
export const chargedShipping = (shipping: Shipping | undefined): Shipping | undefined => (shipping && shipping.amount > 0 ? shipping : undefined);

const lineNet = (line: Pick<OrderLine, 'quantity' | 'unitNetPrice' | 'discountPercentage'>): number =>
  round2(line.quantity * line.unitNetPrice * (1 - (line.discountPercentage ?? 0) / 100));

/** Country names as e-conomic shows them on documents (it stores free text). */
const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });
export function countryName(code: string): string {
  try {
    return countryNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/**
 * The shop's own gross total: Σ round2(qty × price × (1 − discount/100)) × (1 + vat/100) plus shipping
 * with its VAT, and how many lines it is made of (the totals guard allows 0.01 per line).
 */
export function shopTotals(lines: OrderLine[], shipping: Shipping | undefined): { net: number; gross: number; lines: number } {
  let net = 0;
  let gross = 0;
  for (const line of lines) {
    const n = lineNet(line);
    net += n;
    gross += n * (1 + line.vatRate / 100);
  }
  const charged = chargedShipping(shipping);
  if (charged) {
    net += charged.amount;
    gross += charged.amount * (1 + charged.vatRate / 100);
  }
  return { net: round2(net), gross: round2(gross), lines: lines.length + (charged ? 1 : 0) };
}

/**
 * Invoice lines per `productLayout` (§3c). `sign` -1 negates quantities (a credit note), prices stay positive.
 * `lines`: one line per order line (SKU = product number) plus shipping. `total`: one line per VAT rate
 * (quantity 1, the net sum at that rate including shipping, product `totalLineProducts[rate]`); with
 * `accrual` on, lines with different periods are not merged, so each keeps its accrual.
 */
export function documentLines(orderNumber: number, lines: OrderLine[], shipping: Shipping | undefined, settings: Settings, sign: 1 | -1): DraftInvoiceLineInput[] {
  const charged = chargedShipping(shipping);
  if (settings.productLayout === 'total') {
    const groups = new Map<string, { rate: number; net: number; period?: { start: string; end: string } }>();
    const add = (rate: number, net: number, period?: { start: string; end: string }) => {
      const usePeriod = settings.accrual && period ? period : undefined;
      const key = `${rate}|${usePeriod ? `${usePeriod.start}|${usePeriod.end}` : ''}`;
      const group = groups.get(key) ?? { rate, net: 0, ...(usePeriod ? { period: usePeriod } : {}) };
      group.net += net;
      groups.set(key, group);
    };
    for (const line of lines) add(line.vatRate, lineNet(line), line.period);
    if (charged) add(charged.vatRate, charged.amount);
    return [...groups.values()].map((g) => {
      const out: DraftInvoiceLineInput = {
        product: { productNumber: totalLineProduct(settings, g.rate) ?? '' },
        description: `Sales at ${g.rate}% VAT (order #${orderNumber})${g.period ? `, ${g.period.start} to ${g.period.end}` : ''}`,
        quantity: sign,
        unitNetPrice: round2(g.net),
      };
      if (g.period) out.accrual = { startDate: g.period.start, endDate: g.period.end };
      return out;
    });
  }
  const out: DraftInvoiceLineInput[] = lines.map((line) => {
    const l: DraftInvoiceLineInput = {
      product: { productNumber: line.sku },
      description: line.description.trim() ? line.description : line.sku,
      quantity: round2(sign * line.quantity),
      unitNetPrice: line.unitNetPrice,
    };
    if (line.discountPercentage) l.discountPercentage = line.discountPercentage;
    if (settings.accrual && line.period) l.accrual = { startDate: line.period.start, endDate: line.period.end };
    return l;
  });
  if (charged) {
    out.push({
      product: { productNumber: settings.shippingProductNumber ?? '' },
      description: charged.description.trim() ? charged.description : 'Shipping',
      quantity: sign,
      unitNetPrice: charged.amount,
    });
  }
  return out;
}

export interface DraftParams {
  shopId: string;
  order: Order;
  settings: Settings;
  customerNumber: number;
  /** The customer's contact for `references.customerContact` ("Deres reference"), needed for EAN invoices. */
  contactNumber: number | null;
  layoutNumber: number;
  paymentTermsNumber: number;
}

function header(p: DraftParams, date: string, reference: string): DraftInvoiceInput {
  const { order, settings } = p;
  const c = order.customer;
  const ean = isEanInvoice(order, settings);
  const recipient: DraftInvoiceInput['recipient'] = {
    name: c.name,
    vatZone: { vatZoneNumber: settings.vatZones[vatRegionForCountry(c.country)] },
  };
  if (c.address) recipient.address = c.address;
  if (c.zip) recipient.zip = c.zip;
  if (c.city) recipient.city = c.city;
  recipient.country = countryName(c.country);
  if (ean && c.ean) {
    recipient.ean = c.ean;
    recipient.nemHandelType = 'ean';
  }
  const references: NonNullable<DraftInvoiceInput['references']> = { other: reference };
  if (ean && p.contactNumber !== null) references.customerContact = { customerContactNumber: p.contactNumber };
  return {
    date,
    currency: order.currency,
    customer: { customerNumber: p.customerNumber },
    paymentTerms: { paymentTermsNumber: p.paymentTermsNumber },
    layout: { layoutNumber: p.layoutNumber },
    recipient,
    references,
    notes: { heading: orderHeading(order.orderNumber) },
    lines: [],
  };
}

/** The body of `POST /invoices/drafts` for an order (and of the PUT after `order.updated`). */
export function buildInvoiceDraft(p: DraftParams): DraftInvoiceInput {
  const body = header(p, p.order.date, orderReference(p.shopId, p.order.orderId));
  body.lines = documentLines(p.order.orderNumber, p.order.lines, p.order.shipping, p.settings, 1);
  return body;
}

/** A credit note: the refunded lines with negated quantities, same customer, tied to the refund. */
export function buildCreditNoteDraft(p: DraftParams & { refundId: string; lines: OrderLine[]; date: string; bookedInvoiceNumber: number | null }): DraftInvoiceInput {
  const body = header(p, p.date, refundReference(p.shopId, p.order.orderId, p.refundId));
  body.notes = {
    heading: orderHeading(p.order.orderNumber),
    textLine1: p.bookedInvoiceNumber ? `Credit note for invoice ${p.bookedInvoiceNumber} (refund ${p.refundId})` : `Credit note (refund ${p.refundId})`,
  };
  body.lines = documentLines(p.order.orderNumber, p.lines, undefined, p.settings, -1);
  return body;
}

/** A date in Copenhagen (the agreement's own calendar) for a timestamp such as `paidAt`. */
export function copenhagenDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** GS1 mod-10 check digit of a 13-digit GLN/EAN location number; null when it is not 13 digits. */
export function glnCheckDigit(ean: string): number | null {
  if (!/^\d{13}$/.test(ean)) return null;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(ean[11 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

export const isValidGln = (ean: string): boolean => glnCheckDigit(ean) === Number(ean[12]);
