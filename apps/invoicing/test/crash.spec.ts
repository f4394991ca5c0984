import { randomUUID } from 'node:crypto';
import type { Subscription } from 'nats';
import { createEnvelope, EventEnvelope, Order, Subjects, withDefaults } from '@bogholder/contracts';
import { EconomicClient } from '@bogholder/economic-client';
import { createSandbox, Sandbox } from '@bogholder/economic-sandbox';
import { Bus } from '@bogholder/messaging';
import { TokenCipher } from '@bogholder/service-kit';
import {
  deleteNamespaceStreams, dropSchema, eventually, serviceTestEnv, ServiceProcess, sql, startServiceProcess, TEST_NATS_URL, TEST_TOKEN_ENCRYPTION_KEY, uniqueName,
} from '@bogholder/testing';
import { grossOf, makeOrder } from './support/harness';

/**
 * The invoicing service as a real process, SIGKILLed at each step of a transfer and started again:
 * every order must end with exactly one booked invoice (and one `invoice.booked`).
 */
describe('crash at any step of a transfer', () => {
  const schema = uniqueName('invcrash');
  const customersSchema = uniqueName('invcrashcus');
  const namespace = uniqueName('invcrash');
  const shopId = `shop-${randomUUID().slice(0, 8)}`;
  let sandbox: Sandbox;
  let bus: Bus;
  let customers: ServiceProcess;
  let service: ServiceProcess;
  let grantToken: string;
  const booked: EventEnvelope[] = [];
  /** The first order; later ones reuse its customer (a returning customer: no customer calls). */
  let warm: Order;
  const nextOrder = () => makeOrder({ customer: warm.customer });
  let sub: Subscription;

  const reference = (order: Order) => `bogholder:${shopId}:${order.orderId}`;
  const control = (path: string, body: unknown) =>
    fetch(`${sandbox.url}/__sandbox/${path}`, { method: 'PUT', headers: { 'X-AgreementGrantToken': grantToken, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const state = async () => (await (await fetch(`${sandbox.url}/__sandbox/state`, { headers: { 'X-AgreementGrantToken': grantToken } })).json()) as { drafts: { references?: { other?: string } }[]; booked: { references?: { other?: string }; bookedInvoiceNumber: number; grossAmount: number }[] };
  const transfer = async (order: Order) =>
    (await sql<{ status: string; intent: string | null; booked_invoice_number: number | null; draft_invoice_number: number | null }>(
      `SELECT status, intent, booked_invoice_number, draft_invoice_number FROM "${schema}".transfers WHERE shop_id = $1 AND order_id = $2`, [shopId, order.orderId],
    ))[0];

  async function publishPaid(order: Order): Promise<void> {
    const id = `wh_${randomUUID()}`;
    await bus.publish(createEnvelope(Subjects.ShopOrderPaid, shopId, { order, payment: { amount: grossOf(order), currency: 'DKK', paidAt: new Date().toISOString() } }, id, { id }));
  }

  /** Exactly one booked invoice, no draft left, the transfer booked, `invoice.booked` announced once. */
  async function expectExactlyOneInvoice(order: Order): Promise<void> {
    const t = await eventually(async () => {
      const row = await transfer(order);
      return row?.status === 'booked' ? row : undefined;
    }, 60_000, 100).catch(async (err: Error) => {
      const row = (await sql(`SELECT * FROM "${schema}".transfers WHERE shop_id = $1 AND order_id = $2`, [shopId, order.orderId]))[0];
      const jobs = await sql(`SELECT * FROM "${schema}".jobs WHERE shop_id = $1 AND order_id = $2`, [shopId, order.orderId]);
      throw new Error(`${err.message}: ${JSON.stringify({ ...row, order_data: undefined })} jobs ${JSON.stringify(jobs)}\n${service.output().slice(-3000)}`);
    });
    const s = await state();
    const mine = s.booked.filter((b) => b.references?.other === reference(order));
    expect(mine.map((b) => b.bookedInvoiceNumber)).toEqual([t.booked_invoice_number]);
    expect(mine[0]!.grossAmount).toBe(grossOf(order));
    expect(s.drafts.filter((d) => d.references?.other === reference(order))).toHaveLength(0);
    await eventually(() => booked.some((e) => (e.data as { orderId: string }).orderId === order.orderId), 20_000);
  }

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0 });
    const agreement = sandbox.createAgreement('Crash ApS');
    grantToken = agreement.grantToken;
    const economic = new EconomicClient({ appSecretToken: sandbox.appSecretToken, agreementGrantToken: grantToken, baseUrl: sandbox.url, budget: false });
    await economic.customerGroups.create({ customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
    for (const sku of ['VARE-1', 'VARE-2']) await economic.products.create({ productNumber: sku, name: sku, productGroup: { productGroupNumber: 1 }, inventory: { recommendedCostPrice: 1 } });

    bus = await Bus.connect({ servers: TEST_NATS_URL, name: 'invoicing-crash-test', namespace });
    await bus.ensureStreams();
    sub = bus.nc.subscribe(bus.ns.subject('invoice.booked'), { callback: (err, msg) => !err && booked.push(JSON.parse(new TextDecoder().decode(msg.data)) as EventEnvelope) });
    customers = await startServiceProcess('customers', serviceTestEnv({ schema: customersSchema, namespace, economicApiUrl: sandbox.url }));

    service = await startServiceProcess('invoicing', serviceTestEnv({
      schema, namespace, economicApiUrl: sandbox.url,
      // A crashed replica's jobs are taken over after the lease: keep it short here.
      extra: { INVOICING_JOB_LEASE_MS: '1500', INVOICING_POLL_MS: '200', INVOICING_UNCERTAIN_LOOKUP_DELAY_MS: '2000', ECONOMIC_TIMEOUT_MS: '60000' },
    }));
    const sealed = new TokenCipher(TEST_TOKEN_ENCRYPTION_KEY).encrypt(grantToken);
    await bus.publish(createEnvelope(Subjects.EconomicConnected, shopId, { agreementNumber: agreement.agreementNumber, companyName: 'Crash ApS', grantTokenEncrypted: sealed }, 'connect-1'));
    await bus.publish(createEnvelope(Subjects.SettingsUpdated, shopId, withDefaults({}), 'settings-1'));
    for (const s of [schema, customersSchema]) {
      await eventually(async () => (await sql(`SELECT 1 FROM "${s}".shop_config WHERE shop_id = $1 AND connected AND settings IS NOT NULL`, [shopId])).length > 0, 20_000);
    }

    // Warm up (customer, products, layout) so every scenario below is the steady state.
    warm = makeOrder();
    await publishPaid(warm);
    await expectExactlyOneInvoice(warm);
  }, 120_000);

  afterAll(async () => {
    sub?.unsubscribe();
    await service?.stop();
    await customers?.stop();
    await bus?.close();
    await sandbox?.close();
    await dropSchema(schema);
    await dropSchema(customersSchema);
    await deleteNamespaceStreams(namespace);
  });

  it('before the draft exists: killed while POST /invoices/drafts is in flight', async () => {
    await control('faults', { kinds: ['timeout'], match: { method: 'POST', path: '/invoices/drafts' }, count: 1, holdMs: 20_000 });
    const order = nextOrder();
    await publishPaid(order);
    await eventually(async () => (await transfer(order))?.intent === 'creating_draft', 20_000, 20);
    await new Promise((r) => setTimeout(r, 200));
    await service.kill();
    await service.restart();
    await expectExactlyOneInvoice(order);
  });

  it('after the draft exists: killed once e-conomic created it but before the answer arrived', async () => {
    await control('faults', { kinds: ['drop-after-commit'], match: { method: 'POST', path: '/invoices/drafts' }, count: 1 });
    const order = nextOrder();
    await publishPaid(order);
    await eventually(async () => (await state()).drafts.some((d) => d.references?.other === reference(order)), 20_000, 10);
    await service.kill();
    const row = await transfer(order);
    expect(row?.booked_invoice_number).toBeNull();
    await service.restart();
    await expectExactlyOneInvoice(order);
  });

  it('before booking: killed while POST /invoices/booked is in flight', async () => {
    await control('faults', { kinds: ['timeout'], match: { method: 'POST', path: '/invoices/booked' }, count: 1, holdMs: 20_000 });
    const order = nextOrder();
    await publishPaid(order);
    await eventually(async () => (await transfer(order))?.intent === 'booking', 20_000, 20);
    await new Promise((r) => setTimeout(r, 200));
    await service.kill();
    expect((await transfer(order))?.draft_invoice_number).not.toBeNull();
    await service.restart();
    await expectExactlyOneInvoice(order);
  });

  it('after booking: killed once e-conomic booked it but before the answer arrived', async () => {
    await control('faults', { kinds: ['drop-after-commit'], match: { method: 'POST', path: '/invoices/booked' }, count: 1 });
    const order = nextOrder();
    await publishPaid(order);
    await eventually(async () => (await state()).booked.some((b) => b.references?.other === reference(order)), 20_000, 10);
    await service.kill();
    await service.restart();
    await expectExactlyOneInvoice(order);
    expect(booked.filter((e) => (e.data as { orderId: string }).orderId === order.orderId)).toHaveLength(1);
  });

  it('under load: killed twice while 40 orders are being booked, each ends with exactly one invoice', async () => {
    await control('faults', { rate: 0.15, kinds: ['drop-after-commit', 'timeout', '500'], match: { path: '/invoices' }, holdMs: 3000, seed: 7 });
    const orders = Array.from({ length: 40 }, () => nextOrder());
    for (const o of orders) await publishPaid(o);
    await new Promise((r) => setTimeout(r, 700));
    await service.kill();
    await service.restart();
    await new Promise((r) => setTimeout(r, 700));
    await service.kill();
    await control('faults', { rate: 0 });
    await service.restart();
    for (const o of orders) await expectExactlyOneInvoice(o);
    const ids = booked.map((e) => (e.data as { orderId: string }).orderId).filter((id) => orders.some((o) => o.orderId === id));
    expect(new Set(ids).size).toBe(orders.length);
  }, 120_000);
});
