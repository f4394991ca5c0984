import { RpcSubjects, TransferView } from '@bogholder/contracts';
import { eventually } from '@bogholder/testing';
import { Harness, makeOrder, TestShop } from './support/harness';

const ref = (shop: TestShop, orderId: string) => `bogholder:${shop.shopId}:${orderId}`;

describe('e-conomic faults: exactly one document, failures visible, other shops unaffected', () => {
  // A short client timeout so a held request becomes an unknown outcome quickly.
  const h = new Harness();

  beforeAll(async () => {
    await h.start({ ECONOMIC_TIMEOUT_MS: '1500' });
  });

  afterAll(async () => {
    await h.stop();
  });

  const faults = (shop: TestShop, body: Record<string, unknown>) => h.control(shop, 'PUT', 'faults', body);
  const calls = async (shop: TestShop) => (await h.requests(shop)).map((r) => `${r.method} ${r.path}${r.fault ? ` [${r.fault}]` : ''}`);

  it('adopts the draft e-conomic created when the answer to POST /invoices/drafts is lost', async () => {
    const shop = await h.shop();
    await faults(shop, { kinds: ['drop-after-commit'], match: { method: 'POST', path: '/invoices/drafts' }, count: 1 });
    const order = makeOrder();
    await h.paid(shop, order);
    const t = await h.waitFor(shop.shopId, order.orderId, 'booked');
    const docs = await h.documents(shop, ref(shop, order.orderId));
    expect(docs).toEqual({ drafts: [], booked: [expect.objectContaining({ bookedInvoiceNumber: t.bookedInvoiceNumber })] });
    expect((await calls(shop)).filter((c) => c.includes('/invoices/'))).toEqual([
      'POST /invoices/drafts [drop-after-commit]',
      'GET /invoices/drafts',
      `PUT /invoices/drafts/${t.draftInvoiceNumber}`,
      'POST /invoices/booked',
    ]);
    expect(t.attempts).toBe(2);
  });

  it('adopts the booked invoice when the answer to POST /invoices/booked is lost', async () => {
    const shop = await h.shop();
    await faults(shop, { kinds: ['drop-after-commit'], match: { method: 'POST', path: '/invoices/booked' }, count: 1 });
    const order = makeOrder();
    await h.paid(shop, order);
    const t = await h.waitFor(shop.shopId, order.orderId, 'booked');
    expect((await h.documents(shop, ref(shop, order.orderId))).booked).toHaveLength(1);
    expect((await calls(shop)).filter((c) => c.includes('/invoices/'))).toEqual([
      'POST /invoices/drafts',
      'POST /invoices/booked [drop-after-commit]',
      'GET /invoices/booked',
    ]);
    await eventually(() => h.eventsOf('invoice.booked', order.orderId).length > 0);
    expect(h.eventsOf('invoice.booked', order.orderId)).toHaveLength(1);
    expect(h.eventsOf('invoice.booked', order.orderId)[0]!.data.bookedInvoiceNumber).toBe(t.bookedInvoiceNumber);
  });

  it('looks up, finds nothing and writes again after a timeout that committed nothing', async () => {
    const shop = await h.shop();
    await faults(shop, { kinds: ['timeout'], match: { method: 'POST', path: '/invoices/booked' }, count: 1, holdMs: 3000 });
    const order = makeOrder();
    await h.paid(shop, order);
    const failed = await h.waitFor(shop.shopId, order.orderId, 'failed');
    expect(failed.lastError!.code).toBe('economic_outcome_unknown');
    expect(failed.nextAttemptAt).not.toBeNull();
    await h.waitFor(shop.shopId, order.orderId, 'booked');
    expect((await h.documents(shop, ref(shop, order.orderId))).booked).toHaveLength(1);
    const invoiceCalls = (await calls(shop)).filter((c) => c.includes('/invoices/'));
    expect(invoiceCalls).toEqual(['POST /invoices/drafts', 'POST /invoices/booked [timeout]', 'GET /invoices/booked', expect.stringMatching(/^GET \/invoices\/drafts\/\d+$/), 'POST /invoices/booked']);
    expect(h.eventsOf('invoice.failed', order.orderId).map((e) => e.data)).toEqual([expect.objectContaining({ code: 'economic_outcome_unknown', retryable: true })]);
  });

  it('retries an e-conomic outage with backoff, announcing the failure once, while other shops keep booking', async () => {
    const down = await h.shop();
    const up = await h.shop();
    const order = makeOrder();
    await faults(down, { rate: 1, kinds: ['500'] });
    await h.paid(down, order);
    const failing = await h.waitFor(down.shopId, order.orderId, 'failed', 20_000, (t) => t.attempts >= 2);
    expect(failing.lastError!.code).toMatch(/^economic_(unavailable|outcome_unknown)$/);
    expect(Date.parse(failing.nextAttemptAt!)).toBeGreaterThan(Date.now() - 1000);

    const started = Date.now();
    const others = [makeOrder(), makeOrder()];
    for (const o of others) await h.paid(up, o);
    for (const o of others) await h.waitFor(up.shopId, o.orderId, 'booked');
    expect(Date.now() - started).toBeLessThan(10_000);

    await eventually(() => h.eventsOf('invoice.failed', order.orderId).length > 0);
    expect(h.eventsOf('invoice.failed', order.orderId)).toHaveLength(1);
    expect(h.eventsOf('invoice.failed', order.orderId)[0]!.data).toMatchObject({ retryable: true });

    await faults(down, { rate: 0 });
    const retried = await h.rpc.request<TransferView>(RpcSubjects.InvoicingTransferRetry, { shopId: down.shopId, orderId: order.orderId, correlationId: 'admin' });
    expect(retried.attempts).toBeGreaterThanOrEqual(failing.attempts); // attempts are kept
    const booked = await h.waitFor(down.shopId, order.orderId, 'booked', 30_000);
    expect(booked.lastError).toBeNull();
    expect(await h.documents(down, ref(down, order.orderId))).toEqual({ drafts: [], booked: [expect.anything()] });
  });

  it('parks with the customers service\'s message when it refuses, and retries while e-conomic is down for it', async () => {
    const noGroup = await h.shop({}, { group: false });
    const order = makeOrder();
    await h.paid(noGroup, order);
    const parked = await h.waitFor(noGroup.shopId, order.orderId, 'parked');
    expect(parked.lastError).toEqual({ code: 'customer_group_missing', message: expect.stringMatching(/^customer group 1337 does not exist in e-conomic: create it under Sales → Customers → Customer groups/) });
    expect((await h.state(noGroup)).drafts).toHaveLength(0);

    const shop = await h.shop();
    await faults(shop, { rate: 1, kinds: ['500'], match: { path: '/customers' } });
    const other = makeOrder();
    await h.paid(shop, other);
    const failed = await h.waitFor(shop.shopId, other.orderId, 'failed');
    expect(failed.lastError!.code).toBe('economic_unavailable');
    await faults(shop, { rate: 0 });
    await h.rpc.request(RpcSubjects.InvoicingTransferRetry, { shopId: shop.shopId, orderId: other.orderId, correlationId: 'admin' });
    await h.waitFor(shop.shopId, other.orderId, 'booked');
    expect((await h.state(shop)).customers).toHaveLength(1);
  });
});
