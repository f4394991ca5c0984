/**
 * Security, shown rather than claimed, across the real processes: secrets encrypted at rest in every
 * service, never in a log line, an admin token on every /api route (taken from the OpenAPI document
 * so a new route cannot be forgotten), no shop reaching another shop's data, single-use connect state.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from '@bogholder/testing';
import { ADMIN_TOKEN, APP_SECRET, applySettings, connectedShop, E2E, prepareAgreement, startSystem, transfer, waitFor } from './harness';

let e2e: E2E;
let a: Awaited<ReturnType<typeof connectedShop>>;
let b: Awaited<ReturnType<typeof connectedShop>>;

const today = new Date().toISOString().slice(0, 10);
const paid = (orderId: string, n: number, sku = 'MUG') => ({
  order: { orderId, orderNumber: n, currency: 'DKK', date: today, customer: { id: `c-${orderId}`, name: 'Secret Customer', email: `${orderId.toLowerCase()}@example.dk`, country: 'DK' }, lines: [{ sku, description: sku, quantity: 1, unitNetPrice: 100, vatRate: 25 }] },
  payment: { amount: 125, currency: 'DKK', paidAt: new Date().toISOString() },
});

beforeAll(async () => {
  e2e = await startSystem();
  const agreementA = await prepareAgreement(e2e, [{ productNumber: 'MUG' }]);
  const agreementB = await prepareAgreement(e2e, [{ productNumber: 'MUG' }]);
  a = await connectedShop(e2e, agreementA.agreementNumber, 'Shop A');
  b = await connectedShop(e2e, agreementB.agreementNumber, 'Shop B');
  await applySettings(e2e, a.id, { stockSync: true });
  expect((await e2e.gateway.sendWebhook(a.id, a.webhookSecret, 'order.paid', paid('A-1', 1))).status).toBe(202);
  expect((await e2e.gateway.sendWebhook(b.id, b.webhookSecret, 'order.paid', paid('B-1', 1))).status).toBe(202);
  expect((await e2e.gateway.sendWebhook(a.id, a.webhookSecret, 'stock.snapshot', { items: [{ sku: 'ONLY-IN-A', quantity: 2 }] })).status).toBe(202);
  await waitFor(async () => (await transfer(e2e, a.id, 'A-1'))?.status === 'booked' && (await transfer(e2e, b.id, 'B-1'))?.status === 'booked', 'both orders booked');
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
});

it('keeps grant tokens and webhook secrets encrypted at rest in every service', async () => {
  const schemas = (await sql<{ schema_name: string }>(`SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE $1`, [`${e2e.id}%`])).map((r) => r.schema_name);
  expect(schemas.length).toBeGreaterThanOrEqual(4);
  let rows = 0;
  for (const schema of schemas) {
    const tables = await sql<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    for (const { table_name } of tables) {
      const dump = await sql<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${schema}"."${table_name}" t`);
      rows += dump.length;
      for (const { row } of dump) {
        for (const secret of [a.grantToken, b.grantToken, a.webhookSecret, b.webhookSecret]) {
          if (row.includes(secret)) throw new Error(`${schema}.${table_name} holds a secret in clear: ${row.slice(0, 200)}`);
        }
      }
    }
  }
  expect(rows).toBeGreaterThan(20);
});

it('never writes a token or secret to any log line', async () => {
  const dir = e2e.system.options.logDir;
  const logs = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);
  expect(logs.map(([f]) => f).sort()).toEqual(['customers.log', 'economic-sandbox.log', 'gateway.log', 'inventory.log', 'invoicing.log']);
  const secrets = { grantA: a.grantToken, grantB: b.grantToken, webhookA: a.webhookSecret, webhookB: b.webhookSecret, admin: ADMIN_TOKEN, app: APP_SECRET };
  for (const [file, text] of logs) {
    expect(text.length).toBeGreaterThan(0);
    for (const [name, secret] of Object.entries(secrets)) if (text.includes(secret)) throw new Error(`${file} contains ${name}`);
  }
  // the callback URL (with its token) was requested, and its log line is redacted
  expect(logs.find(([f]) => f === 'gateway.log')![1]).toMatch(/economic\/callback\?state=\[redacted\]&token=\[redacted\]/);
});

it('requires the admin token on every /api route of the OpenAPI document', async () => {
  const doc = (await (await fetch(`${e2e.gatewayUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => [method, path] as const)).filter(([, p]) => p.startsWith('/api') && p !== '/api/economic/callback');
  expect(routes.length).toBeGreaterThanOrEqual(15);
  for (const [method, template] of routes) {
    const path = template.replace(/\{shopId\}/g, a.id).replace(/\{[^}]+\}/g, 'x');
    for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${ADMIN_TOKEN}x`, `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`]) {
      const res = await fetch(`${e2e.gatewayUrl}${path}`, { method: method.toUpperCase(), headers: authorization ? { authorization } : {} });
      expect([method, template, authorization, res.status]).toEqual([method, template, authorization, 401]);
    }
  }
});

it('does not let one shop\'s webhook secret post for another shop', async () => {
  const res = await e2e.gateway.sendWebhook(b.id, a.webhookSecret, 'order.paid', paid('B-forged', 2));
  expect(res.status).toBe(401);
  expect(await transfer(e2e, b.id, 'B-forged')).toBeUndefined();
});

it('does not show one shop\'s orders, previews, retries, settings or stock through another shop\'s id', async () => {
  expect((await e2e.gateway.call('GET', `/api/shops/${b.id}/transfers?orderId=A-1`)).items).toEqual([]);
  expect((await e2e.gateway.call<{ items: any[] }>('GET', `/api/shops/${b.id}/transfers`)).items.map((t) => t.orderId)).toEqual(['B-1']);
  expect((await e2e.gateway.api('GET', `/api/shops/${b.id}/orders/A-1/invoice-preview`)).status).toBe(404);
  expect((await e2e.gateway.api('POST', `/api/shops/${b.id}/transfers/A-1/retry`)).status).toBe(404);
  await waitFor(async () => (await e2e.gateway.call<{ items: any[] }>('GET', `/api/shops/${a.id}/inventory/mismatches`)).items.some((m) => m.sku === 'ONLY-IN-A'), 'A\'s mismatch');
  expect((await e2e.gateway.call<{ items: any[] }>('GET', `/api/shops/${b.id}/inventory/mismatches`)).items).toEqual([]);
  expect((await e2e.gateway.call('GET', `/api/shops/${b.id}/settings`)).stockSync).toBe(false);
  const shopB = await e2e.gateway.call('GET', `/api/shops/${b.id}`);
  expect(JSON.stringify(shopB)).not.toContain(a.webhookSecret);
  const connection = await e2e.gateway.call('GET', `/api/shops/${b.id}/economic`);
  expect(JSON.stringify(connection)).not.toContain(b.grantToken);
});

it('refuses a replayed or forged connect state', async () => {
  const replay = await fetch(a.callbackUrl, { headers: { accept: 'application/json' } });
  expect(replay.status).toBe(400);
  const forged = new URL(a.callbackUrl);
  const state = forged.searchParams.get('state')!;
  forged.searchParams.set('state', `${state.slice(0, -2)}${state.endsWith('A') ? 'BB' : 'AA'}`);
  expect((await fetch(forged, { headers: { accept: 'application/json' } })).status).toBe(400);
  const otherShop = new URL(a.callbackUrl);
  otherShop.searchParams.set('state', new URL(b.callbackUrl).searchParams.get('state')!);
  expect((await fetch(otherShop, { headers: { accept: 'application/json' } })).status).toBe(400);
});

it('refuses e-conomic webhook URLs with a wrong secret or another shop\'s id', async () => {
  const urls = await e2e.gateway.call<{ product: string }>('GET', `/api/shops/${a.id}/economic/webhook-urls`);
  const right = new URL(urls.product.replace('[NEWNUMBER]', 'MUG').replace('[OLDNUMBER]', 'MUG'));
  expect((await fetch(right, { method: 'POST' })).status).toBe(202);
  const parts = right.pathname.split('/');
  const wrongSecret = new URL(right);
  wrongSecret.pathname = [...parts.slice(0, 4), `${parts[4]!.slice(0, -1)}x`, ...parts.slice(5)].join('/');
  expect((await fetch(wrongSecret, { method: 'POST' })).status).toBe(404);
  const otherShop = new URL(right);
  otherShop.pathname = [...parts.slice(0, 3), b.id, ...parts.slice(4)].join('/');
  expect((await fetch(otherShop, { method: 'POST' })).status).toBe(404);
});
