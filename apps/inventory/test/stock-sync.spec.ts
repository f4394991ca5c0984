import { Webhook } from 'standardwebhooks';
import { InventoryStatusReply, RpcSubjects, Subjects, withDefaults } from '@bogholder/contracts';
import { eventually, sleep, sql } from '@bogholder/testing';
import { Harness, Receiver } from './support/harness';

describe('stock follows e-conomic', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    h = await Harness.start('inv_stock', { INVENTORY_DAILY_RECONCILE_CALLS: '100' });
    receiver = await Receiver.start();
  });

  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  const status = (shopId: string) => h.rpc.request<InventoryStatusReply>(RpcSubjects.InventoryStatus, { shopId });

  it('reconciles every product of the inventory-enabled groups as soon as stock sync is switched on, and then only what moved', async () => {
    const a = await h.agreement();
    await h.product(a, 'CHAIR', { stock: 10 });
    await h.product(a, 'TABLE');
    await h.product(a, 'SERVICE', { group: 2 }); // group 2 carries no stock
    await h.connect('shop-recon', a);

    await h.reconciled('shop-recon'); // by the scheduler, nobody asked
    await eventually(() => h.changesOf('shop-recon').length === 2);
    expect(h.changesOf('shop-recon').sort((x, y) => x.sku.localeCompare(y.sku))).toEqual([
      { sku: 'CHAIR', available: 10, previous: null },
      { sku: 'TABLE', available: 0, previous: null },
    ]);
    const s = await status('shop-recon');
    expect(s).toMatchObject({ stockSync: true, status: 'ok', skusTracked: 2 });
    expect(s.lastReconciledAt).not.toBeNull();
    expect(s.message).toMatch(/2 products .* 1 request/);

    // Nothing moved: nothing is sent again.
    expect(await h.reconciler().reconcileNow('shop-recon')).toMatchObject({ outcome: 'done', changes: 0 });
    await h.moveStock(a, 'TABLE', 4);
    expect(await h.reconciler().reconcileNow('shop-recon')).toMatchObject({ outcome: 'done', changes: 1 });
    await eventually(() => h.changesOf('shop-recon').length === 3);
    expect(h.changesOf('shop-recon', 'TABLE')).toEqual([{ sku: 'TABLE', available: 0, previous: null }, { sku: 'TABLE', available: 4, previous: 0 }]);
    const event = h.stockChanged.find((e) => e.shopId === 'shop-recon' && e.data.available === 4)!;
    expect(event.correlationId).toMatch(/^reconcile:shop-recon:/);
  });

  it('sends a stock movement made in e-conomic to NATS and, signed, to the shop within seconds (product webhook)', async () => {
    const a = await h.agreement();
    await h.product(a, 'LAMP', { stock: 3 });
    const secret = await h.connect('shop-fast', a, {}, { callbackUrl: receiver.url });
    await h.reconciled('shop-fast');
    await eventually(() => receiver.calls.some((c) => JSON.parse(c.body).data.sku === 'LAMP'));
    await h.economicWebhooks(a, 'shop-fast', ['product']);

    const movedAt = Date.now();
    await h.moveStock(a, 'LAMP', 5);
    await eventually(() => h.changesOf('shop-fast', 'LAMP').some((d) => d.available === 8), 5000);
    const onNats = h.stockChanged.find((e) => e.shopId === 'shop-fast' && e.data.available === 8)!;
    expect(onNats.data).toEqual({ sku: 'LAMP', available: 8, previous: 3 });
    const call = await eventually(() => receiver.calls.find((c) => JSON.parse(c.body).data.available === 8), 5000);
    expect(call.at - movedAt).toBeLessThan(5000);

    // The shop can check it came from us, and drop duplicates by webhook-id.
    const verified = new Webhook(secret).verify(call.body, call.headers) as { type: string; timestamp: string; data: unknown };
    expect(verified).toEqual({ type: 'stock.changed', timestamp: onNats.occurredAt, data: { sku: 'LAMP', available: 8, previous: 3 } });
    expect(call.headers['webhook-id']).toBe(onNats.id);
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).verify(call.body, call.headers)).toThrow();
  });

  it("sends a booked invoice's stock drop (invoice webhook)", async () => {
    const a = await h.agreement();
    await h.product(a, 'BIKE', { stock: 10 });
    await h.connect('shop-invoice', a);
    await h.reconciled('shop-invoice');
    await h.economicWebhooks(a, 'shop-invoice', ['invoice']); // only the invoice webhook: the drop must come through it

    const invoiceNumber = await h.sell(a, 'BIKE', 3);
    await eventually(() => h.changesOf('shop-invoice', 'BIKE').some((d) => d.available === 7), 5000);
    expect(h.changesOf('shop-invoice', 'BIKE')).toEqual([{ sku: 'BIKE', available: 10, previous: null }, { sku: 'BIKE', available: 7, previous: 10 }]);
    expect((await h.requests(a)).some((r) => r.method === 'GET' && r.path === `/invoices/booked/${invoiceNumber}`)).toBe(true);
  });

  it('reads a product once for a burst of webhooks about it', async () => {
    const a = await h.agreement();
    await h.product(a, 'SOCK', { stock: 1 });
    await h.connect('shop-burst', a);
    await h.reconciled('shop-burst');
    await h.clearRequests(a);
    const before = (await h.rpc.request<InventoryStatusReply>(RpcSubjects.InventoryStatus, { shopId: 'shop-burst' })).skusTracked;
    expect(before).toBe(1);

    await h.moveStock(a, 'SOCK', 41); // no webhooks configured: the burst below is the only signal
    const already = await countHandled(h);
    await Promise.all(Array.from({ length: 500 }, () => h.publish(Subjects.EconomicWebhookReceived, 'shop-burst', { kind: 'product', number: 'SOCK', oldNumber: 'SOCK' })));
    await h.handled(Subjects.EconomicWebhookReceived, already + 500);
    await h.refreshed('shop-burst');
    await eventually(() => h.changesOf('shop-burst', 'SOCK').length === 2);

    const reads = (await h.requests(a)).filter((r) => r.method === 'GET' && r.path === '/products/SOCK');
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(reads.length).toBeLessThanOrEqual(10);
    expect(h.changesOf('shop-burst', 'SOCK')).toEqual([{ sku: 'SOCK', available: 1, previous: null }, { sku: 'SOCK', available: 42, previous: 1 }]);
  });

  it('never lets two runners reconcile the same shop at once', async () => {
    const a = await h.agreement();
    await h.product(a, 'CUP', { stock: 2 });
    await h.product(a, 'PLATE', { stock: 2 });
    await h.connect('shop-twice', a);
    await h.reconciled('shop-twice');
    const replica = await h.startApp();
    await h.moveStock(a, 'CUP', 1);
    await h.moveStock(a, 'PLATE', 1);

    // The product listing answers slowly (held 1.5 s, then the connection drops and the client retries).
    await h.control('PUT', '/__sandbox/faults', a.grantToken, { kinds: ['timeout'], holdMs: 1500, count: 1, match: { method: 'GET', path: '/products' } });
    const first = h.reconciler().reconcileNow('shop-twice');
    await sleep(300);
    const second = await Promise.all([h.reconciler(replica).reconcileNow('shop-twice'), h.reconciler(replica).reconcileNow('shop-twice')]);
    expect(second.map((r) => r.outcome)).toEqual(['busy', 'busy']);
    expect(await first).toMatchObject({ outcome: 'done', changes: 2 });

    // Racing from both replicas afterwards: each change is still sent exactly once.
    await h.moveStock(a, 'CUP', 1);
    const raced = await Promise.all([h.reconciler().reconcileNow('shop-twice'), h.reconciler(replica).reconcileNow('shop-twice'), h.reconciler(replica).reconcileNow('shop-twice')]);
    expect(raced.filter((r) => r.outcome === 'done').length).toBeGreaterThanOrEqual(1);
    expect(raced.filter((r) => r.outcome === 'done').reduce((n, r) => n + (r.changes ?? 0), 0)).toBe(1);
    await eventually(() => h.changesOf('shop-twice').length === 5);
    await sleep(300);
    expect(h.changesOf('shop-twice', 'CUP')).toEqual([
      { sku: 'CUP', available: 2, previous: null }, { sku: 'CUP', available: 3, previous: 2 }, { sku: 'CUP', available: 4, previous: 3 },
    ]);
    await h.stopApp(replica);
  });

  it('reads a thousand products with one request (1001 cost two) and stretches the interval to stay within the daily budget', async () => {
    const a = await h.agreement();
    const numbers = Array.from({ length: 1001 }, (_, i) => `P${String(i).padStart(4, '0')}`);
    for (let i = 0; i < numbers.length; i += 50) await Promise.all(numbers.slice(i, i + 50).map((n) => h.product(a, n)));
    await h.connect('shop-big', a, { stockSyncIntervalSeconds: 60 });
    await h.reconciled('shop-big');
    await h.reconciler().reconcileNow('shop-big'); // this replica now knows the agreement (/self, product groups)
    await h.clearRequests(a);
    await h.moveStock(a, 'P0500', 7);

    expect(await h.reconciler().reconcileNow('shop-big')).toMatchObject({ outcome: 'done', changes: 1, productsRead: 1001, calls: 2 });
    const calls = await h.requests(a);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /products', 'GET /products']); // /self and groups are cached
    expect(calls.every((c) => /pagesize=1000/.test(c.query) && /filter=/.test(c.query))).toBe(true);

    // 2 requests a run, at most 100 a day for reconciliation here: every 1728 s, not every 60 s.
    const s = await status('shop-big');
    expect(s.effectiveIntervalSeconds).toBe(1728);
    expect(s.message).toMatch(/every 1728 s instead of every 60 s/);
    expect(new Date(s.nextReconcileAt!).getTime() - Date.now()).toBeGreaterThan(1700_000);
  });

  it('tells the admin when e-conomic fails or refuses, and recovers by itself', async () => {
    const a = await h.agreement();
    await h.product(a, 'VASE', { stock: 1 });
    await h.connect('shop-trouble', a);
    await h.reconciled('shop-trouble');
    await h.reconciler().reconcileNow('shop-trouble');

    await h.control('PUT', '/__sandbox/faults', a.grantToken, { kinds: ['500'], count: 4, match: { method: 'GET', path: '/products' } });
    expect(await h.reconciler().reconcileNow('shop-trouble')).toMatchObject({ outcome: 'failed' });
    expect(await status('shop-trouble')).toMatchObject({ status: 'error', message: expect.stringMatching(/e-conomic did not answer properly while reading the products of the inventory-enabled product groups.*will try again/) });
    expect(await h.reconciler().reconcileNow('shop-trouble')).toMatchObject({ outcome: 'done' });
    expect(await status('shop-trouble')).toMatchObject({ status: 'ok' });

    await h.control('DELETE', `/__sandbox/grants/${encodeURIComponent(a.grantToken)}`, a.grantToken);
    expect(await h.reconciler().reconcileNow('shop-trouble')).toMatchObject({ outcome: 'failed' });
    expect((await status('shop-trouble')).message).toMatch(/refused the grant token.*connect the shop to e-conomic again/);
  });

  it('says clearly when the agreement has no inventory module, instead of silently doing nothing', async () => {
    const a = await h.agreement({ inventoryModule: false });
    await h.product(a, 'GHOST');
    await h.connect('shop-nolager', a);
    const s = await eventually(async () => {
      const reply = await status('shop-nolager');
      return reply.status === 'no-inventory-module' ? reply : null;
    });
    expect(s.message).toMatch(/no inventory module \(Lager\).*turn the module on in e-conomic or switch stockSync off/);
    expect(await h.reconciler().reconcileNow('shop-nolager')).toMatchObject({ outcome: 'no-inventory-module' });
    expect(h.changesOf('shop-nolager')).toEqual([]);

    await h.publish(Subjects.SettingsUpdated, 'shop-nolager', withDefaults({ stockSync: false }));
    await eventually(async () => (await status('shop-nolager')).status === 'off');
  });
});

async function countHandled(h: Harness): Promise<number> {
  return (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${h.schema}".inbox WHERE consumer = 'inventory-economic-webhook-received'`))[0]!.n;
}
