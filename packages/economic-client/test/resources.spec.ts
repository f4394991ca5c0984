import { type EconomicClient, responseMeta } from '../src';
import { envelope, json, type Stub, startStub, stubClient } from './helpers/stub-server';

/** Every resource method: the method, path and body it sends, and what it returns. */
describe('resources', () => {
  let s: Stub;
  let client: EconomicClient;

  beforeAll(async () => {
    s = await startStub((req, res) => {
      if (req.method === 'GET' && /\/(customers|customer-groups|products|product-groups|units|layouts|payment-terms|vat-zones|accounts|journals|drafts|booked|contacts|vouchers|entries|sales-accounts)$/.test(req.path)) {
        return json(res, 200, envelope([{ path: req.path }], 0, 1000, 1));
      }
      if (req.method === 'DELETE' && req.path.startsWith('/invoices/drafts/')) {
        return json(res, 200, { message: 'Deleted invoice.', deletedCount: 1, deletedItems: [{ draftInvoiceNumber: 3 }] });
      }
      if (req.method === 'DELETE') return json(res, 204);
      if (req.path.endsWith('/vouchers')) return json(res, 201, [{ voucherNumber: 1, ...(req.json as object) }]);
      if (req.method === 'POST') return json(res, 201, { echo: req.json }, { Location: `https://restapi.e-conomic.com${req.path}/9` });
      return json(res, 200, { method: req.method, path: req.path, echo: req.json });
    });
    client = stubClient(s);
  });
  afterAll(() => s.close());

  const last = () => s.requests[s.requests.length - 1];
  const sent = () => [last()?.method, last()?.path, last()?.json];

  it('sends the auth and JSON headers', async () => {
    await client.self.get();
    expect(last()?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-appsecrettoken': 'app-secret-5f1c2a9e77',
      'x-agreementgranttoken': 'grant-token-0b8d6e4f13',
    });
    expect(last()?.headers['user-agent']).toMatch(/^bogholder-economic-client/);
  });

  it('self', async () => {
    await client.self.get();
    expect(sent()).toEqual(['GET', '/self', undefined]);
  });

  it('customers and contacts', async () => {
    const body = { name: 'A', currency: 'DKK', customerGroup: { customerGroupNumber: 1 }, paymentTerms: { paymentTermsNumber: 1 }, vatZone: { vatZoneNumber: 1 } };
    await client.customers.list().toArray();
    expect(last()?.path).toBe('/customers');
    await client.customers.get(7);
    expect(sent()).toEqual(['GET', '/customers/7', undefined]);
    const created = await client.customers.create(body);
    expect(sent()).toEqual(['POST', '/customers', body]);
    expect(responseMeta(created)).toMatchObject({ status: 201, location: 'https://restapi.e-conomic.com/customers/9' });
    await client.customers.update(7, body);
    expect(sent()).toEqual(['PUT', '/customers/7', { customerNumber: 7, ...body }]);
    await expect(client.customers.delete(7)).resolves.toBeUndefined();
    expect(sent()).toEqual(['DELETE', '/customers/7', undefined]);

    const contacts = client.customers.contacts(7);
    await contacts.list().toArray();
    expect(last()?.path).toBe('/customers/7/contacts');
    await contacts.get(3);
    expect(sent()).toEqual(['GET', '/customers/7/contacts/3', undefined]);
    await contacts.create({ name: 'Kim' });
    expect(sent()).toEqual(['POST', '/customers/7/contacts', { name: 'Kim' }]);
    await contacts.update(3, { name: 'Kim B' });
    expect(sent()).toEqual(['PUT', '/customers/7/contacts/3', { customerContactNumber: 3, name: 'Kim B' }]);
    await contacts.delete(3);
    expect(sent()).toEqual(['DELETE', '/customers/7/contacts/3', undefined]);
  });

  it('customer groups', async () => {
    await client.customerGroups.list().toArray();
    expect(last()?.path).toBe('/customer-groups');
    await client.customerGroups.get(1337);
    expect(sent()).toEqual(['GET', '/customer-groups/1337', undefined]);
    await client.customerGroups.create({ customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
    expect(sent()).toEqual(['POST', '/customer-groups', { customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } }]);
    await client.customerGroups.update(1337, { name: 'Shop', account: { accountNumber: 5600 } });
    expect(sent()).toEqual(['PUT', '/customer-groups/1337', { name: 'Shop', account: { accountNumber: 5600 }, customerGroupNumber: 1337 }]);
  });

  it('products and product groups', async () => {
    const body = { productNumber: 'A_1', name: 'Mug', productGroup: { productGroupNumber: 1 } };
    await client.products.list().toArray();
    expect(last()?.path).toBe('/products');
    await client.products.get('A_1');
    expect(sent()).toEqual(['GET', '/products/A_8_1', undefined]);
    await client.products.create(body);
    expect(sent()).toEqual(['POST', '/products', body]);
    await client.products.update('A_1', { name: 'Mug', productGroup: { productGroupNumber: 1 } });
    expect(sent()).toEqual(['PUT', '/products/A_8_1', body]);
    await client.products.delete('A_1');
    expect(sent()).toEqual(['DELETE', '/products/A_8_1', undefined]);

    await client.productGroups.list().toArray();
    expect(last()?.path).toBe('/product-groups');
    await client.productGroups.get(1);
    expect(sent()).toEqual(['GET', '/product-groups/1', undefined]);
    await client.productGroups.salesAccounts(1).toArray();
    expect(last()?.path).toBe('/product-groups/1/sales-accounts');
    await client.productGroups.products(1).toArray();
    expect(last()?.path).toBe('/product-groups/1/products');
  });

  it.each([
    ['units', '/units'],
    ['layouts', '/layouts'],
    ['paymentTerms', '/payment-terms'],
    ['vatZones', '/vat-zones'],
    ['accounts', '/accounts'],
  ] as const)('%s list/get', async (name, path) => {
    const resource = client[name];
    await resource.list().toArray();
    expect(last()?.path).toBe(path);
    await resource.get(5820);
    expect(sent()).toEqual(['GET', `${path}/5820`, undefined]);
  });

  it('draft invoices', async () => {
    const draft = {
      date: '2025-01-31',
      currency: 'DKK',
      customer: { customerNumber: 1 },
      paymentTerms: { paymentTermsNumber: 1 },
      layout: { layoutNumber: 19 },
      recipient: { name: 'A', vatZone: { vatZoneNumber: 1 } },
      references: { other: 'order-42' },
    };
    await client.invoices.drafts.list().toArray();
    expect(last()?.path).toBe('/invoices/drafts');
    await client.invoices.drafts.get(3);
    expect(sent()).toEqual(['GET', '/invoices/drafts/3', undefined]);
    await client.invoices.drafts.create(draft);
    expect(sent()).toEqual(['POST', '/invoices/drafts', draft]);
    await client.invoices.drafts.update(3, draft);
    expect(sent()).toEqual(['PUT', '/invoices/drafts/3', draft]);
    await expect(client.invoices.drafts.delete(3)).resolves.toMatchObject({ deletedCount: 1 });
    expect(sent()).toEqual(['DELETE', '/invoices/drafts/3', undefined]);
    const lines = [{ product: { productNumber: 'A' }, quantity: 2, unitNetPrice: 10 }];
    await client.invoices.drafts.addLines(3, lines);
    expect(sent()).toEqual(['POST', '/invoices/drafts/3/lines', { lines }]);
  });

  it('booked invoices', async () => {
    await client.invoices.booked.list().toArray();
    expect(last()?.path).toBe('/invoices/booked');
    await client.invoices.booked.get(10);
    expect(sent()).toEqual(['GET', '/invoices/booked/10', undefined]);
    await client.invoices.booked.book({ draftInvoiceNumber: 3 });
    expect(sent()).toEqual(['POST', '/invoices/booked', { draftInvoice: { draftInvoiceNumber: 3 } }]);
    await client.invoices.booked.book({ draftInvoiceNumber: 3, bookWithNumber: 77, sendBy: 'ean' });
    expect(sent()).toEqual(['POST', '/invoices/booked', { draftInvoice: { draftInvoiceNumber: 3 }, bookWithNumber: 77, sendBy: 'ean' }]);
  });

  it('journals, vouchers and entries', async () => {
    await client.journals.list().toArray();
    expect(last()?.path).toBe('/journals');
    await client.journals.get(2);
    expect(sent()).toEqual(['GET', '/journals/2', undefined]);
    const voucher = {
      accountingYear: { year: '2025' },
      entries: { customerPayments: [{ customer: { customerNumber: 1 }, contraAccount: { accountNumber: 5820 }, amount: -100, date: '2025-01-31', customerInvoice: 10 }] },
    };
    const one = await client.journals.vouchers(2).create(voucher);
    expect(sent()).toEqual(['POST', '/journals/2/vouchers', { journal: { journalNumber: 2 }, ...voucher }]);
    expect(one).toHaveLength(1);
    await client.journals.vouchers(2).create([voucher, voucher]);
    expect(last()?.json).toEqual([
      { journal: { journalNumber: 2 }, ...voucher },
      { journal: { journalNumber: 2 }, ...voucher },
    ]);
    await client.journals.vouchers(2).list().toArray();
    expect(last()?.path).toBe('/journals/2/vouchers');
    await client.journals.entries(2).list().toArray();
    expect(last()?.path).toBe('/journals/2/entries');
  });

  it('client.request reaches untyped endpoints', async () => {
    await expect(client.request('GET', '/invoices/totals')).resolves.toMatchObject({ path: '/invoices/totals' });
  });
});
