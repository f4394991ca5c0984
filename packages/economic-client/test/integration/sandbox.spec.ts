/**
 * The client against the real sandbox (`apps/economic-sandbox`) over HTTP. Each describe block gets its own
 * agreement, so faults and rate limits never leak between blocks.
 */
import { createSandbox } from '@bogholder/economic-sandbox';
import {
  EconomicAuthError,
  EconomicClient,
  type EconomicClientOptions,
  EconomicNotFoundError,
  EconomicOutcomeUnknownError,
  EconomicRateLimitError,
  EconomicValidationError,
  filter,
  hasFieldError,
  type CustomerInput,
  type DraftInvoiceInput,
  type ProductInput,
  type RequestEvent,
} from '../../src';

const APP_SECRET = 'sandbox-app-secret';

type Sandbox = Awaited<ReturnType<typeof createSandbox>>;
let sb: Sandbox;

beforeAll(async () => {
  sb = await createSandbox({ port: 0 });
});
afterAll(async () => {
  await sb.close();
});

/** Calls a `/__sandbox/*` control route for the agreement of `grantToken`. */
async function control(grantToken: string | undefined, method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (grantToken) headers['X-AgreementGrantToken'] = grantToken;
  const res = await fetch(`${sb.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** How many requests the sandbox answered for this agreement, by method and path. */
async function sandboxHits(grantToken: string, method: string, path: string): Promise<number> {
  const log = (await control(grantToken, 'GET', '/__sandbox/requests')) as { items: Array<{ method: string; path: string }> };
  return log.items.filter((r) => r.method === method && r.path === path).length;
}

async function newAgreement(): Promise<{ agreementNumber: number; grantToken: string }> {
  return (await control(undefined, 'POST', '/__sandbox/agreements', {})) as { agreementNumber: number; grantToken: string };
}

function clientFor(grantToken: string, options: Partial<EconomicClientOptions> = {}): EconomicClient {
  return new EconomicClient({ appSecretToken: APP_SECRET, agreementGrantToken: grantToken, baseUrl: sb.url, ...options });
}

const customerBody = (name: string, extra: Partial<CustomerInput> = {}): CustomerInput => ({
  name,
  currency: 'DKK',
  customerGroup: { customerGroupNumber: 1 },
  paymentTerms: { paymentTermsNumber: 1 },
  vatZone: { vatZoneNumber: 1 },
  ...extra,
});

/** The default agreement has the inventory module on, so `inventory.recommendedCostPrice` is required (§5). */
const productBody = (productNumber: string, productGroupNumber: number, extra: Partial<ProductInput> = {}): ProductInput => ({
  productNumber,
  name: productNumber,
  productGroup: { productGroupNumber },
  inventory: { recommendedCostPrice: 1 },
  ...extra,
});

const today = new Date().toISOString().slice(0, 10);

function draftBody(customerNumber: number, other: string): DraftInvoiceInput {
  return {
    date: today,
    currency: 'DKK',
    customer: { customerNumber },
    paymentTerms: { paymentTermsNumber: 1 },
    layout: { layoutNumber: 19 },
    recipient: { name: 'Kunde A/S', vatZone: { vatZoneNumber: 1 } },
    references: { other },
    lines: [{ product: { productNumber: 'MUG-1' }, description: 'Mug', quantity: 2, unitNetPrice: 35 }],
  };
}

describe('reference data and self', () => {
  let client: EconomicClient;
  let agreementNumber: number;
  beforeAll(async () => {
    const a = await newAgreement();
    agreementNumber = a.agreementNumber;
    client = clientFor(a.grantToken);
  });

  it('self', async () => {
    const self = await client.self.get();
    expect(self.agreementNumber).toBe(agreementNumber);
    expect(self.settings?.baseCurrency).toBe('DKK');
  });

  it('vat zones, layouts, payment terms, units, accounts', async () => {
    const zones = await client.vatZones.list().toArray();
    expect(zones.map((z) => z.vatZoneNumber)).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect((await client.vatZones.get(1)).vatZoneNumber).toBe(1);

    const layouts = await client.layouts.list().toArray();
    expect(layouts.length).toBeGreaterThan(0);
    const layout = layouts[0]!;
    expect((await client.layouts.get(layout.layoutNumber)).name).toBe(layout.name);

    const terms = await client.paymentTerms.list().toArray();
    expect(terms.map((t) => t.paymentTermsNumber)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
    expect((await client.paymentTerms.get(1)).paymentTermsType).toBeDefined();

    const units = await client.units.list().toArray();
    expect(units.map((u) => u.unitNumber)).toContain(1);
    expect((await client.units.get(1)).unitNumber).toBe(1);

    const accounts = await client.accounts.list().toArray();
    expect(accounts.map((a) => a.accountNumber)).toEqual(expect.arrayContaining([1010, 1020, 5600, 5820, 5830]));
    expect(accounts.map((a) => a.accountNumber)).toEqual([...accounts.map((a) => a.accountNumber)].sort((x, y) => x - y));
    expect((await client.accounts.get(5820)).accountNumber).toBe(5820);
  });

  it('product groups with sales accounts and products', async () => {
    const groups = await client.productGroups.list().toArray();
    expect(groups.map((g) => g.productGroupNumber)).toEqual(expect.arrayContaining([1, 2]));
    const g1 = await client.productGroups.get(1);
    expect(g1.name).toBe('Varer m/moms');
    expect(g1.inventoryEnabled).toBe(true);
    const g2 = await client.productGroups.get(2);
    expect(g2.inventoryEnabled ?? false).toBe(false); // absent boolean means false
    const sales = await client.productGroups.salesAccounts(1).toArray();
    expect(sales.length).toBeGreaterThan(0);
    expect(sales[0]?.salesAccount.accountNumber).toBeDefined();
    await client.products.create(productBody('PG-1', 2));
    const inGroup = await client.productGroups.products(2).toArray();
    expect(inGroup.map((p) => p.productNumber)).toContain('PG-1');
  });
});

describe('customers, contacts and groups', () => {
  let client: EconomicClient;
  beforeAll(async () => {
    client = clientFor((await newAgreement()).grantToken);
  });

  it('customer groups: create, get, update, list', async () => {
    const created = await client.customerGroups.create({ customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
    expect(created.customerGroupNumber).toBe(1337);
    expect((await client.customerGroups.get(1337)).name).toBe('Webshop');
    const updated = await client.customerGroups.update(1337, { name: 'Webshop kunder', account: { accountNumber: 5600 } });
    expect(updated.name).toBe('Webshop kunder');
    const all = await client.customerGroups.list().toArray();
    expect(all.map((g) => g.customerGroupNumber)).toEqual(expect.arrayContaining([1, 1337]));
  });

  it('customers: create, get, full-replace update, delete', async () => {
    const created = await client.customers.create(customerBody('Kunde A/S', { email: 'a@example.dk', city: 'Aarhus' }));
    expect(created.customerNumber).toBeGreaterThan(0);
    expect(created.self).toContain(`/customers/${created.customerNumber}`);
    const fetched = await client.customers.get(created.customerNumber);
    expect(fetched).toMatchObject({ name: 'Kunde A/S', email: 'a@example.dk', city: 'Aarhus' });
    expect(fetched.barred ?? false).toBe(false);

    const replaced = await client.customers.update(created.customerNumber, customerBody('Kunde B A/S', { email: 'b@example.dk' }));
    expect(replaced.name).toBe('Kunde B A/S');
    expect((await client.customers.get(created.customerNumber)).city).toBeUndefined(); // PUT clears what it leaves out

    await client.customers.delete(created.customerNumber);
    await expect(client.customers.get(created.customerNumber)).rejects.toBeInstanceOf(EconomicNotFoundError);
  });

  it('contacts: create, list, get, update, delete', async () => {
    const customer = await client.customers.create(customerBody('Kontakt ApS'));
    const contacts = client.customers.contacts(customer.customerNumber);
    const kim = await contacts.create({ name: 'Kim', email: 'kim@example.dk' });
    expect(kim.customerContactNumber).toBeGreaterThan(0);
    await contacts.create({ name: 'Bo' });
    expect((await contacts.list().toArray()).map((c) => c.name).sort()).toEqual(['Bo', 'Kim']);
    expect((await contacts.get(kim.customerContactNumber)).email).toBe('kim@example.dk');
    const updated = await contacts.update(kim.customerContactNumber, { name: 'Kim Hansen', phone: '12345678' });
    expect(updated).toMatchObject({ name: 'Kim Hansen', phone: '12345678' });
    await contacts.delete(kim.customerContactNumber);
    await expect(contacts.get(kim.customerContactNumber)).rejects.toBeInstanceOf(EconomicNotFoundError);
  });

  it('filters with escaping, $in, $null:, $and/$or, and sorting', async () => {
    const tricky = 'Smith & Co (DK), [ApS] $5 *';
    const a = await client.customers.create(customerBody(tricky, { ean: '5798000363007' }));
    const b = await client.customers.create(customerBody('Zeta Handel'));
    const c = await client.customers.create(customerBody('Alfa Handel'));

    const exact = await client.customers.list({ filter: filter.eq('name', tricky) }).toArray();
    expect(exact.map((x) => x.customerNumber)).toEqual([a.customerNumber]);
    const caseless = await client.customers.list({ filter: filter.eq('name', tricky.toUpperCase()) }).toArray();
    expect(caseless.map((x) => x.customerNumber)).toEqual([a.customerNumber]);
    const literalStar = await client.customers.list({ filter: filter.contains('name', '$5 *') }).toArray();
    expect(literalStar.map((x) => x.customerNumber)).toEqual([a.customerNumber]);

    const handel = await client.customers.list({ filter: filter.like('name', '*handel'), sort: '-name' }).toArray();
    expect(handel.map((x) => x.name)).toEqual(['Zeta Handel', 'Alfa Handel']);
    const asc = await client.customers.list({ filter: filter.endsWith('name', 'Handel'), sort: 'name' }).toArray();
    expect(asc.map((x) => x.name)).toEqual(['Alfa Handel', 'Zeta Handel']);

    const inList = await client.customers.list({ filter: filter.in('customerNumber', [a.customerNumber, c.customerNumber]) }).toArray();
    expect(inList.map((x) => x.customerNumber).sort((x, y) => x - y)).toEqual([a.customerNumber, c.customerNumber].sort((x, y) => x - y));

    const withEan = await client.customers.list({ filter: filter.notNull('ean') }).toArray();
    expect(withEan.map((x) => x.customerNumber)).toEqual([a.customerNumber]);

    const either = await client.customers
      .list({ filter: filter.and(filter.endsWith('name', 'Handel'), filter.or(filter.eq('customerNumber', b.customerNumber), filter.eq('customerNumber', c.customerNumber))) })
      .toArray();
    expect(either).toHaveLength(2);

    expect(await client.customers.list({ filter: filter.eq('name', 'nobody at all') }).first()).toBeUndefined();
    expect((await client.customers.list({ filter: filter.eq('name', 'Alfa Handel') }).first())?.customerNumber).toBe(c.customerNumber);
  });
});

describe('products', () => {
  let client: EconomicClient;
  beforeAll(async () => {
    client = clientFor((await newAgreement()).grantToken);
  });

  it('create, get, update and delete a product whose number needs id encoding', async () => {
    const productNumber = 'Kaffe 1/2 kg_#1.5+';
    const created = await client.products.create(productBody(productNumber, 2, { name: 'Kaffe', salesPrice: 49.95 }));
    expect(created.productNumber).toBe(productNumber);
    expect((await client.products.get(productNumber)).salesPrice).toBe(49.95);
    const updated = await client.products.update(productNumber, productBody(productNumber, 2, { name: 'Kaffe, mørk', salesPrice: 59 }));
    expect(updated.name).toBe('Kaffe, mørk');
    const found = await client.products.list({ filter: filter.eq('productNumber', productNumber) }).toArray();
    expect(found.map((p) => p.productNumber)).toEqual([productNumber]);
    await client.products.delete(productNumber);
    await expect(client.products.get(productNumber)).rejects.toBeInstanceOf(EconomicNotFoundError);
  });

  it('shows stock for inventory products', async () => {
    await client.products.create(productBody('STOCK-1', 1, { name: 'Lagervare' }));
    const product = await client.products.get('STOCK-1');
    expect(product.inventory).toBeDefined();
  });
});

describe('paging', () => {
  let client: EconomicClient;
  beforeAll(async () => {
    client = clientFor((await newAgreement()).grantToken);
  });

  it('walks more than 20 and more than 1000 items', async () => {
    const total = 1005;
    const numbers = Array.from({ length: total }, (_, i) => `P-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < numbers.length; i += 50) {
      await Promise.all(
        numbers.slice(i, i + 50).map((productNumber) => client.products.create(productBody(productNumber, 2))),
      );
    }
    const pages = [];
    for await (const page of client.products.list({ pageSize: 20, filter: filter.startsWith('productNumber', 'P-'), sort: 'productNumber' }).pages()) {
      pages.push(page);
      if (pages.length === 3) break;
    }
    expect(pages.map((p) => p.items.length)).toEqual([20, 20, 20]);
    expect(pages[0]?.pagination?.results).toBe(total);
    expect(pages[2]?.items[0]?.productNumber).toBe('P-0040');

    const before = client.stats.requests;
    const all = await client.products.list({ filter: filter.startsWith('productNumber', 'P-'), sort: 'productNumber' }).toArray();
    expect(client.stats.requests - before).toBe(2); // pages of 1000
    expect(all).toHaveLength(total);
    expect(all.map((p) => p.productNumber)).toEqual(numbers);

    const desc = await client.products.list({ filter: filter.startsWith('productNumber', 'P-'), sort: '-productNumber', pageSize: 1000 }).first();
    expect(desc?.productNumber).toBe('P-1004');
  });
});

describe('invoices', () => {
  let client: EconomicClient;
  let customerNumber: number;
  beforeAll(async () => {
    client = clientFor((await newAgreement()).grantToken);
    customerNumber = (await client.customers.create(customerBody('Faktura ApS'))).customerNumber;
    await client.products.create(productBody('MUG-1', 2, { name: 'Mug', salesPrice: 35 }));
  });

  it('drafts: create, get, list, update, addLines, delete', async () => {
    const draft = await client.invoices.drafts.create(draftBody(customerNumber, 'order-1'));
    expect(draft.draftInvoiceNumber).toBeGreaterThan(0);
    expect(draft.netAmount).toBe(70);

    const fetched = await client.invoices.drafts.get(draft.draftInvoiceNumber);
    expect(fetched.lines).toHaveLength(1);
    expect(fetched.lines?.[0]?.totalNetAmount).toBe(70);

    const listed = await client.invoices.drafts.list({ filter: filter.eq('references.other', 'order-1') }).toArray();
    expect(listed.map((d) => d.draftInvoiceNumber)).toEqual([draft.draftInvoiceNumber]);

    const updated = await client.invoices.drafts.update(draft.draftInvoiceNumber, {
      ...draftBody(customerNumber, 'order-1'),
      lines: [{ product: { productNumber: 'MUG-1' }, description: 'Mug', quantity: 3, unitNetPrice: 35 }],
    });
    expect(updated.netAmount).toBe(105);

    const withLines = await client.invoices.drafts.addLines(draft.draftInvoiceNumber, [
      { product: { productNumber: 'MUG-1' }, description: 'Extra mug', quantity: 1, unitNetPrice: 1.23 },
    ]);
    expect(withLines.netAmount).toBeCloseTo(106.23, 2);

    const deleted = await client.invoices.drafts.delete(draft.draftInvoiceNumber);
    expect(deleted.deletedCount).toBe(1);
    await expect(client.invoices.drafts.get(draft.draftInvoiceNumber)).rejects.toBeInstanceOf(EconomicNotFoundError);
  });

  it('booked: book, get, list, bookWithNumber', async () => {
    const draft = await client.invoices.drafts.create(draftBody(customerNumber, 'order-2'));
    const booked = await client.invoices.booked.book({ draftInvoiceNumber: draft.draftInvoiceNumber });
    expect(booked.bookedInvoiceNumber).toBeGreaterThan(0);
    expect(booked.grossAmount).toBe(booked.netAmount + booked.vatAmount);
    expect(booked.remainder).toBe(booked.grossAmount);
    await expect(client.invoices.drafts.get(draft.draftInvoiceNumber)).rejects.toBeInstanceOf(EconomicNotFoundError);
    expect((await client.invoices.booked.get(booked.bookedInvoiceNumber)).lines?.length).toBe(1);

    const second = await client.invoices.drafts.create(draftBody(customerNumber, 'order-3'));
    const numbered = await client.invoices.booked.book({ draftInvoiceNumber: second.draftInvoiceNumber, bookWithNumber: 9001 });
    expect(numbered.bookedInvoiceNumber).toBe(9001);

    const list = await client.invoices.booked.list({ filter: filter.in('bookedInvoiceNumber', [booked.bookedInvoiceNumber, 9001]), sort: '-bookedInvoiceNumber' }).toArray();
    expect(list.map((i) => i.bookedInvoiceNumber)).toEqual([9001, booked.bookedInvoiceNumber]);
  });

  it('25% VAT for a domestic customer on an inventory product group', async () => {
    await client.products.create(productBody('VAT-1', 1, { name: 'Momsvare' }));
    const draft = await client.invoices.drafts.create({
      ...draftBody(customerNumber, 'order-vat'),
      lines: [{ product: { productNumber: 'VAT-1' }, description: 'Momsvare', quantity: 1, unitNetPrice: 70 }],
    });
    expect(draft).toMatchObject({ netAmount: 70, vatAmount: 17.5, grossAmount: 87.5 });
  });
});

describe('journals', () => {
  let client: EconomicClient;
  beforeAll(async () => {
    client = clientFor((await newAgreement()).grantToken);
  });

  it('lists journals, posts vouchers and reads vouchers and entries', async () => {
    const journals = await client.journals.list().toArray();
    expect(journals.map((j) => j.journalNumber)).toEqual(expect.arrayContaining([1, 2]));
    const payments = await client.journals.get(2);
    expect(payments.name).toBe('Indbetalinger');

    const customer = await client.customers.create(customerBody('Betaler ApS'));
    const vouchers = await client.journals.vouchers(1).create({
      accountingYear: { year: String(new Date().getFullYear()) },
      entries: {
        financeVouchers: [{ account: { accountNumber: 5820 }, contraAccount: { accountNumber: 5830 }, amount: 100, date: today, text: 'Payout' }],
      },
    });
    expect(vouchers).toHaveLength(1);
    const two = await client.journals.vouchers(2).create([
      {
        accountingYear: { year: String(new Date().getFullYear()) },
        entries: { customerPayments: [{ customer: { customerNumber: customer.customerNumber }, contraAccount: { accountNumber: 5820 }, amount: -50, date: today, text: 'Payment 1' }] },
      },
      {
        accountingYear: { year: String(new Date().getFullYear()) },
        entries: { customerPayments: [{ customer: { customerNumber: customer.customerNumber }, contraAccount: { accountNumber: 5820 }, amount: -25, date: today, text: 'Payment 2' }] },
      },
    ]);
    expect(two).toHaveLength(2);

    expect((await client.journals.vouchers(2).list().toArray()).length).toBeGreaterThanOrEqual(2);
    expect((await client.journals.entries(2).list().toArray()).length).toBeGreaterThanOrEqual(2);
  });
});

describe('errors', () => {
  let grantToken: string;
  let client: EconomicClient;
  beforeAll(async () => {
    grantToken = (await newAgreement()).grantToken;
    client = clientFor(grantToken);
  });

  it('401 with a bad token', async () => {
    const bad = clientFor('not-a-grant-token');
    const err = await bad.self.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EconomicAuthError);
    expect((err as EconomicAuthError).status).toBe(401);
    expect((err as Error).message).not.toContain('not-a-grant-token');
    const noApp = new EconomicClient({ appSecretToken: 'wrong-app', agreementGrantToken: grantToken, baseUrl: sb.url });
    await expect(noApp.self.get()).rejects.toBeInstanceOf(EconomicAuthError);
  });

  it('404', async () => {
    const err = await client.customers.get(987654321).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EconomicNotFoundError);
    expect((err as EconomicNotFoundError).logId).toMatch(/-CPH$/);
  });

  it('400 validation: E04740 on a 3-decimal price, with the field path', async () => {
    const customer = await client.customers.create(customerBody('Validering ApS'));
    const err = await client.invoices.drafts
      .create({
        ...draftBody(customer.customerNumber, 'bad-price'),
        lines: [{ description: 'Ok line', quantity: 1, unitNetPrice: 10 }, { description: 'Bad line', quantity: 1, unitNetPrice: 1.234 }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EconomicValidationError);
    const validation = err as EconomicValidationError;
    expect(validation.status).toBe(400);
    expect(validation.errorCode).toBe('E04300');
    expect(hasFieldError(validation, 'E04740')).toBe(true);
    expect(validation.fieldErrors).toContainEqual(expect.objectContaining({ path: 'lines[1].unitNetPrice', code: 'E04740' }));
  });

  it('400 validation: E06010 on a duplicate customer number', async () => {
    await client.customers.create(customerBody('Første', { customerNumber: 4242 }));
    const err = await client.customers.create(customerBody('Anden', { customerNumber: 4242 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EconomicValidationError);
    expect(hasFieldError(err, 'E06010')).toBe(true);
  });

  it('400 validation: missing required fields, E06000 for an unknown reference', async () => {
    const err = await client.customers.create(customerBody('Ukendt gruppe', { customerGroup: { customerGroupNumber: 999 } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EconomicValidationError);
    expect(hasFieldError(err, 'E06000')).toBe(true);
  });
});

describe('rate limit', () => {
  it('429 with Retry-After when the client budget is off', async () => {
    const { grantToken } = await newAgreement();
    await control(grantToken, 'PUT', '/__sandbox/rate-limit', { burst: 3, refillPerSecond: 1 });
    const client = clientFor(grantToken, { budget: false, maxRetries: 0 });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => client.vatZones.get(1)));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const err of refused) {
      expect(err).toBeInstanceOf(EconomicRateLimitError);
      expect((err as EconomicRateLimitError).retryAfterMs).toBeGreaterThan(0);
    }
    expect(client.stats.rateLimited).toBe(refused.length);
  });

  it('retries a 429 after Retry-After, even for a POST', async () => {
    const { grantToken } = await newAgreement();
    await control(grantToken, 'PUT', '/__sandbox/rate-limit', { burst: 1, refillPerSecond: 2 });
    const client = clientFor(grantToken, { budget: false });
    const created = await Promise.all([client.customers.create(customerBody('R1')), client.customers.create(customerBody('R2'))]);
    expect(created.map((c) => c.name).sort()).toEqual(['R1', 'R2']);
    expect(client.stats.rateLimited).toBeGreaterThanOrEqual(1);
    await control(grantToken, 'PUT', '/__sandbox/rate-limit', null);
    expect(await client.customers.list({ filter: filter.in('customerNumber', created.map((c) => c.customerNumber)) }).toArray()).toHaveLength(2);
  });

  it('the client budget keeps a burst under the sandbox limit: no 429', async () => {
    const { grantToken } = await newAgreement();
    await control(grantToken, 'PUT', '/__sandbox/rate-limit', { burst: 5, refillPerSecond: 10 });
    const client = clientFor(grantToken, { budget: { burst: 4, refillPerSecond: 8 }, maxRetries: 0 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => client.vatZones.get(1)));
    expect(client.stats.rateLimited).toBe(0);
    expect(client.stats.requests).toBe(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1500); // 16 refills at 8/s
  });
});

describe('faults', () => {
  it('drop-after-commit on POST /customers → EconomicOutcomeUnknownError, and the customer exists', async () => {
    const { grantToken } = await newAgreement();
    await control(grantToken, 'PUT', '/__sandbox/faults', {
      rate: 1,
      kinds: ['drop-after-commit'],
      seed: 1,
      match: { method: 'POST', path: '/customers' },
      count: 1,
    });
    const client = clientFor(grantToken);
    const err = await client.customers.create(customerBody('Måske Oprettet ApS')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EconomicOutcomeUnknownError);
    expect((err as EconomicOutcomeUnknownError).reason).toBe('connection-lost');
    expect((err as EconomicOutcomeUnknownError).request.method).toBe('POST');
    const found = await client.customers.list({ filter: filter.eq('name', 'Måske Oprettet ApS') }).toArray();
    expect(found).toHaveLength(1);
    expect(client.stats.requests).toBe(2); // one POST (not repeated), one GET
    expect(await sandboxHits(grantToken, 'POST', '/customers')).toBe(1);
  });

  it('timeout on POST → EconomicOutcomeUnknownError, not repeated (and the sandbox did not commit)', async () => {
    const { grantToken } = await newAgreement();
    await control(grantToken, 'PUT', '/__sandbox/faults', { rate: 1, kinds: ['timeout'], seed: 2, match: { method: 'POST', path: '/customers' }, count: 1 });
    const client = clientFor(grantToken, { timeoutMs: 500 });
    const err = await client.customers.create(customerBody('Langsom ApS')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EconomicOutcomeUnknownError);
    expect((err as EconomicOutcomeUnknownError).reason).toBe('timeout');
    expect(client.stats).toMatchObject({ requests: 1, timeouts: 1, retries: 0 });
    expect(await client.customers.list({ filter: filter.eq('name', 'Langsom ApS') }).toArray()).toHaveLength(0);
  });

  it('timeout on GET is retried and succeeds', async () => {
    const { grantToken } = await newAgreement();
    await control(grantToken, 'PUT', '/__sandbox/faults', { rate: 1, kinds: ['timeout'], seed: 4, match: { method: 'GET', path: '/vat-zones/1' }, count: 1 });
    const events: RequestEvent[] = [];
    const client = clientFor(grantToken, { timeoutMs: 500, onRequest: (e) => events.push(e) });
    expect((await client.vatZones.get(1)).name).toBe('Domestic');
    expect(events.map((e) => e.outcome)).toEqual(['timeout', 'ok']);
  });

  it('an injected 429 on POST is retried after Retry-After and creates exactly one customer', async () => {
    const { grantToken } = await newAgreement();
    await control(grantToken, 'PUT', '/__sandbox/faults', { rate: 1, kinds: ['429'], seed: 5, match: { method: 'POST', path: '/customers' }, count: 1 });
    const client = clientFor(grantToken);
    const started = performance.now();
    const created = await client.customers.create(customerBody('Tålmodig ApS'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(900); // Retry-After: 1
    expect(created.name).toBe('Tålmodig ApS');
    expect(client.stats.rateLimited).toBe(1);
    expect(await sandboxHits(grantToken, 'POST', '/customers')).toBe(2);
    expect(await client.customers.list({ filter: filter.eq('name', 'Tålmodig ApS') }).toArray()).toHaveLength(1);
  });

  it('500 on GET is retried and succeeds', async () => {
    const { grantToken } = await newAgreement();
    await control(grantToken, 'PUT', '/__sandbox/faults', { rate: 1, kinds: ['500'], seed: 7, match: { method: 'GET', path: '/self' }, count: 2 });
    const events: RequestEvent[] = [];
    const client = clientFor(grantToken, { onRequest: (e) => events.push(e) });
    const self = await client.self.get();
    expect(self.agreementNumber).toBeGreaterThan(0);
    expect(events.map((e) => e.status)).toEqual([500, 500, 200]);
    expect(client.stats.retries).toBe(2);
  });

  it('500 on POST is not repeated', async () => {
    const { grantToken } = await newAgreement();
    await control(grantToken, 'PUT', '/__sandbox/faults', { rate: 1, kinds: ['500'], seed: 3, match: { method: 'POST', path: '/customers' }, count: 1 });
    const client = clientFor(grantToken);
    await expect(client.customers.create(customerBody('Server Fejl ApS'))).rejects.toBeInstanceOf(EconomicOutcomeUnknownError);
    expect(client.stats.requests).toBe(1);
  });
});
