/**
 * Hostile input, generated: thousands of mutated and random webhook bodies and admin requests. The
 * gateway must never answer 5xx or crash, must name the invalid field in every 400, and must publish
 * nothing for a request it did not accept.
 */
import fc from 'fast-check';
import { RpcSubjects, SETTINGS_FIELDS } from '@bogholder/contracts';
import { RpcServer } from '@bogholder/messaging';
import { eventually } from '@bogholder/testing';
import { bearer, createShop, Harness, newWebhookId, order, sendWebhook, startGateway, TestShop } from './helpers';

let h: Harness;
let shop: TestShop;
let invoicing: RpcServer;

beforeAll(async () => {
  h = await startGateway();
  shop = await createShop(h, 'Fuzz shop');
  // a stand-in for the invoicing service, so valid queries get an answer instead of a timeout
  invoicing = new RpcServer(h.events.bus, 'invoicing');
  invoicing.serve(RpcSubjects.InvoicingTransfersList, async () => ({ items: [], total: 0 }));
  invoicing.serve(RpcSubjects.InvoicingTransfersRetryMany, async () => ({ retried: 0, orderIds: [], more: false }));
  await h.events.bus.nc.flush();
});

afterAll(async () => {
  await invoicing?.stop();
  await h?.close();
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

const validBodies = (): Record<string, unknown>[] => [
  { type: 'order.paid', timestamp: '2026-12-01T10:15:00Z', data: { order: order(), payment: { amount: 200, currency: 'DKK', paidAt: '2026-12-01T10:15:00Z', fee: 2.5, gateway: 'quickpay' } } },
  { type: 'order.shipped', timestamp: '2026-12-01T10:15:00Z', data: { order: order({ shipping: { description: 'Post', amount: 49, vatRate: 25 } }), shippedAt: '2026-12-02T09:00:00Z' } },
  { type: 'order.updated', timestamp: '2026-12-01T10:15:00Z', data: { order: order({ customer: { name: 'Kommune', country: 'DK', ean: '5798000363007', eanContactName: 'Mette', cvr: '29189897' } }) } },
  { type: 'order.refunded', timestamp: '2026-12-01T10:15:00Z', data: { orderId: 'A-1', refundId: 'R-1', lines: [{ sku: 'MUG-1', description: 'Mug', quantity: 1, unitNetPrice: 80, vatRate: 25 }], refundedAt: '2026-12-03T10:00:00Z' } },
  { type: 'stock.snapshot', timestamp: '2026-12-01T10:15:00Z', data: { items: [{ sku: 'MUG-1', quantity: 4 }] } },
];

/** Values that break things: wrong types, extremes, many decimals, unicode, deep nesting, unknown codes. */
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(-1, 0, -0.01, 1e21, -1e21, Number.MAX_SAFE_INTEGER, 0.1 + 0.2, 10.123456789, 1e-9, 99_999_999_999),
  fc.constantFrom('', ' ', 'XYZ', 'dkk', 'DK ', '2026-02-30', '2026-13-01', 'yesterday', '1e3', '\u0000', '\ud83d\ude00'.repeat(300), 'a'.repeat(3000)),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.double({ noNaN: false }),
  fc.integer(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
);

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function mutate(body: Record<string, unknown>, mutation: { pick: number; kind: 'replace' | 'delete' | 'add'; value: unknown; key: string }): Record<string, unknown> {
  const copy = structuredClone(body);
  const all = paths(copy).filter((p) => p.length > 0);
  const path = all[mutation.pick % all.length]!;
  let parent: any = copy;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const last = path[path.length - 1]!;
  if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (mutation.kind === 'add' && parent && typeof parent === 'object' && !Array.isArray(parent)) {
    parent[mutation.key] = mutation.value;
  } else {
    parent[last] = mutation.value;
  }
  return copy;
}

const mutatedBody = fc
  .tuple(
    fc.constantFrom(...validBodies()),
    fc.array(fc.record({ pick: fc.nat(), kind: fc.constantFrom('replace', 'delete', 'add'), value: nasty, key: fc.string({ maxLength: 8 }) }), { minLength: 1, maxLength: 3 }),
  )
  .map(([body, mutations]) => mutations.reduce((b, m) => mutate(b, m as never), body));

function expectContractError(status: number, body: any): void {
  expect(body).toMatchObject({ statusCode: status, message: expect.any(String) });
  expect(Array.isArray(body.errors)).toBe(true);
}

it(`never answers 5xx to ${RUNS} mutated webhook bodies, names the field of every 400, and publishes only what it accepts`, async () => {
  const accepted: string[] = [];
  const refused: string[] = [];
  await fc.assert(
    fc.asyncProperty(mutatedBody, async (body) => {
      const id = newWebhookId();
      const res = await sendWebhook(h, shop, body, { id });
      expect([202, 400]).toContain(res.status);
      if (res.status === 400) {
        expectContractError(400, res.body);
        expect(res.body.errors.length).toBeGreaterThan(0);
        for (const e of res.body.errors) {
          if (typeof e.field !== 'string' || !e.field.length || typeof e.message !== 'string') {
            throw new Error(`a 400 must name its field: ${JSON.stringify(res.body)} for ${JSON.stringify(body).slice(0, 500)}`);
          }
        }
        refused.push(id);
      } else {
        accepted.push(id);
      }
    }),
    { numRuns: RUNS },
  );
  // everything accepted is on the bus exactly once; nothing refused is
  await eventually(() => accepted.every((id) => h.events.withId(id).length === 1), 30_000).catch(() => undefined);
  for (const id of accepted) expect([id, h.events.withId(id).length]).toEqual([id, 1]);
  for (const id of refused) expect([id, h.events.withId(id).length]).toEqual([id, 0]);
  expect(refused.length).toBeGreaterThan(RUNS / 4);
});

it('never answers 5xx to random bytes, content types and unicode', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)), fc.string({ unit: 'binary', maxLength: 512 }).map((s) => Buffer.from(s))),
      fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''),
      async (raw, contentType) => {
        const res = await sendWebhook(h, shop, raw, { contentType });
        expect([400, 413]).toContain(res.status);
        expectContractError(res.status, res.body);
      },
    ),
    { numRuns: Math.ceil(RUNS / 3) },
  );
});

it('refuses deep JSON, huge arrays and numbers with many decimals, naming the field', async () => {
  const deep = `{"type":"order.paid","timestamp":"2026-12-01T10:15:00Z","data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
  const r1 = await sendWebhook(h, shop, deep);
  expect(r1.status).toBe(400);
  expectContractError(400, r1.body);
  const decimals = validBodies()[0] as any;
  decimals.data.order.lines[0].unitNetPrice = 10.129;
  decimals.data.order.lines[0].quantity = -2;
  decimals.data.order.currency = 'QQQ';
  const r2 = await sendWebhook(h, shop, decimals);
  expect(r2.status).toBe(400);
  expect(r2.body.errors.map((e: any) => e.field).sort()).toEqual(['data.order.currency', 'data.order.lines[0].quantity', 'data.order.lines[0].unitNetPrice']);
});

it(`never answers 5xx to ${RUNS} generated settings`, async () => {
  const settingsValue = fc.record(
    {
      transferTrigger: fc.oneof(fc.constantFrom('payment', 'shipment'), nasty),
      bookingMode: fc.oneof(fc.constantFrom('draft', 'book', 'bookWithNumber'), nasty),
      invoiceNumberOffset: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), nasty),
      productLayout: fc.oneof(fc.constantFrom('lines', 'total'), nasty),
      totalLineProducts: fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 30 }), { maxKeys: 3 }), nasty),
      customerGroupNumber: fc.oneof(fc.integer({ min: 1, max: 2000 }), nasty),
      createCustomers: fc.oneof(fc.boolean(), nasty),
      customerNumbering: fc.oneof(fc.constantFrom('shop', 'sequence'), nasty),
      stockSyncIntervalSeconds: fc.oneof(fc.integer({ min: 0, max: 100_000 }), nasty),
      vatZones: fc.oneof(fc.record({ domestic: fc.integer(), eu: fc.integer(), abroad: fc.integer() }), nasty),
      unknownField: nasty,
    },
    { requiredKeys: [] },
  );
  await fc.assert(
    fc.asyncProperty(settingsValue, fc.constantFrom('put', 'patch'), async (settings, method) => {
      const res = await h.http()[method as 'put' | 'patch'](`/api/shops/${shop.id}/settings`).set(bearer).send(settings as object);
      expect([200, 400, 422]).toContain(res.status);
      if (res.status !== 200) {
        expectContractError(res.status, res.body);
        expect(res.body.errors.length).toBeGreaterThan(0);
        const known = [...SETTINGS_FIELDS, ...Object.keys(settings)];
        for (const e of res.body.errors) {
          if (!known.some((k) => e.field === k || e.field.startsWith(`${k}.`) || e.field.startsWith(`${k}[`))) {
            throw new Error(`error names no settings field: ${JSON.stringify(e)}`);
          }
        }
      }
    }),
    { numRuns: RUNS },
  );
});

it('never answers 5xx to generated shops and list queries', async () => {
  await fc.assert(
    fc.asyncProperty(fc.record({ name: nasty, callbackUrl: fc.oneof(fc.webUrl(), nasty) }, { requiredKeys: [] }), async (body) => {
      const res = await h.http().post('/api/shops').set(bearer).send(body as object);
      expect([201, 400]).toContain(res.status);
      if (res.status === 400) expectContractError(400, res.body);
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
  await fc.assert(
    fc.asyncProperty(fc.record({ limit: fc.string({ maxLength: 6 }), offset: fc.string({ maxLength: 6 }), status: fc.string({ maxLength: 12 }) }, { requiredKeys: [] }), async (query) => {
      const res = await h.http().get(`/api/shops/${shop.id}/transfers`).query(query).set(bearer);
      expect([200, 400]).toContain(res.status);
      if (res.status !== 200) expectContractError(res.status, res.body);
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
  await fc.assert(
    fc.asyncProperty(fc.record({ status: fc.oneof(fc.constantFrom('parked', 'failed'), nasty), code: fc.oneof(fc.stringMatching(/^[a-z_]{1,20}$/), nasty) }, { requiredKeys: [] }), async (query) => {
      const res = await h.http().post(`/api/shops/${shop.id}/transfers/retry`).query(query as Record<string, string>).set(bearer);
      expect([200, 400]).toContain(res.status);
      if (res.status !== 200) expectContractError(res.status, res.body);
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
});

it('is still healthy after all of it', async () => {
  const res = await h.http().get('/health').expect(200);
  expect(res.body.status).toBe('ok');
});
