import { Webhook } from 'standardwebhooks';
import { createSandbox, Sandbox } from '@bogholder/economic-sandbox';
import { deleteNamespaceStreams, dropSchema, freePort, serviceTestEnv, ServiceProcess, startServiceProcess, uniqueName } from '@bogholder/testing';

/**
 * The built gateway as a real process (dist/main.js, as deployed) with request logs at info:
 * what it writes must never contain a grant token, a webhook secret, the admin token or the secret
 * path of e-conomic webhooks, and request logs carry the correlation id.
 */
describe('the gateway process and its logs', () => {
  const schema = uniqueName('gwp');
  const namespace = uniqueName('gwp');
  const adminToken = 'process-admin-token-9f8e7d6c';
  let sandbox: Sandbox;
  let gateway: ServiceProcess;
  let url: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0 });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    gateway = await startServiceProcess('gateway', {
      ...serviceTestEnv({ schema, namespace, economicApiUrl: sandbox.url }),
      LOG_LEVEL: 'info',
      ADMIN_TOKEN: adminToken,
      ECONOMIC_GRANT_URL: `${sandbox.url}/requestaccess.aspx`,
      PUBLIC_URL: url,
    }, { port });
  });

  afterAll(async () => {
    await gateway?.stop();
    await sandbox.close();
    await dropSchema(schema);
    await deleteNamespaceStreams(namespace);
  });

  it('logs requests with correlation ids and never a secret', async () => {
    const shop = (await (await api('/api/shops', { method: 'POST', body: JSON.stringify({ name: 'Logged Shop' }) })).json()) as { id: string; webhookSecret: string };
    expect(shop.webhookSecret).toMatch(/^whsec_/);

    // The grant flow: the token comes back in the callback URL.
    const connect = (await (await api(`/api/shops/${shop.id}/economic/connect`, { headers: { accept: 'application/json' } })).json()) as { url: string };
    const agreement = sandbox.createAgreement('Logged ApS');
    const grantPage = new URL(connect.url);
    const approved = await fetch(`${sandbox.url}/requestaccess.aspx`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ appPublicToken: grantPage.searchParams.get('appPublicToken')!, redirectUrl: grantPage.searchParams.get('redirectUrl')!, agreementNumber: String(agreement.agreementNumber) }),
    });
    const callback = approved.headers.get('location')!;
    const flowToken = new URL(callback).searchParams.get('token')!;
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('connected');

    // Connecting with a token directly, and a token e-conomic rejects.
    const other = sandbox.createAgreement('Other ApS');
    expect((await api(`/api/shops/${shop.id}/economic`, { method: 'PUT', body: JSON.stringify({ grantToken: other.grantToken }) })).status).toBe(200);
    expect((await api(`/api/shops/${shop.id}/economic`, { method: 'PUT', body: JSON.stringify({ grantToken: 'rejected-grant-token-5a4b' }) })).status).toBe(422);
    expect((await api(`/api/shops/${shop.id}/economic`)).status).toBe(200);
    expect((await api(`/api/shops/${shop.id}`)).status).toBe(200);
    expect((await fetch(`${url}/api/shops`, { headers: { authorization: 'Bearer wrong-admin-token-1234' } })).status).toBe(401);

    // Webhooks: one accepted, one with a bad signature.
    const raw = JSON.stringify({ type: 'stock.snapshot', timestamp: '2026-12-01T10:00:00Z', data: { items: [{ sku: 'MUG-1', quantity: 3 }] } });
    const webhookId = 'msg_logged_webhook_1';
    const now = new Date();
    const signed = (secret: string) => ({
      'content-type': 'application/json', 'webhook-id': webhookId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(webhookId, now, raw),
    });
    expect((await fetch(`${url}/webhooks/shops/${shop.id}`, { method: 'POST', headers: signed(shop.webhookSecret), body: raw })).status).toBe(202);
    expect((await fetch(`${url}/webhooks/shops/${shop.id}`, { method: 'POST', headers: { ...signed(shop.webhookSecret), 'webhook-signature': 'v1,Zm9yZ2Vk' }, body: raw })).status).toBe(401);
    // Bodies are checked on a worker thread in the built service: refusals still name their fields.
    const badRaw = JSON.stringify({ type: 'stock.snapshot', timestamp: '2026-12-01T10:00:00Z', data: { items: [{ sku: '', quantity: 1.234 }] } });
    const badId = 'msg_logged_webhook_2';
    const bad = await fetch(`${url}/webhooks/shops/${shop.id}`, {
      method: 'POST', body: badRaw,
      headers: { 'content-type': 'application/json', 'webhook-id': badId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(shop.webhookSecret).sign(badId, now, badRaw) },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['data.items[0].quantity', 'data.items[0].sku']);
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => {
      const id = `msg_burst_${i}`;
      const body = i % 2 ? raw : badRaw;
      return fetch(`${url}/webhooks/shops/${shop.id}`, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(shop.webhookSecret).sign(id, now, body) },
      }).then((r) => r.status);
    }));
    expect(burst).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 ? 202 : 400)));

    const urls = (await (await api(`/api/shops/${shop.id}/economic/webhook-urls`)).json()) as { product: string };
    const pathSecret = new URL(urls.product).pathname.split('/')[4]!;
    expect((await fetch(urls.product.replace('[NEWNUMBER]', 'MUG-1').replace('[OLDNUMBER]', 'MUG-1'))).status).toBe(202);
    expect((await fetch(`${url}/docs-json`)).status).toBe(200);

    await gateway.stop();
    const output = gateway.output();
    const lines = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of [flowToken, other.grantToken, 'rejected-grant-token-5a4b', shop.webhookSecret, shop.webhookSecret.slice(6), pathSecret, adminToken, 'wrong-admin-token-1234']) {
      expect([secret, output.includes(secret)]).toEqual([secret, false]);
    }
    const webhookLog = lines.find((l) => (l.req as { url?: string } | undefined)?.url === `/webhooks/shops/${shop.id}` && (l.res as { statusCode: number }).statusCode === 202);
    expect(webhookLog).toMatchObject({ level: 'info', msg: 'request completed', correlationId: webhookId, service: 'gateway' });
    const callbackLog = lines.find((l) => String((l.req as { url?: string } | undefined)?.url ?? '').startsWith('/api/economic/callback'));
    expect((callbackLog!.req as { url: string }).url).toBe('/api/economic/callback?state=[redacted]&token=[redacted]');
    expect(lines.some((l) => l.msg === 'request completed' && (l.res as { statusCode: number }).statusCode === 401)).toBe(true);
  });
});
