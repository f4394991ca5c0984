import { Webhook } from 'standardwebhooks';
import { DeliveriesListReply, DeliveryView, InventoryStatusReply, RpcSubjects } from '@bogholder/contracts';
import { RpcError } from '@bogholder/messaging';
import { eventually, sleep, sql } from '@bogholder/testing';
import { Harness, Receiver } from './support/harness';

/** Deliveries of stock.changed to the shop's callbackUrl; the retry schedule is 0, 200, 500 ms here. */
describe('stock.changed delivered to the shop', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    h = await Harness.start('inv_deliv');
    receiver = await Receiver.start();
  });

  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  const list = (shopId: string, status?: DeliveryView['status']) =>
    h.rpc.request<DeliveriesListReply>(RpcSubjects.InventoryDeliveries, { shopId, limit: 50, offset: 0, ...(status ? { status } : {}) });
  const callsFor = (sku: string) => receiver.calls.filter((c) => JSON.parse(c.body).data.sku === sku);

  it('retries a receiver that fails on the schedule, gives up (dead), and delivers again when an admin redelivers', async () => {
    let failing = true;
    receiver.respond = (call) => (failing && JSON.parse(call.body).data.sku === 'KETTLE' ? 500 : 200);
    const a = await h.agreement();
    await h.product(a, 'KETTLE', { stock: 6 });
    const secret = await h.connect('shop-retry', a, {}, { callbackUrl: receiver.url });

    const dead = await eventually(async () => (await list('shop-retry', 'dead')).items[0], 15_000);
    expect(callsFor('KETTLE')).toHaveLength(3); // immediately, +200 ms, +500 ms
    const [first, second, third] = callsFor('KETTLE');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(150);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(400);
    expect(new Set(callsFor('KETTLE').map((c) => c.headers['webhook-id']))).toEqual(new Set([dead.id])); // same id every time: the shop can dedupe
    expect(dead).toMatchObject({ sku: 'KETTLE', status: 'dead', attempts: 3, nextAttemptAt: null, deliveredAt: null, lastStatusCode: 500, data: { sku: 'KETTLE', available: 6, previous: null } });
    expect(dead.lastError).toMatch(/gave up after 3 attempts.*HTTP 500/);
    const log = await sql<{ attempt: number; status_code: number }>(`SELECT attempt, status_code FROM "${h.schema}".delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`, [dead.id]);
    expect(log).toEqual([{ attempt: 1, status_code: 500 }, { attempt: 2, status_code: 500 }, { attempt: 3, status_code: 500 }]);
    const status = await h.rpc.request<InventoryStatusReply>(RpcSubjects.InventoryStatus, { shopId: 'shop-retry' });
    expect(status).toMatchObject({ deadDeliveries: 1, callbackConfigured: true });
    expect(status.message).toMatch(/1 delivery to the callbackUrl gave up \(dead\).*redeliver/);

    failing = false;
    const reset = await h.rpc.request<DeliveryView>(RpcSubjects.InventoryRedeliver, { shopId: 'shop-retry', deliveryId: dead.id });
    expect(reset.status).toBe('pending');
    const delivered = await eventually(async () => (await list('shop-retry', 'delivered')).items[0]);
    expect(delivered).toMatchObject({ id: dead.id, attempts: 4, lastError: null, lastStatusCode: 200 });
    expect(delivered.deliveredAt).not.toBeNull();
    const last = callsFor('KETTLE').at(-1)!;
    expect(new Webhook(secret).verify(last.body, last.headers)).toMatchObject({ type: 'stock.changed', data: { sku: 'KETTLE', available: 6, previous: null } });
    expect((await list('shop-retry', 'dead')).total).toBe(0);
  });

  it('stops at once when the shop answers 410 Gone', async () => {
    receiver.respond = (call) => (JSON.parse(call.body).data.sku === 'GONE' ? 410 : 200);
    const a = await h.agreement();
    await h.product(a, 'GONE', { stock: 1 });
    await h.connect('shop-gone', a, {}, { callbackUrl: receiver.url });
    const dead = await eventually(async () => (await list('shop-gone', 'dead')).items[0]);
    await sleep(800);
    expect(callsFor('GONE')).toHaveLength(1);
    expect(dead).toMatchObject({ attempts: 1, lastStatusCode: 410 });
    expect(dead.lastError).toMatch(/410 Gone/);
  });

  it('keeps the order of one SKU: a newer count never overtakes an older one that is being retried', async () => {
    let failuresLeft = 2;
    receiver.respond = (call) => {
      const data = JSON.parse(call.body).data;
      if (data.sku !== 'MUG' || data.available !== 5 || failuresLeft === 0) return 200;
      failuresLeft--;
      return 503;
    };
    const a = await h.agreement();
    await h.product(a, 'MUG', { stock: 5 });
    await h.connect('shop-order', a, {}, { callbackUrl: receiver.url });
    await h.reconciled('shop-order');
    await h.moveStock(a, 'MUG', 1);
    expect(await h.reconciler().reconcileNow('shop-order')).toMatchObject({ outcome: 'done', changes: 1 });

    await eventually(async () => (await list('shop-order', 'delivered')).total === 2);
    const seen = callsFor('MUG').map((c) => JSON.parse(c.body).data.available);
    expect(seen).toEqual([5, 5, 5, 6]);
  });

  it('publishes on NATS but creates no deliveries for a shop without a callbackUrl, and says so', async () => {
    const a = await h.agreement();
    await h.product(a, 'NOHOOK', { stock: 2 });
    await h.connect('shop-nourl', a, {}, { callbackUrl: null });
    await eventually(() => h.changesOf('shop-nourl', 'NOHOOK').length === 1);
    expect((await list('shop-nourl')).total).toBe(0);
    const status = await h.rpc.request<InventoryStatusReply>(RpcSubjects.InventoryStatus, { shopId: 'shop-nourl' });
    expect(status).toMatchObject({ status: 'ok', callbackConfigured: false, pendingDeliveries: 0 });
    expect(status.message).toMatch(/no callbackUrl, so stock.changed is published on NATS only/);
  });

  it('answers 404 for an unknown delivery and 400 naming the field for a bad request', async () => {
    const unknown = await h.rpc.request(RpcSubjects.InventoryRedeliver, { shopId: 'shop-retry', deliveryId: 'no-such-delivery' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(RpcError);
    expect(unknown).toMatchObject({ code: 'delivery_not_found', status: 404 });
    const bad = await h.rpc.request(RpcSubjects.InventoryDeliveries, { shopId: 'shop-retry', limit: 5000, offset: 0 }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid_request', status: 400 });
    expect((bad as RpcError).body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
  });
});
