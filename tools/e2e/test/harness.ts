import { connect, NatsConnection, StringCodec, Subscription } from 'nats';
import { GatewayClient, approveGrant } from '@bogholder/cli';
import { DEFAULT_PORTS, ROOT, SERVICE_ORDER, ServiceName, System } from '@bogholder/launcher';
import { deleteNamespaceStreams, dropSchema, freePort, TEST_DATABASE_URL, TEST_NATS_URL, uniqueName } from '@bogholder/testing';
import { join } from 'node:path';

export const ADMIN_TOKEN = 'e2e-admin-token';
export const APP_SECRET = 'sandbox-app-secret';

/**
 * The whole system as `npm start` runs it (five processes from the built apps), on free ports, with
 * this test file's own schemas and NATS namespace. Tests talk to it only through its public
 * interfaces: the gateway's HTTP API, NATS subjects and the sandbox's HTTP API.
 */
export async function startSystem(extra: Partial<Record<ServiceName, Record<string, string>>> = {}) {
  const id = uniqueName('e2e');
  const ports = Object.fromEntries(await Promise.all(SERVICE_ORDER.map(async (n) => [n, await freePort()]))) as Record<ServiceName, number>;
  const sandboxUrl = `http://127.0.0.1:${ports['economic-sandbox']}`;
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  const schemas = Object.fromEntries(SERVICE_ORDER.map((n) => [n, `${id}_${n.replace('-', '_')}`])) as Record<ServiceName, string>;
  const system = new System({
    ports,
    logDir: join(ROOT, '.bogholder', 'e2e-logs', id),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_POOL_SIZE: '4',
      NATS_URL: TEST_NATS_URL,
      NATS_NAMESPACE: id,
      ECONOMIC_API_URL: sandboxUrl,
      ECONOMIC_GRANT_URL: `${sandboxUrl}/requestaccess.aspx`,
      ECONOMIC_SANDBOX_PUBLIC_URL: sandboxUrl,
      PUBLIC_URL: gatewayUrl,
      ADMIN_TOKEN,
    },
    perService: Object.fromEntries(SERVICE_ORDER.map((n) => [n, { DATABASE_SCHEMA: schemas[n], ...extra[n] }])),
  });
  await system.start();
  const nc = await connect({ servers: TEST_NATS_URL });
  return {
    id,
    system,
    sandboxUrl,
    gatewayUrl,
    gateway: new GatewayClient(gatewayUrl, ADMIN_TOKEN),
    nc,
    subject: (s: string) => `${id}.${s}`,
    async stop() {
      await nc.close();
      await system.stop();
      for (const n of SERVICE_ORDER) await dropSchema(schemas[n]);
      await deleteNamespaceStreams(id);
    },
  };
}

export type E2E = Awaited<ReturnType<typeof startSystem>>;

/** Collects JSON messages published on a subject (core NATS: internal subscribers see JetStream events too). */
export function collect(nc: NatsConnection, subject: string): { messages: any[]; sub: Subscription } {
  const messages: any[] = [];
  const sc = StringCodec();
  const sub = nc.subscribe(subject, { callback: (_e, m) => messages.push(JSON.parse(sc.decode(m.data))) });
  return { messages, sub };
}

export async function sandboxApi(e2e: E2E, method: string, path: string, grantToken: string, body?: unknown) {
  const res = await fetch(`${e2e.sandboxUrl}${path}`, {
    method,
    headers: { 'X-AppSecretToken': APP_SECRET, 'X-AgreementGrantToken': grantToken, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function sandboxControl(e2e: E2E, method: string, path: string, grantToken?: string, body?: unknown) {
  const res = await fetch(`${e2e.sandboxUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(grantToken ? { 'X-AgreementGrantToken': grantToken } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A new agreement in the sandbox with customer group 1337 and the given products. */
export async function prepareAgreement(e2e: E2E, products: { productNumber: string; name?: string; productGroup?: number }[]) {
  const agreement = (await sandboxControl(e2e, 'POST', '/__sandbox/agreements', undefined, { companyName: `E2E ${e2e.id}` })).body as { agreementNumber: number; grantToken: string };
  await sandboxApi(e2e, 'POST', '/customer-groups', agreement.grantToken, { customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
  for (const p of products) {
    const res = await sandboxApi(e2e, 'POST', '/products', agreement.grantToken, {
      productNumber: p.productNumber, name: p.name ?? p.productNumber, productGroup: { productGroupNumber: p.productGroup ?? 1 }, inventory: { recommendedCostPrice: 0 },
    });
    if (res.status !== 201) throw new Error(`creating product ${p.productNumber}: ${JSON.stringify(res.body)}`);
  }
  return agreement;
}

/** Creates a shop and connects it through the grant page like an admin's browser would. */
export async function connectedShop(e2e: E2E, agreementNumber: number, name = 'E2E shop', callbackUrl?: string) {
  const shop = await e2e.gateway.call<{ id: string; webhookSecret: string }>('POST', '/api/shops', { name, ...(callbackUrl ? { callbackUrl } : {}) }, [201]);
  const connect = await e2e.gateway.api<{ url: string }>('GET', `/api/shops/${shop.id}/economic/connect`, undefined, { accept: 'application/json' });
  const page = await approveGrant(connect.body.url, agreementNumber);
  if (page.status !== 200 || !/connected/i.test(page.html)) throw new Error(`connect failed: ${page.status} ${page.html.slice(0, 300)}`);
  return { ...shop, grantToken: page.grantToken!, callbackUrl: page.callbackUrl };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Changes settings and waits until every service has applied them: the gateway publishes
 * `settings.updated` (correlation id = the request id) and each service's durable consumer of it has
 * nothing pending — observed through NATS, a public interface.
 */
export async function applySettings(e2e: E2E, shopId: string, patch: Record<string, unknown>): Promise<any> {
  const events = collect(e2e.nc, e2e.subject('settings.updated'));
  try {
    const res = await e2e.gateway.api('PATCH', `/api/shops/${shopId}/settings`, patch);
    if (res.status !== 200) throw new Error(`PATCH settings answered ${res.status}: ${JSON.stringify(res.body)}`);
    const requestId = res.headers.get('x-request-id');
    await waitFor(async () => events.messages.some((m) => m.shopId === shopId && m.correlationId === requestId), 'settings.updated on NATS', 30_000);
    const jsm = await e2e.nc.jetstreamManager();
    const stream = `${e2e.id.toUpperCase()}_GATEWAY`;
    await waitFor(async () => {
      for (const service of ['invoicing', 'customers', 'inventory']) {
        const info = await jsm.consumers.info(stream, `${service}-settings-updated`);
        if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
      }
      return true;
    }, 'the services to apply the settings', 30_000);
    return res.body;
  } finally {
    events.sub.unsubscribe();
  }
}

export async function transfer(e2e: E2E, shopId: string, orderId: string): Promise<any> {
  const list = await e2e.gateway.call<{ items: any[] }>('GET', `/api/shops/${shopId}/transfers?orderId=${encodeURIComponent(orderId)}`);
  return list.items[0];
}

export const DEFAULTS = DEFAULT_PORTS;
