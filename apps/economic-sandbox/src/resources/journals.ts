import { ErrorCode } from '../core/errors';
import type { FieldSpec } from '../core/filter';
import type { Ctx, Handler } from '../core/http';
import { round2 } from '../core/money';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import { isRecord, Issues, type Path, Reader } from '../core/validation';
import { baseCurrency, exchangeRate, isKnownCurrency } from '../state/currencies';
import type { Agreement, Entry, Journal, Voucher } from '../state/types';
import { created, found, idParam, ok } from './common';
import { accountRef, customerRef } from './refs';

const JOURNAL_FIELDS: FieldSpec = { journalNumber: 'number', name: 'string' };
const VOUCHER_FIELDS: FieldSpec = { voucherNumber: 'number', 'accountingYear.year': 'string' };
const ENTRY_FIELDS: FieldSpec = {
  entryNumber: 'number',
  entryType: 'string',
  amount: 'number',
  date: 'date',
  text: 'string',
  customerInvoice: 'number',
  'customer.customerNumber': 'number',
  'account.accountNumber': 'number',
  'contraAccount.accountNumber': 'number',
  'voucher.voucherNumber': 'number',
  'accountingYear.year': 'string',
};
const UNSUPPORTED_ENTRY_TYPES = ['manualCustomerInvoices', 'supplierInvoices', 'supplierPayments'];

/** `/journals` and its older alias `/journals-experimental` answer alike; links follow the path used. */
function prefix(ctx: Ctx): string {
  return ctx.path.toLowerCase().startsWith('/journals-experimental') ? '/journals-experimental' : '/journals';
}

function voucherKey(journalNumber: number, year: string, voucherNumber: number): string {
  return `${journalNumber}:${year}-${voucherNumber}`;
}

function renderJournal(ctx: Ctx, j: Journal) {
  const base = `${prefix(ctx)}/${j.journalNumber}`;
  const url = (p: string) => ctx.links.url(p);
  return {
    name: j.name,
    settings: {
      voucherNumbers: { minimumVoucherNumber: j.minimumVoucherNumber },
      entryTypeRestrictedTo: j.entryTypeRestrictedTo,
      contraAccounts:
        j.customerPaymentsContraAccount !== undefined ? { customerPayments: accountRef(ctx, j.customerPaymentsContraAccount) } : undefined,
    },
    vouchers: url(`${base}/vouchers`),
    entries: url(`${base}/entries`),
    templates: {
      financeVoucher: url(`${base}/templates/financeVoucher`),
      manualCustomerInvoice: url(`${base}/templates/manualCustomerInvoice`),
      self: url(`${base}/templates`),
    },
    journalNumber: j.journalNumber,
    self: url(base),
  };
}

function renderEntry(ctx: Ctx, journalNumber: number, e: Entry) {
  const voucherPath = `${prefix(ctx)}/${journalNumber}/vouchers/${e.accountingYear.year}-${e.voucher.voucherNumber}`;
  return {
    entryNumber: e.entryNumber,
    entryType: e.entryType,
    customer: e.customer ? customerRef(ctx, e.customer.customerNumber) : undefined,
    account: e.account ? accountRef(ctx, e.account.accountNumber) : undefined,
    contraAccount: e.contraAccount ? accountRef(ctx, e.contraAccount.accountNumber) : undefined,
    amount: e.amount,
    amountBaseCurrency: e.amountBaseCurrency,
    currency: { code: e.currency.code, self: ctx.links.url(`/currencies/${e.currency.code}`) },
    exchangeRate: e.exchangeRate,
    date: e.date,
    text: e.text,
    customerInvoice: e.customerInvoice,
    vatAccount: e.vatAccount ? { vatCode: e.vatAccount.vatCode, self: ctx.links.url(`/vat-accounts/${e.vatAccount.vatCode}`) } : undefined,
    vatAmount: e.vatAmount,
    voucher: { voucherNumber: e.voucher.voucherNumber, self: ctx.links.url(voucherPath) },
    accountingYear: { year: e.accountingYear.year, self: ctx.links.url(`/accounting-years/${e.accountingYear.year}`) },
  };
}

export function renderVoucher(ctx: Ctx, v: Voucher) {
  const j = v.journal.journalNumber;
  const path = `${prefix(ctx)}/${j}/vouchers/${v.accountingYear.year}-${v.voucherNumber}`;
  const entries: Record<string, unknown> = {};
  if (v.entries.customerPayments.length) entries.customerPayments = v.entries.customerPayments.map((e) => renderEntry(ctx, j, e));
  if (v.entries.financeVouchers.length) entries.financeVouchers = v.entries.financeVouchers.map((e) => renderEntry(ctx, j, e));
  return {
    accountingYear: { year: v.accountingYear.year, self: ctx.links.url(`/accounting-years/${v.accountingYear.year}`) },
    journal: { journalNumber: j, self: ctx.links.url(`${prefix(ctx)}/${j}`) },
    entries,
    voucherNumber: v.voucherNumber,
    attachment: ctx.links.url(`${path}/attachment`),
    self: ctx.links.url(path),
  };
}

interface PlannedVoucher {
  year: string;
  voucherNumber?: number;
  customerPayments: Omit<Entry, 'entryNumber' | 'voucher'>[];
  financeVouchers: Omit<Entry, 'entryNumber' | 'voucher'>[];
}

/** Fields every entry type shares: amount, date, text, currency. */
function readEntryBase(r: Reader, a: Agreement, path: Path, year: string | undefined) {
  const amount = r.number([...path, 'amount'], { required: true, twoDecimals: true });
  const date = r.date([...path, 'date'], { required: true });
  const accountingYear = year !== undefined ? a.accountingYears.get(year) : undefined;
  if (date !== undefined && accountingYear && (date < accountingYear.fromDate || date > accountingYear.toDate)) {
    r.add([...path, 'date'], ErrorCode.invalidValue, `The date must lie within accounting year ${year}.`, date);
  }
  const text = r.string([...path, 'text'], { max: 250 });
  const base = baseCurrency(a.agreementType);
  const codeRaw = r.string([...path, 'currency', 'code'], { exact: 3 });
  const code = codeRaw?.toUpperCase() ?? base;
  if (codeRaw !== undefined && !isKnownCurrency(code)) r.add([...path, 'currency'], ErrorCode.notFound, `Currency '${codeRaw}' not found.`, codeRaw);
  const rate = r.number([...path, 'exchangeRate'], { min: 0.000001 }) ?? exchangeRate(code, base);
  const voucherNumber = r.number([...path, 'voucher', 'voucherNumber'], { integer: true, min: 1, max: 999_999_999 });
  return { amount: amount ?? 0, date: date ?? '', text, code, rate, voucherNumber };
}

function readVoucher(r: Reader, a: Agreement, journal: Journal): PlannedVoucher {
  r.object(['accountingYear'], { required: true });
  const year = r.string(['accountingYear', 'year'], { required: r.has(['accountingYear']) });
  if (year !== undefined && !a.accountingYears.has(year)) {
    r.add(['accountingYear'], ErrorCode.notFound, `AccountingYear '${year}' not found.`, year, `Find a list of accounting years at ${r.apiBase}/accounting-years .`);
  }
  const knownYear = year !== undefined && a.accountingYears.has(year) ? year : undefined;
  const journalNumber = r.number(['journal', 'journalNumber'], { integer: true });
  if (journalNumber !== undefined && journalNumber !== journal.journalNumber) {
    r.add(['journal', 'journalNumber'], ErrorCode.invalidValue, `The voucher names journal ${journalNumber} but was posted to journal ${journal.journalNumber}.`, journalNumber);
  }
  const entries = r.object(['entries'], { required: true });
  for (const type of UNSUPPORTED_ENTRY_TYPES) {
    const list = r.array(['entries', type]);
    if (list && list.length > 0) r.add(['entries', type], ErrorCode.invalidValue, `Entries of type ${type} are not supported by the sandbox.`);
  }
  const cps = r.array(['entries', 'customerPayments']) ?? [];
  const fvs = r.array(['entries', 'financeVouchers']) ?? [];
  if (entries && cps.length + fvs.length === 0) r.add(['entries'], ErrorCode.required, 'A voucher needs at least one entry.');
  if (journal.entryTypeRestrictedTo === 'customerPayment' && fvs.length > 0) {
    r.add(['entries', 'financeVouchers'], ErrorCode.invalidValue, `Journal ${journal.journalNumber} (${journal.name}) only accepts entries of type customerPayment.`);
  }
  if (journal.entryTypeRestrictedTo === 'financeVoucher' && cps.length > 0) {
    r.add(['entries', 'customerPayments'], ErrorCode.invalidValue, `Journal ${journal.journalNumber} (${journal.name}) only accepts entries of type financeVoucher.`);
  }
  const planned: PlannedVoucher = { year: knownYear ?? '', customerPayments: [], financeVouchers: [] };
  const accountExists = (n: number) => a.accounts.has(n);
  const noteVoucherNumber = (n: number | undefined) => {
    if (n !== undefined && planned.voucherNumber === undefined) planned.voucherNumber = n;
  };

  cps.forEach((_, j) => {
    const p: Path = ['entries', 'customerPayments', j];
    if (r.object(p, { required: true }) === undefined) return;
    const base = readEntryBase(r, a, p, knownYear);
    const customer = r.ref([...p, 'customer'], 'customerNumber', { exists: (n) => a.customers.has(n), collection: '/customers' });
    const contra = r.ref([...p, 'contraAccount'], 'accountNumber', { exists: accountExists, collection: '/accounts' }) ?? journal.customerPaymentsContraAccount;
    if (!r.has([...p, 'customer']) && contra === undefined && !r.has([...p, 'contraAccount'])) {
      r.add([...p, 'customer'], ErrorCode.required, 'Either customer or contraAccount is required.');
    }
    const invoice = r.number([...p, 'customerInvoice'], { integer: true, min: 1 });
    if (invoice !== undefined) {
      const booked = a.booked.get(invoice);
      if (!booked) {
        r.add([...p, 'customerInvoice'], ErrorCode.notFound, `Invoice '${invoice}' not found.`, invoice, `Find a list of booked invoices at ${r.apiBase}/invoices/booked .`);
      } else if (customer !== undefined && booked.customer.customerNumber !== customer) {
        r.add([...p, 'customerInvoice'], ErrorCode.invalidValue, `Invoice ${invoice} belongs to customer ${booked.customer.customerNumber}, not ${customer}.`, invoice);
      }
    }
    noteVoucherNumber(base.voucherNumber);
    const entry: PlannedVoucher['customerPayments'][number] = {
      entryType: 'customerPayment',
      accountingYear: { year: knownYear ?? '' },
      amount: base.amount,
      amountBaseCurrency: round2((base.amount * base.rate) / 100),
      date: base.date,
      currency: { code: base.code },
      exchangeRate: base.rate,
    };
    if (base.text !== undefined) entry.text = base.text;
    const customerNumber = customer ?? (invoice !== undefined ? a.booked.get(invoice)?.customer.customerNumber : undefined);
    if (customerNumber !== undefined) entry.customer = { customerNumber };
    if (contra !== undefined) entry.contraAccount = { accountNumber: contra };
    if (invoice !== undefined) entry.customerInvoice = invoice;
    planned.customerPayments.push(entry);
  });

  fvs.forEach((_, j) => {
    const p: Path = ['entries', 'financeVouchers', j];
    if (r.object(p, { required: true }) === undefined) return;
    const base = readEntryBase(r, a, p, knownYear);
    const account = r.ref([...p, 'account'], 'accountNumber', { exists: accountExists, collection: '/accounts' });
    const contra = r.ref([...p, 'contraAccount'], 'accountNumber', { exists: accountExists, collection: '/accounts' });
    if (!r.has([...p, 'account']) && !r.has([...p, 'contraAccount'])) {
      r.add([...p, 'account'], ErrorCode.required, 'Either account or contraAccount is required.');
    }
    const vatCode = r.string([...p, 'vatAccount', 'vatCode'], { max: 5 });
    if (vatCode !== undefined && !a.vatCodes.has(vatCode)) r.add([...p, 'vatAccount'], ErrorCode.notFound, `VatAccount '${vatCode}' not found.`, vatCode);
    const vatAmount = r.number([...p, 'vatAmount'], { twoDecimals: true });
    noteVoucherNumber(base.voucherNumber);
    const entry: PlannedVoucher['financeVouchers'][number] = {
      entryType: 'financeVoucher',
      accountingYear: { year: knownYear ?? '' },
      amount: base.amount,
      amountBaseCurrency: round2((base.amount * base.rate) / 100),
      date: base.date,
      currency: { code: base.code },
      exchangeRate: base.rate,
    };
    if (base.text !== undefined) entry.text = base.text;
    if (account !== undefined) entry.account = { accountNumber: account };
    if (contra !== undefined) entry.contraAccount = { accountNumber: contra };
    if (vatCode !== undefined) entry.vatAccount = { vatCode };
    if (vatAmount !== undefined) entry.vatAmount = vatAmount;
    planned.financeVouchers.push(entry);
  });
  return planned;
}

function journalOf(ctx: Ctx): Journal {
  return found(ctx.agreement.journals.get(idParam(ctx, 'n')));
}

function vouchersOf(a: Agreement, journalNumber: number): Voucher[] {
  return [...a.vouchers.values()].filter((v) => v.journal.journalNumber === journalNumber);
}

const list: Handler = (ctx) =>
  collection(ctx, prefix(ctx), ctx.agreement.journals.values(), {
    fields: JOURNAL_FIELDS,
    defaultSort: 'journalNumber',
    render: (j) => renderJournal(ctx, j),
  });

const get: Handler = (ctx) => ok(renderJournal(ctx, journalOf(ctx)));

const listVouchers: Handler = (ctx) => {
  const j = journalOf(ctx);
  return collection(ctx, `${prefix(ctx)}/${j.journalNumber}/vouchers`, vouchersOf(ctx.agreement, j.journalNumber), {
    fields: VOUCHER_FIELDS,
    defaultSort: 'voucherNumber',
    render: (v) => renderVoucher(ctx, v),
  });
};

const getVoucher: Handler = (ctx) => {
  const j = journalOf(ctx);
  const m = /^(\d{4})-(\d{1,9})$/.exec(ctx.params.voucher ?? '');
  const v = m ? ctx.agreement.vouchers.get(voucherKey(j.journalNumber, m[1]!, Number(m[2]))) : undefined;
  return ok(renderVoucher(ctx, found(v)));
};

const listEntries: Handler = (ctx) => {
  const j = journalOf(ctx);
  const entries = vouchersOf(ctx.agreement, j.journalNumber).flatMap((v) => [...v.entries.customerPayments, ...v.entries.financeVouchers]);
  return collection(ctx, `${prefix(ctx)}/${j.journalNumber}/entries`, entries, {
    fields: ENTRY_FIELDS,
    defaultSort: 'entryNumber',
    render: (e) => renderEntry(ctx, j.journalNumber, e),
  });
};

/**
 * POST /journals/:n/vouchers: one voucher object or an array of them; answers 201 with an array.
 * A customer payment with `customerInvoice` moves that booked invoice's remainder by its amount
 * (a payment is entered as a negative amount, so −100 lowers the remainder by 100).
 */
const postVouchers: Handler = (ctx) => {
  const a = ctx.agreement;
  const journal = journalOf(ctx);
  const isArray = Array.isArray(ctx.body);
  const items: unknown[] = isArray ? (ctx.body as unknown[]) : [ctx.body];
  const issues = new Issues();
  if (isArray && items.length === 0) issues.add([], ErrorCode.required, 'At least one voucher is required.');
  const planned: { plan: PlannedVoucher; path: Path }[] = [];
  items.forEach((item, i) => {
    const path: Path = isArray ? [i] : [];
    const r = new Reader(item, issues, path, ctx.links.base);
    if (!isRecord(item)) {
      r.add([], ErrorCode.invalidValue, 'A voucher must be a JSON object.', item ?? null);
      return;
    }
    planned.push({ plan: readVoucher(r, a, journal), path });
  });
  const claimed = new Set<string>();
  for (const { plan, path } of planned) {
    if (plan.voucherNumber === undefined || !plan.year) continue;
    const key = voucherKey(journal.journalNumber, plan.year, plan.voucherNumber);
    if (a.vouchers.has(key) || claimed.has(key)) {
      issues.add([...path, 'voucherNumber'], ErrorCode.alreadyExists, `Voucher '${plan.year}-${plan.voucherNumber}' already exists in journal ${journal.journalNumber}.`, plan.voucherNumber);
    }
    claimed.add(key);
  }
  issues.throwIfAny();

  const result: Voucher[] = [];
  for (const { plan } of planned) {
    let voucherNumber = plan.voucherNumber;
    if (voucherNumber === undefined) {
      while (a.vouchers.has(voucherKey(journal.journalNumber, plan.year, journal.nextVoucherNumber)) || claimed.has(voucherKey(journal.journalNumber, plan.year, journal.nextVoucherNumber))) {
        journal.nextVoucherNumber++;
      }
      voucherNumber = journal.nextVoucherNumber++;
    }
    const number = voucherNumber;
    const stampEntry = <T extends Omit<Entry, 'entryNumber' | 'voucher'>>(e: T): Entry => ({ ...e, entryNumber: a.nextEntryNumber++, voucher: { voucherNumber: number } });
    const voucher: Voucher = {
      journal: { journalNumber: journal.journalNumber },
      accountingYear: { year: plan.year },
      voucherNumber: number,
      entries: { customerPayments: plan.customerPayments.map(stampEntry), financeVouchers: plan.financeVouchers.map(stampEntry) },
    };
    for (const e of voucher.entries.customerPayments) {
      const booked = e.customerInvoice !== undefined ? a.booked.get(e.customerInvoice) : undefined;
      if (booked) {
        booked.remainder = round2(booked.remainder + e.amount);
        booked.remainderInBaseCurrency = round2(booked.remainderInBaseCurrency + e.amountBaseCurrency);
      }
      const customer = e.customer ? a.customers.get(e.customer.customerNumber) : undefined;
      if (customer) {
        customer.balance = round2(customer.balance + e.amountBaseCurrency);
        customer.dueAmount = round2(customer.dueAmount + e.amountBaseCurrency);
      }
    }
    a.vouchers.set(voucherKey(journal.journalNumber, plan.year, number), voucher);
    result.push(voucher);
  }
  const first = result[0]!;
  return created(ctx, `${prefix(ctx)}/${journal.journalNumber}/vouchers/${first.accountingYear.year}-${first.voucherNumber}`, result.map((v) => renderVoucher(ctx, v)));
};

export function registerJournals(r: Router<Handler>): void {
  for (const base of ['/journals', '/journals-experimental']) {
    r.get(base, list)
      .get(`${base}/:n`, get)
      .get(`${base}/:n/vouchers`, listVouchers)
      .post(`${base}/:n/vouchers`, postVouchers)
      .get(`${base}/:n/vouchers/:voucher`, getVoucher)
      .get(`${base}/:n/entries`, listEntries);
  }
}
