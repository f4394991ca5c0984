import { createEnvelope, EventEnvelope, Subjects } from '@bogholder/contracts';
import { eventually, sleep } from '@bogholder/testing';
import { StringCodec } from 'nats';
import { Bus, ConsumerRunner, Outbox, PermanentError, RetryableError, RpcClient, RpcError, RpcServer, RpcUnavailableError } from '../src';
import { setup } from './harness';

type Harness = Awaited<ReturnType<typeof setup>>;
let h: Harness;
const runners: ConsumerRunner[] = [];

beforeAll(async () => {
  h = await setup();
});
afterEach(async () => {
  while (runners.length) await runners.pop()!.stop(2000);
});
afterAll(async () => {
  await h.teardown();
});

const booked = (orderId: string, extra: Partial<EventEnvelope> = {}) => ({
  ...createEnvelope(Subjects.InvoiceBooked, 'shop-1', {
    orderId, draftInvoiceNumber: 1, bookedInvoiceNumber: 7, customerNumber: 100000, netAmount: 80, vatAmount: 20,
    grossAmount: 100, currency: 'DKK', date: '2026-12-01', sentByEan: false,
  }, `corr-${orderId}`),
  ...extra,
});

async function streamMessages(subject: string): Promise<EventEnvelope[]> {
  const stream = h.bus.ns.stream('INVOICING');
  const info = await h.bus.jsm.streams.info(stream);
  const out: EventEnvelope[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await h.bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (m && m.subject === h.bus.ns.subject(subject)) out.push(JSON.parse(StringCodec().decode(m.data)));
  }
  return out;
}

function runner(service: string, bus = h.bus, outbox: Outbox | null = null) {
  const r = new ConsumerRunner(h.dataSource, bus, outbox, { service });
  runners.push(r);
  return r;
}

const handledRows = (consumer: string) =>
  h.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1`, [consumer]).then((r) => r[0].n as number);

describe('publishing', () => {
  it('waits for the PubAck and drops a second publish of the same id', async () => {
    const env = booked('dup-1');
    const first = await h.bus.publish(env);
    const second = await h.bus.publish(env);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    const stored = (await streamMessages(Subjects.InvoiceBooked)).filter((e) => e.id === env.id);
    expect(stored).toHaveLength(1);
  });

  it('provisions streams idempotently', async () => {
    await h.bus.ensureStreams();
    await h.bus.ensureStreams();
    const names: string[] = [];
    for await (const s of h.bus.jsm.streams.list()) if (s.config.name.startsWith(h.bus.ns.stream(''))) names.push(s.config.name);
    expect(names.sort()).toEqual(['CUSTOMERS', 'GATEWAY', 'INVENTORY', 'INVOICING'].map((n) => h.bus.ns.stream(n)).sort());
  });
});

describe('consumer runner', () => {
  it('handles a message once and acks it', async () => {
    const seen: string[] = [];
    const r = runner('svc-ack');
    r.register(Subjects.InvoiceBooked, async (env) => {
      seen.push(env.data.orderId);
    });
    await r.start();
    await h.bus.publish(booked('ack-1'));
    await eventually(() => seen.includes('ack-1'));
    await sleep(300);
    expect(seen.filter((s) => s === 'ack-1')).toHaveLength(1);
  });

  it('brings a nak-ed message back after a RetryableError', async () => {
    const deliveries: number[] = [];
    const r = runner('svc-nak');
    r.register(Subjects.InvoiceDrafted, async (_env, ctx) => {
      deliveries.push(ctx.deliveryCount);
      if (ctx.deliveryCount === 1) throw new RetryableError('economic_unavailable', 'e-conomic answered 503');
    }, { backoffMs: [200] });
    await r.start();
    await h.bus.publish(createEnvelope(Subjects.InvoiceDrafted, 's', {
      orderId: 'nak-1', draftInvoiceNumber: 3, customerNumber: 1, netAmount: 1, vatAmount: 0, grossAmount: 1, currency: 'DKK',
    }, 'corr'));
    await eventually(() => deliveries.length === 2);
    expect(deliveries).toEqual([1, 2]);
  });

  it('handles a redelivered message once when the process died after commit but before ack', async () => {
    const effects: string[] = [];
    const crashingBus = await h.connectBus();
    const first = new ConsumerRunner(h.dataSource, crashingBus, null, { service: 'svc-crash' });
    runners.push(first);
    first.register(Subjects.PaymentPosted, async (env, ctx) => {
      await ctx.manager.query('SELECT 1');
      effects.push(`${env.data.orderId}@${ctx.deliveryCount}`);
      // "Crash": the connection is gone before the ack can be sent; the transaction still commits.
      await crashingBus.nc.close();
    }, { ackWaitMs: 1000 });
    await first.start();
    await h.bus.publish(createEnvelope(Subjects.PaymentPosted, 's', { orderId: 'crash-1', voucherNumber: 1, amount: 10, currency: 'DKK', contraAccountNumber: 5830 }, 'c'));
    await eventually(() => effects.length === 1);

    const second = runner('svc-crash');
    second.register(Subjects.PaymentPosted, async () => {
      effects.push('handled-again');
    }, { ackWaitMs: 1000 });
    await second.start();
    // The server redelivers after ack_wait; the inbox recognises it and it is acked without running the handler.
    await eventually(async () => {
      const info = await h.bus.jsm.consumers.info(h.bus.ns.stream('INVOICING'), 'svc-crash-payment-posted');
      return info.delivered.consumer_seq >= 2 && info.num_ack_pending === 0 && info.num_pending === 0;
    }, 20_000, 200);
    expect(effects).toEqual(['crash-1@1']);
    expect(await handledRows('svc-crash-payment-posted')).toBe(1);
  });

  it('runs the handler again when the process died before commit', async () => {
    const effects: string[] = [];
    const crashingBus = await h.connectBus();
    const first = new ConsumerRunner(h.dataSource, crashingBus, null, { service: 'svc-precommit' });
    runners.push(first);
    first.register(Subjects.CreditNoteBooked, async () => {
      await crashingBus.nc.close();
      throw new Error('killed mid-transaction');
    }, { ackWaitMs: 1000 });
    await first.start();
    await h.bus.publish(createEnvelope(Subjects.CreditNoteBooked, 's', { orderId: 'pc-1', refundId: 'r1', bookedInvoiceNumber: 9, grossAmount: -10, currency: 'DKK' }, 'c'));
    await sleep(300);
    const second = runner('svc-precommit');
    second.register(Subjects.CreditNoteBooked, async (env, ctx) => {
      effects.push(`${env.data.refundId}@${ctx.deliveryCount}`);
    }, { ackWaitMs: 1000 });
    await second.start();
    await eventually(() => effects.length === 1, 20_000);
    await sleep(1500);
    expect(effects).toHaveLength(1);
    expect(effects[0]).toMatch(/^r1@[2-9]$/);
  });

  it('dead-letters a PermanentError without retrying it', async () => {
    let calls = 0;
    const r = runner('svc-perm');
    r.register(Subjects.StockChanged, async () => {
      calls++;
      throw new PermanentError('sku_unknown', 'SKU X-1 does not exist in e-conomic');
    });
    await r.start();
    const env = createEnvelope(Subjects.StockChanged, 's', { sku: 'X-1', available: 3, previous: null }, 'c');
    await h.bus.publish(env);
    const rows = await eventually(async () => {
      const found = await h.dataSource.query(`SELECT * FROM dead_letters WHERE consumer = 'svc-perm-stock-changed'`);
      return found.length ? found : null;
    });
    await sleep(500);
    expect(calls).toBe(1);
    expect(rows[0]).toMatchObject({ error_code: 'sku_unknown', error_message: 'SKU X-1 does not exist in e-conomic', message_id: env.id, deliveries: 1 });
    expect(JSON.parse(rows[0].payload).id).toBe(env.id);
  });

  it('dead-letters a message that keeps failing after max deliveries', async () => {
    let calls = 0;
    const r = runner('svc-exhaust');
    r.register(Subjects.InventoryMismatch, async () => {
      calls++;
      throw new Error('database constraint keeps failing');
    }, { maxDeliver: 3, backoffMs: [50] });
    await r.start();
    await h.bus.publish(createEnvelope(Subjects.InventoryMismatch, 's', { sku: 'Y', kind: 'missing-in-economic', shopQuantity: 2 }, 'c'));
    const rows = await eventually(async () => {
      const found = await h.dataSource.query(`SELECT * FROM dead_letters WHERE consumer = 'svc-exhaust-inventory-mismatch'`);
      return found.length ? found : null;
    });
    expect(calls).toBe(3);
    expect(rows[0].error_message).toMatch(/gave up after 3 deliveries: database constraint keeps failing/);
  });

  it('dead-letters a message that is not a valid envelope', async () => {
    const r = runner('svc-invalid');
    const calls: unknown[] = [];
    r.register(Subjects.CustomerCreated, async (env) => {
      calls.push(env);
    });
    await r.start();
    await h.bus.js.publish(h.bus.ns.subject(Subjects.CustomerCreated), JSON.stringify({ id: 'bad-1', type: 'customer.created', shopId: 's', occurredAt: 'x', correlationId: 'c', data: { customerNumber: 'abc' } }));
    const rows = await eventually(async () => {
      const found = await h.dataSource.query(`SELECT * FROM dead_letters WHERE consumer = 'svc-invalid-customer-created'`);
      return found.length ? found : null;
    });
    expect(calls).toHaveLength(0);
    expect(rows[0].error_code).toBe('invalid_message');
    expect(rows[0].error_message).toMatch(/data.customerNumber/);
  });

  it('bounds concurrency', async () => {
    let active = 0;
    let peak = 0;
    let done = 0;
    const r = runner('svc-conc');
    r.register(Subjects.EconomicWebhookReceived, async () => {
      active++;
      peak = Math.max(peak, active);
      await sleep(60);
      active--;
      done++;
    }, { concurrency: 3 });
    await r.start();
    await Promise.all(Array.from({ length: 12 }, (_, i) =>
      h.bus.publish(createEnvelope(Subjects.EconomicWebhookReceived, 's', { kind: 'product', number: `P${i}` }, 'c'))));
    await eventually(() => done === 12);
    expect(peak).toBe(3);
  });

  it('rebuilds its consumer when it is deleted behind its back', async () => {
    const seen: string[] = [];
    const r = runner('svc-rebuild');
    r.register(Subjects.ShopStockSnapshot, async (env) => {
      seen.push(env.id);
    });
    await r.start();
    const a = createEnvelope(Subjects.ShopStockSnapshot, 's', { items: [] }, 'c');
    await h.bus.publish(a);
    await eventually(() => seen.includes(a.id));
    await h.bus.jsm.consumers.delete(h.bus.ns.stream('GATEWAY'), 'svc-rebuild-shop-stock-snapshot');
    const b = createEnvelope(Subjects.ShopStockSnapshot, 's', { items: [] }, 'c');
    await h.bus.publish(b);
    await eventually(() => seen.includes(b.id), 30_000);
  });

  it('drains gracefully: an in-flight message finishes and is acked on stop', async () => {
    const finished: string[] = [];
    const r = new ConsumerRunner(h.dataSource, h.bus, null, { service: 'svc-drain' });
    r.register(Subjects.InvoiceFailed, async (env) => {
      await sleep(400);
      finished.push(env.data.orderId);
    });
    await r.start();
    await h.bus.publish(createEnvelope(Subjects.InvoiceFailed, 's', { orderId: 'drain-1', code: 'x', message: 'y', retryable: true }, 'c'));
    await sleep(150);
    await r.stop(5000);
    expect(finished).toEqual(['drain-1']);
    await sleep(200);
    const info = await h.bus.jsm.consumers.info(h.bus.ns.stream('INVOICING'), 'svc-drain-invoice-failed');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });
});

describe('outbox', () => {
  it('publishes rows committed before a crash once a relay starts', async () => {
    const envs = [booked('ob-1'), booked('ob-2'), booked('ob-3')];
    const writer = new Outbox(h.dataSource, h.bus);
    await h.dataSource.transaction(async (m) => writer.add(m, ...envs));
    // no relay ran: the process "crashed" after commit
    expect((await streamMessages(Subjects.InvoiceBooked)).filter((e) => e.id.startsWith('x'))).toHaveLength(0);
    const relay = new Outbox(h.dataSource, h.bus, { pollMs: 50 });
    relay.start();
    await eventually(async () => {
      const ids = (await streamMessages(Subjects.InvoiceBooked)).map((e) => e.id);
      return envs.every((e) => ids.includes(e.id));
    });
    await relay.stop();
    const left = await h.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    expect(left[0].n).toBe(0);
  });

  it('does not duplicate an event published just before a crash that left it unmarked', async () => {
    const env = booked('ob-crash');
    const outbox = new Outbox(h.dataSource, h.bus);
    await h.dataSource.transaction(async (m) => outbox.add(m, env));
    await h.bus.publish(env); // published, then the process died before marking the row
    const result = await outbox.relayOnce();
    expect(result.published).toBeGreaterThanOrEqual(1);
    const copies = (await streamMessages(Subjects.InvoiceBooked)).filter((e) => e.id === env.id);
    expect(copies).toHaveLength(1);
  });

  it('writes nothing when the business transaction rolls back', async () => {
    const env = booked('ob-rollback');
    const outbox = new Outbox(h.dataSource, h.bus);
    await expect(h.dataSource.transaction(async (m) => {
      await outbox.add(m, env);
      throw new Error('business rule failed');
    })).rejects.toThrow('business rule failed');
    const rows = await h.dataSource.query(`SELECT * FROM outbox WHERE id = $1`, [env.id]);
    expect(rows).toHaveLength(0);
  });
});

describe('request/reply', () => {
  it('answers, relays typed errors and reports a missing service as unavailable', async () => {
    const server = new RpcServer(h.bus, 'svc-rpc');
    server.serve('rpc.test.echo', async (req: { n: number }) => ({ doubled: req.n * 2 }));
    server.serve('rpc.test.fail', async () => {
      throw new PermanentError('customer_group_missing', 'customer group 1337 does not exist in e-conomic', { status: 422 });
    });
    await h.bus.nc.flush();
    const client = new RpcClient(h.bus);
    await expect(client.request('rpc.test.echo', { n: 21 })).resolves.toEqual({ doubled: 42 });
    const err = await client.request('rpc.test.fail', {}).catch((e) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 'customer_group_missing', retryable: false, status: 422 });
    const missing: unknown = await client.request('rpc.test.nobody', {}, 500).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RpcUnavailableError);
    expect((missing as RpcUnavailableError).retryable).toBe(true);
    await server.stop();
  });
});

describe('missed heartbeats', () => {
  it('rebuilds the pull loop after the connection stalls, then keeps consuming', async () => {
    const net = await import('node:net');
    let paused = false;
    const held: (() => void)[] = [];
    const proxy = net.createServer((client) => {
      const upstream = net.connect(4222, '127.0.0.1');
      const forward = (from: import('node:net').Socket, to: import('node:net').Socket) =>
        from.on('data', (chunk) => (paused ? held.push(() => to.write(chunk)) : to.write(chunk)));
      forward(client, upstream);
      forward(upstream, client);
      const end = () => { client.destroy(); upstream.destroy(); };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as import('node:net').AddressInfo).port;
    const stalled = await Bus.connect({ servers: `nats://127.0.0.1:${port}`, name: 'stall-test', namespace: h.namespace });
    const seen: string[] = [];
    const r = new ConsumerRunner(h.dataSource, stalled, null, { service: 'svc-stall', pullExpiresMs: 1000 });
    runners.push(r);
    r.register(Subjects.EconomicConnected, async (env) => {
      seen.push(env.id);
    });
    await r.start();
    const before = createEnvelope(Subjects.EconomicConnected, 's', { agreementNumber: 1, companyName: 'A', grantTokenEncrypted: 'x'.repeat(40) }, 'c');
    await h.bus.publish(before);
    await eventually(() => seen.includes(before.id));

    paused = true;
    await sleep(2500); // several idle heartbeats (every 500 ms) go missing
    paused = false;
    held.splice(0).forEach((send) => send());
    await eventually(() => r.restarts >= 1, 10_000);

    const after = createEnvelope(Subjects.EconomicConnected, 's', { agreementNumber: 1, companyName: 'B', grantTokenEncrypted: 'y'.repeat(40) }, 'c');
    await h.bus.publish(after);
    await eventually(() => seen.includes(after.id), 15_000);
    await r.stop(2000);
    runners.splice(runners.indexOf(r), 1);
    await stalled.close();
    proxy.close();
  });
});
