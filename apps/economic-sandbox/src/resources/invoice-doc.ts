import { ErrorCode } from '../core/errors';
import type { FieldSpec } from '../core/filter';
import type { Ctx } from '../core/http';
import { decodeId } from '../core/links';
import { round2 } from '../core/money';
import type { Path, Reader } from '../core/validation';
import { exchangeRate, isKnownCurrency, baseCurrency } from '../state/currencies';
import type { Agreement, InvoiceDoc, InvoiceLine, PaymentTerms } from '../state/types';
import { findProduct } from './products';
import { contactRef, customerRef, layoutRef, paymentTermsExpanded, productRef, unitExpanded, vatZoneExpanded } from './refs';

/** Shared by drafts and booked invoices: validation, e-conomic's arithmetic and rendering. */

export const DRAFT_FIELDS: FieldSpec = {
  currency: 'string',
  'customer.customerNumber': 'number',
  date: 'date',
  'delivery.address': 'string',
  'delivery.city': 'string',
  'delivery.country': 'string',
  'delivery.deliveryDate': 'date',
  'delivery.deliveryTerms': 'string',
  'delivery.zip': 'string',
  'deliveryLocation.deliveryLocationNumber': 'number',
  draftInvoiceNumber: 'number',
  exchangeRate: 'number',
  'notes.heading': 'string',
  'notes.textLine1': 'string',
  'notes.textLine2': 'string',
  'paymentTerms.paymentTermsNumber': 'number',
  'recipient.address': 'string',
  'recipient.city': 'string',
  'recipient.country': 'string',
  'recipient.ean': 'string',
  'recipient.name': 'string',
  'recipient.publicEntryNumber': 'string',
  'recipient.zip': 'string',
  'references.customerContact.customer.customerNumber': 'number',
  'references.other': 'string',
  'references.salesPerson.employeeNumber': 'number',
  'references.vendorReference.employeeNumber': 'number',
  'soap.currentInvoiceHandle.id': 'number',
};

const { draftInvoiceNumber: _d, 'soap.currentInvoiceHandle.id': _s, ...SHARED_FIELDS } = DRAFT_FIELDS;

export const BOOKED_FIELDS: FieldSpec = {
  ...SHARED_FIELDS,
  bookedInvoiceNumber: 'number',
  'recipient.vatZone.vatZoneNumber': 'number',
};

const NEM_HANDEL_TYPES = ['ean', 'corporateIdentificationNumber', 'pNumber'];

// ---------------------------------------------------------------- dates

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function endOfMonth(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** Last day of the week that `date` is in; weeks end on Saturday (Sunday start) or Sunday (Monday start). */
function endOfWeek(date: string, lastWeekday: number): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, (lastWeekday - day + 7) % 7);
}

/** The due date e-conomic computes from the payment terms. */
export function computeDueDate(date: string, terms: PaymentTerms, given: string | undefined): string {
  const days = terms.daysOfCredit ?? 0;
  switch (terms.paymentTermsType) {
    case 'invoiceMonth':
      return addDays(endOfMonth(date), days);
    case 'invoiceWeekStartingSunday':
      return addDays(endOfWeek(date, 6), days);
    case 'invoiceWeekStartingMonday':
      return addDays(endOfWeek(date, 0), days);
    case 'paidInCash':
    case 'prepaid':
    case 'creditcard':
      return date;
    case 'dueDate':
      return given ?? date;
    default:
      return addDays(date, days);
  }
}

export function accountingYearOf(a: Agreement, date: string): string | undefined {
  for (const y of a.accountingYears.values()) if (date >= y.fromDate && date <= y.toDate) return y.year;
  return undefined;
}

// ---------------------------------------------------------------- validation

function employeeRef(r: Reader, path: Path): void {
  r.ref(path, 'employeeNumber', { exists: () => false, entity: 'Employee', collection: '/employees' });
}

/** Validates invoice lines at `path` (e.g. ['lines']); line numbers continue from `firstLineNumber`. */
export function readLines(r: Reader, a: Agreement, path: Path, firstLineNumber: number, required: boolean): InvoiceLine[] {
  const raw = r.array(path, { required });
  const lines: InvoiceLine[] = [];
  raw?.forEach((_, i) => {
    const p: Path = [...path, i];
    if (r.object(p, { required: true }) === undefined) return;
    const productNumber = r.stringRef([...p, 'product'], 'productNumber', decodeId, { max: 25 });
    const product = productNumber !== undefined ? findProduct(a, productNumber) : undefined;
    if (productNumber !== undefined && !product) {
      r.add([...p, 'product'], ErrorCode.notFound, `Product '${productNumber}' not found.`, productNumber, `Find a list of products at ${r.apiBase}/products .`);
    }
    let quantity = r.number([...p, 'quantity']);
    if (quantity === undefined && !r.has([...p, 'quantity']) && r.has([...p, 'product'])) {
      r.add([...p, 'quantity'], ErrorCode.quantityRequired, 'Quantity is required when a product is specified.');
    }
    quantity ??= 1;
    const unitNetPrice = r.number([...p, 'unitNetPrice'], { twoDecimals: true });
    const discountPercentage = r.number([...p, 'discountPercentage'], { min: 0, max: 100 });
    const unitCostPrice = r.number([...p, 'unitCostPrice']);
    const description = r.string([...p, 'description'], { required: true, max: 2500 });
    const unit = r.ref([...p, 'unit'], 'unitNumber', { exists: (n) => a.units.has(n), collection: '/units' });
    const sortKey = r.number([...p, 'sortKey'], { integer: true, min: 1 });
    const deliveryDate = r.date([...p, 'deliveryDate']);
    r.ref([...p, 'departmentalDistribution'], 'departmentalDistributionNumber', { exists: () => false, entity: 'DepartmentalDistribution' });
    let accrual: InvoiceLine['accrual'];
    if (r.object([...p, 'accrual']) !== undefined) {
      const startDate = r.date([...p, 'accrual', 'startDate'], { required: true });
      const endDate = r.date([...p, 'accrual', 'endDate'], { required: true });
      if (startDate !== undefined && accountingYearOf(a, startDate) === undefined) {
        r.add([...p, 'accrual', 'startDate'], ErrorCode.notFound, `No accounting year contains the accrual start date ${startDate}.`, startDate, `Find the accounting years at ${r.apiBase}/accounting-years .`);
      }
      if (startDate !== undefined && endDate !== undefined && endDate < startDate) {
        r.add([...p, 'accrual', 'endDate'], ErrorCode.invalidValue, 'The accrual end date cannot be before its start date.', endDate);
      }
      if (startDate !== undefined && endDate !== undefined) accrual = { startDate, endDate };
    }
    const lineNumber = firstLineNumber + lines.length;
    const productCost = product ? (a.inventoryModule ? product.inventory.recommendedCostPrice : product.costPrice) : undefined;
    const line: InvoiceLine = {
      lineNumber,
      sortKey: sortKey ?? lineNumber,
      description: description ?? '',
      quantity,
      unitNetPrice: unitNetPrice ?? product?.salesPrice ?? 0,
      discountPercentage: discountPercentage ?? 0,
      unitCostPrice: unitCostPrice ?? productCost ?? 0,
      totalNetAmount: 0,
      vatRate: 0,
      vatAmount: 0,
      marginInBaseCurrency: 0,
      marginPercentage: 0,
    };
    if (product) line.product = { productNumber: product.productNumber };
    const unitNumber = unit ?? product?.unit?.unitNumber;
    if (unitNumber !== undefined) line.unit = { unitNumber };
    if (deliveryDate !== undefined) line.deliveryDate = deliveryDate;
    if (accrual) line.accrual = accrual;
    lines.push(line);
  });
  return lines;
}

/** Validates a draft invoice body (POST and PUT). Throws a validation error; returns a computed document. */
export function readInvoiceDoc(r: Reader, a: Agreement): InvoiceDoc {
  const date = r.date(['date'], { required: true });
  const currencyRaw = r.string(['currency'], { required: true, exact: 3 });
  const currency = currencyRaw?.toUpperCase();
  if (currency !== undefined && !isKnownCurrency(currency)) {
    r.add(['currency'], ErrorCode.notFound, `Currency '${currencyRaw}' not found.`, currencyRaw, `Find a list of currencies at ${r.apiBase}/currencies .`);
  }
  const customerNumber = r.ref(['customer'], 'customerNumber', { required: true, exists: (n) => a.customers.has(n), collection: '/customers' });
  const customer = customerNumber !== undefined ? a.customers.get(customerNumber) : undefined;
  const termsNumber = r.ref(['paymentTerms'], 'paymentTermsNumber', {
    required: true,
    exists: (n) => a.paymentTerms.has(n),
    collection: '/payment-terms',
    notFoundCode: ErrorCode.paymentTermsNotFound,
    entity: 'PaymentTerms',
  });
  const terms = termsNumber !== undefined ? a.paymentTerms.get(termsNumber) : undefined;
  const termsType = r.string(['paymentTerms', 'paymentTermsType']);
  if (terms && termsType !== undefined && termsType !== terms.paymentTermsType) {
    r.add(['paymentTermsType'], 'E07180', `Payment terms type does not match the type of payment terms '${terms.paymentTermsNumber}' (${terms.paymentTermsType}).`, termsType);
  }
  const layout = r.ref(['layout'], 'layoutNumber', { required: true, exists: (n) => a.layouts.has(n), collection: '/layouts' });
  const givenRate = r.number(['exchangeRate'], { min: 0.000001, max: 999_999_999_999 });
  const givenDue = r.date(['dueDate'], { required: terms?.paymentTermsType === 'dueDate' });

  r.object(['recipient'], { required: true });
  const recipientName = r.string(['recipient', 'name'], { required: r.has(['recipient']), max: 250 });
  const zone = r.ref(['recipient', 'vatZone'], 'vatZoneNumber', { required: r.has(['recipient']), exists: (n) => a.vatZones.has(n), collection: '/vat-zones' });
  r.string(['recipient', 'nemHandelType'], { oneOf: NEM_HANDEL_TYPES });
  const contactOfCustomer = (n: number) => customer?.contacts.has(n) ?? false;
  const attention = r.ref(['recipient', 'attention'], 'customerContactNumber', { exists: contactOfCustomer, entity: 'CustomerContact' });

  r.object(['delivery']);
  const deliveryDate = r.date(['delivery', 'deliveryDate']);
  r.object(['notes']);
  r.object(['references']);
  const referenceContact = r.ref(['references', 'customerContact'], 'customerContactNumber', { exists: contactOfCustomer, entity: 'CustomerContact' });
  const other = r.string(['references', 'other'], { max: 250 });
  employeeRef(r, ['references', 'salesPerson']);
  employeeRef(r, ['references', 'vendorReference']);
  r.ref(['project'], 'projectNumber', { exists: () => false, entity: 'Project', collection: '/projects' });
  r.ref(['deliveryLocation'], 'deliveryLocationNumber', { exists: () => false, entity: 'DeliveryLocation' });

  const lines = readLines(r, a, ['lines'], 1, false);

  const recipient: InvoiceDoc['recipient'] = { name: recipientName ?? '', vatZone: { vatZoneNumber: zone ?? 0 } };
  r.copyStrings(recipient, { address: 250, zip: 50, city: 250, country: 50, ean: 13, publicEntryNumber: 40, nemHandelType: 40, mobilePhone: 50, cvr: 40 }, ['recipient']);
  if (attention !== undefined) recipient.attention = { customerContactNumber: attention };

  const doc: InvoiceDoc = {
    date: date ?? '',
    dueDate: '',
    currency: currency ?? '',
    exchangeRate: 100,
    customer: { customerNumber: customerNumber ?? 0 },
    paymentTerms: { paymentTermsNumber: termsNumber ?? 0 },
    layout: { layoutNumber: layout ?? 0 },
    recipient,
    lines,
    netAmount: 0,
    netAmountInBaseCurrency: 0,
    vatAmount: 0,
    grossAmount: 0,
    grossAmountInBaseCurrency: 0,
    roundingAmount: 0,
    costPriceInBaseCurrency: 0,
    marginInBaseCurrency: 0,
    marginPercentage: 0,
  };
  if (r.has(['delivery'])) {
    const delivery: NonNullable<InvoiceDoc['delivery']> = {};
    r.copyStrings(delivery, { address: 255, zip: 30, city: 50, country: 50, deliveryTerms: 100 }, ['delivery']);
    if (deliveryDate !== undefined) delivery.deliveryDate = deliveryDate;
    doc.delivery = delivery;
  }
  if (r.has(['notes'])) {
    const notes: NonNullable<InvoiceDoc['notes']> = {};
    r.copyStrings(notes, { heading: 250, textLine1: 1000, textLine2: 1000 }, ['notes']);
    doc.notes = notes;
  }
  if (r.has(['references'])) {
    const references: NonNullable<InvoiceDoc['references']> = {};
    if (referenceContact !== undefined) references.customerContact = { customerContactNumber: referenceContact, customer: { customerNumber: customerNumber ?? 0 } };
    if (other !== undefined) references.other = other;
    doc.references = references;
  }
  r.issues.throwIfAny();
  doc.exchangeRate = givenRate ?? exchangeRate(doc.currency, baseCurrency(a.agreementType));
  doc.dueDate = computeDueDate(doc.date, terms!, givenDue);
  computeTotals(a, doc);
  return doc;
}

// ---------------------------------------------------------------- arithmetic

/** The VAT rate of a line: the product group's sales account for the recipient's VAT zone, or the zone's default. */
export function lineVatRate(a: Agreement, vatZoneNumber: number, productNumber: string | undefined): number {
  if (productNumber !== undefined) {
    const product = findProduct(a, productNumber);
    const group = product ? a.productGroups.get(product.productGroup.productGroupNumber) : undefined;
    const accountNumber = group?.salesAccounts.get(vatZoneNumber);
    const vatCode = accountNumber !== undefined ? a.accounts.get(accountNumber)?.vatCode : undefined;
    return vatCode ? (a.vatCodes.get(vatCode)?.ratePercentage ?? 0) : 0;
  }
  return a.vatZones.get(vatZoneNumber)?.lineVatRate ?? 0;
}

/**
 * e-conomic's totals: line net = round2(quantity × unitNetPrice × (1 − discount/100)); VAT per line
 * rounded to 2 decimals; header net and VAT are the sums; gross = net + VAT.
 */
export function computeTotals(a: Agreement, doc: InvoiceDoc): void {
  const zone = doc.recipient.vatZone.vatZoneNumber;
  const toBase = (x: number) => round2((x * doc.exchangeRate) / 100);
  let net = 0;
  let vat = 0;
  let cost = 0;
  for (const line of doc.lines) {
    line.totalNetAmount = round2(line.quantity * line.unitNetPrice * (1 - line.discountPercentage / 100));
    line.vatRate = lineVatRate(a, zone, line.product?.productNumber);
    line.vatAmount = round2((line.totalNetAmount * line.vatRate) / 100);
    const lineCost = round2(line.quantity * line.unitCostPrice);
    const lineNetBase = toBase(line.totalNetAmount);
    line.marginInBaseCurrency = round2(lineNetBase - lineCost);
    line.marginPercentage = lineNetBase !== 0 ? round2((line.marginInBaseCurrency / lineNetBase) * 100) : 0;
    net += line.totalNetAmount;
    vat += line.vatAmount;
    cost += lineCost;
  }
  doc.netAmount = round2(net);
  doc.vatAmount = round2(vat);
  doc.grossAmount = round2(doc.netAmount + doc.vatAmount);
  doc.netAmountInBaseCurrency = toBase(doc.netAmount);
  doc.grossAmountInBaseCurrency = toBase(doc.grossAmount);
  doc.costPriceInBaseCurrency = round2(cost);
  doc.marginInBaseCurrency = round2(doc.netAmountInBaseCurrency - doc.costPriceInBaseCurrency);
  doc.marginPercentage = doc.netAmountInBaseCurrency !== 0 ? round2((doc.marginInBaseCurrency / doc.netAmountInBaseCurrency) * 100) : 0;
}

// ---------------------------------------------------------------- rendering

export function renderLine(ctx: Ctx, line: InvoiceLine, withVat: boolean) {
  return {
    lineNumber: line.lineNumber,
    sortKey: line.sortKey,
    description: line.description,
    quantity: line.quantity,
    unitNetPrice: line.unitNetPrice,
    discountPercentage: line.discountPercentage,
    unitCostPrice: line.unitCostPrice,
    vatRate: withVat ? line.vatRate : undefined,
    vatAmount: withVat ? line.vatAmount : undefined,
    totalNetAmount: line.totalNetAmount,
    marginInBaseCurrency: line.marginInBaseCurrency,
    marginPercentage: line.marginPercentage,
    product: line.product ? productRef(ctx, line.product.productNumber) : undefined,
    unit: line.unit ? unitExpanded(ctx, ctx.agreement, line.unit.unitNumber) : undefined,
    deliveryDate: line.deliveryDate,
    accrual: line.accrual,
  };
}

/** The header fields shared by drafts and booked invoices, in e-conomic's order. */
export function renderDocParts(ctx: Ctx, doc: InvoiceDoc) {
  const a = ctx.agreement;
  const customerNumber = doc.customer.customerNumber;
  const r = doc.recipient;
  const refs = doc.references;
  return {
    amounts: {
      date: doc.date,
      currency: doc.currency,
      exchangeRate: doc.exchangeRate,
      netAmount: doc.netAmount,
      netAmountInBaseCurrency: doc.netAmountInBaseCurrency,
      grossAmount: doc.grossAmount,
      grossAmountInBaseCurrency: doc.grossAmountInBaseCurrency,
      vatAmount: doc.vatAmount,
      roundingAmount: doc.roundingAmount,
    },
    margins: {
      marginInBaseCurrency: doc.marginInBaseCurrency,
      marginPercentage: doc.marginPercentage,
      costPriceInBaseCurrency: doc.costPriceInBaseCurrency,
    },
    parties: {
      dueDate: doc.dueDate,
      paymentTerms: paymentTermsExpanded(ctx, a, doc.paymentTerms.paymentTermsNumber),
      customer: customerRef(ctx, customerNumber),
      recipient: {
        name: r.name,
        address: r.address,
        zip: r.zip,
        city: r.city,
        country: r.country,
        ean: r.ean,
        publicEntryNumber: r.publicEntryNumber,
        nemHandelType: r.nemHandelType,
        mobilePhone: r.mobilePhone,
        attention: r.attention ? contactRef(ctx, customerNumber, r.attention.customerContactNumber) : undefined,
        vatZone: vatZoneExpanded(ctx, a, r.vatZone.vatZoneNumber),
        cvr: r.cvr,
      },
      delivery: doc.delivery,
      notes: doc.notes,
      references: refs
        ? {
            customerContact: refs.customerContact ? contactRef(ctx, refs.customerContact.customer.customerNumber, refs.customerContact.customerContactNumber) : undefined,
            other: refs.other,
          }
        : undefined,
      layout: layoutRef(ctx, doc.layout.layoutNumber),
    },
  };
}
