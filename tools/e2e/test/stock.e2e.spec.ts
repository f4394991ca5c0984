/**
 * Stock moved in e-conomic reaches NATS and the shop's callback URL (signed), through the real
 * processes: sandbox webhook → gateway → inventory → JetStream + Standard Webhooks delivery.
 */
import { createServer, Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { applySettings, collect, connectedShop, E2E, prepareAgreement, sandboxControl, startSystem, waitFor } from './harness';

let e2e: E2E;
let agreement: { agreementNumber: number; grantToken: string };
let shop: { id: string; webhookSecret: string };
let receiver: Server;
const received: { headers: Record<string, string>; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const callbackUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/stock`;
  e2e = await startSystem();
  agreement = await prepareAgreement(e2e, [{ productNumber: 'MUG' }, { productNumber: 'TEA' }]);
  shop = await connectedShop(e2e, agreement.agreementNumber, 'Stock shop', callbackUrl);
  await applySettings(e2e, shop.id, { stockSync: true });
  const urls = await e2e.gateway.call<{ product: string; invoice: string }>('GET', `/api/shops/${shop.id}/economic/webhook-urls`);
  const put = await sandboxControl(e2e, 'PUT', '/__sandbox/webhooks', agreement.grantToken, [{ kind: 'product', url: urls.product }, { kind: 'invoice', url: urls.invoice }]);
  expect(put.status).toBe(200);
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
  receiver?.close();
});

it('delivers a stock movement made in e-conomic to NATS and, signed, to the shop', async () => {
  const events = collect(e2e.nc, e2e.subject('stock.changed'));
  const started = Date.now();
  const moved = await sandboxControl(e2e, 'POST', '/__sandbox/stock', agreement.grantToken, { productNumber: 'MUG', delta: 25 });
  expect(moved.status).toBe(200);
  const event = await waitFor(async () => events.messages.find((m) => m.data.sku === 'MUG' && m.data.available === 25), 'stock.changed on NATS', 30_000);
  expect(event.shopId).toBe(shop.id);
  const delivery = await waitFor(async () => received.find((r) => JSON.parse(r.body).data.sku === 'MUG' && JSON.parse(r.body).data.available === 25), 'the signed delivery', 30_000);
  expect(Date.now() - started).toBeLessThan(30_000);
  const verified = new Webhook(shop.webhookSecret).verify(delivery.body, delivery.headers) as { type: string; data: unknown };
  expect(verified).toMatchObject({ type: 'stock.changed', data: { sku: 'MUG', available: 25 } });
  events.sub.unsubscribe();
});

it('reports SKUs the shop has that e-conomic does not, and quantities that differ', async () => {
  const res = await e2e.gateway.sendWebhook(shop.id, shop.webhookSecret, 'stock.snapshot', { items: [{ sku: 'MUG', quantity: 20 }, { sku: 'NOPE-9', quantity: 3 }] });
  expect(res.status).toBe(202);
  const mismatches = await waitFor(async () => {
    const list = await e2e.gateway.call<{ items: any[] }>('GET', `/api/shops/${shop.id}/inventory/mismatches`);
    return list.items.length >= 2 ? list.items : undefined;
  }, 'both mismatches', 30_000);
  expect(mismatches).toEqual(expect.arrayContaining([
    expect.objectContaining({ sku: 'NOPE-9', kind: 'missing-in-economic', shopQuantity: 3 }),
    expect.objectContaining({ sku: 'MUG', kind: 'stock-differs', shopQuantity: 20, economicQuantity: 25 }),
  ]));
});

it('passes on the stock drop of an invoice booked for an order', async () => {
  const events = collect(e2e.nc, e2e.subject('stock.changed'));
  const n = 9100;
  const order = { orderId: `S-${n}`, orderNumber: n, currency: 'DKK', date: new Date().toISOString().slice(0, 10), customer: { id: 'c-1', name: 'Stock buyer', country: 'DK' }, lines: [{ sku: 'MUG', description: 'Mug', quantity: 4, unitNetPrice: 100, vatRate: 25 }] };
  const res = await e2e.gateway.sendWebhook(shop.id, shop.webhookSecret, 'order.paid', { order, payment: { amount: 500, currency: 'DKK', paidAt: new Date().toISOString() } });
  expect(res.status).toBe(202);
  const event = await waitFor(async () => events.messages.find((m) => m.data.sku === 'MUG' && m.data.available === 21), 'the stock drop on NATS', 60_000);
  expect(event.data.previous).toBe(25);
  events.sub.unsubscribe();
});

it('reconciles on request and reports what it did', async () => {
  const moved = await sandboxControl(e2e, 'POST', '/__sandbox/stock', agreement.grantToken, { productNumber: 'TEA', delta: 7 });
  expect(moved.status).toBe(200);
  const result = await e2e.gateway.call('POST', `/api/shops/${shop.id}/inventory/reconcile`);
  expect(result).toMatchObject({ outcome: expect.stringMatching(/^(done|busy)$/), message: expect.any(String) });
  const status = await e2e.gateway.call('GET', `/api/shops/${shop.id}/inventory`);
  expect(status).toMatchObject({ stockSync: true, status: 'ok' });
  expect(status.lastReconciledAt).not.toBeNull();
});
