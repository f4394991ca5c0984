import { TokenCipher } from '@bogholder/service-kit';
import { DEFAULT_SETTINGS } from '@bogholder/contracts';
import { sql, TEST_TOKEN_ENCRYPTION_KEY } from '@bogholder/testing';
import { bearer, createShop, Harness, startGateway } from './helpers';

describe('shops, admin auth, docs, health', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startGateway();
  });

  afterAll(async () => {
    await h.close();
  });

  describe('POST /api/shops', () => {
    it('creates a shop with a Standard Webhooks secret and tells the services about it, under the request id', async () => {
      const res = await h.http().post('/api/shops').set(bearer).set('x-request-id', 'req-create-shop-1').send({ name: 'Kaffe & Kage ApS', callbackUrl: 'https://shop.example.com/events' }).expect(201);
      expect(res.headers['x-request-id']).toBe('req-create-shop-1');
      expect(res.body).toMatchObject({ name: 'Kaffe & Kage ApS', callbackUrl: 'https://shop.example.com/events', economic: { status: 'disconnected' } });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(res.body.createdAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(res.body.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(res.body.webhookSecret.slice(6), 'base64')).toHaveLength(32);

      const profile = await h.events.waitFor((e) => e.subject === 'shop.profile.updated' && e.envelope.shopId === res.body.id);
      const settings = await h.events.waitFor((e) => e.subject === 'settings.updated' && e.envelope.shopId === res.body.id);
      expect(profile.envelope.correlationId).toBe('req-create-shop-1');
      expect(settings.envelope.correlationId).toBe('req-create-shop-1');
      expect(settings.envelope.data).toEqual(DEFAULT_SETTINGS);
      expect(profile.msgId).toBe(profile.envelope.id);
      const data = profile.envelope.data as { name: string; callbackUrl: string; webhookSecretEncrypted: string };
      expect(data).toMatchObject({ name: 'Kaffe & Kage ApS', callbackUrl: 'https://shop.example.com/events' });
      expect(data.webhookSecretEncrypted).not.toContain(res.body.webhookSecret.slice(6, 20));
      expect(new TokenCipher(TEST_TOKEN_ENCRYPTION_KEY).decrypt(data.webhookSecretEncrypted)).toBe(res.body.webhookSecret);
    });

    it('keeps both secrets encrypted at rest', async () => {
      const shop = await createShop(h, 'At rest');
      const [row] = await sql<{ webhook_secret_encrypted: string; economic_webhook_secret_encrypted: string }>(
        `SELECT webhook_secret_encrypted, economic_webhook_secret_encrypted FROM "${h.schema}".shops WHERE id = $1`, [shop.id]);
      expect(row!.webhook_secret_encrypted).toMatch(/^v1\./);
      expect(row!.webhook_secret_encrypted).not.toContain(shop.webhookSecret.slice(6, 20));
      expect(row!.economic_webhook_secret_encrypted).toMatch(/^v1\./);
      const urls = await h.http().get(`/api/shops/${shop.id}/economic/webhook-urls`).set(bearer).expect(200);
      const pathSecret = /\/webhooks\/economic\/[^/]+\/([^/]+)\//.exec(urls.body.product)![1]!;
      expect(row!.economic_webhook_secret_encrypted).not.toContain(pathSecret);
    });

    it('names every invalid field, and creates nothing', async () => {
      const before = (await h.http().get('/api/shops').set(bearer).expect(200)).body.total;
      const res = await h.http().post('/api/shops').set(bearer).send({ name: '   ', callbackUrl: 'ftp://x', colour: 'red' }).expect(400);
      expect(res.body.statusCode).toBe(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'callbackUrl', 'colour']));
      expect(res.body.errors.find((e: { field: string }) => e.field === 'callbackUrl').message).toMatch(/absolute http\(s\) URL/);
      const missing = await h.http().post('/api/shops').set(bearer).send({}).expect(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('name');
      const notJson = await h.http().post('/api/shops').set(bearer).set('content-type', 'application/json').send('{"name": ').expect(400);
      expect(notJson.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/not valid JSON/), errors: [{ field: '(body)' }] });
      expect((await h.http().get('/api/shops').set(bearer).expect(200)).body.total).toBe(before);
    });
  });

  describe('GET /api/shops', () => {
    it('lists newest first, paged, with the total', async () => {
      const created = [];
      for (const name of ['Page A', 'Page B', 'Page C']) created.push(await createShop(h, name));
      const first = await h.http().get('/api/shops?limit=2').set(bearer).expect(200);
      expect(first.body.items.map((s: { name: string }) => s.name)).toEqual(['Page C', 'Page B']);
      expect(first.body.total).toBeGreaterThanOrEqual(3);
      const second = await h.http().get('/api/shops?limit=2&offset=2').set(bearer).expect(200);
      expect(second.body.items[0].name).toBe('Page A');
      for (const item of [...first.body.items, ...second.body.items]) expect(item).not.toHaveProperty('webhookSecret');
      expect(first.body.items[0]).toMatchObject({ id: created[2]!.id, economic: { status: 'disconnected', agreementNumber: null, companyName: null } });
    });

    it('refuses bad paging with a message per field', async () => {
      const res = await h.http().get('/api/shops?limit=501&offset=-1').set(bearer).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'offset']);
      const word = await h.http().get('/api/shops?limit=many').set(bearer).expect(400);
      expect(word.body.errors[0]).toMatchObject({ field: 'limit', message: 'limit must be an integer' });
    });
  });

  describe('GET and PATCH /api/shops/:shopId', () => {
    it('shows one shop with its secret; 404 for an unknown or malformed id', async () => {
      const shop = await createShop(h, 'Shown');
      const res = await h.http().get(`/api/shops/${shop.id}`).set(bearer).expect(200);
      expect(res.body).toMatchObject({ id: shop.id, name: 'Shown', webhookSecret: shop.webhookSecret, callbackUrl: null });
      const unknown = await h.http().get('/api/shops/6f1d2c7e-0000-4000-8000-000000000000').set(bearer).expect(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, message: expect.stringMatching(/does not exist/), errors: [{ field: 'shopId' }] });
      await h.http().get('/api/shops/not-a-uuid').set(bearer).expect(404);
    });

    it('renames a shop and changes its callback URL, publishing shop.profile.updated', async () => {
      const shop = await createShop(h, 'Old name');
      const res = await h.http().patch(`/api/shops/${shop.id}`).set(bearer).send({ name: 'New name', callbackUrl: 'https://new.example.com/hook' }).expect(200);
      expect(res.body).toMatchObject({ name: 'New name', callbackUrl: 'https://new.example.com/hook' });
      await h.events.waitFor((e) => e.subject === 'shop.profile.updated' && e.envelope.shopId === shop.id && (e.envelope.data as { name: string }).name === 'New name');
      const cleared = await h.http().patch(`/api/shops/${shop.id}`).set(bearer).send({ callbackUrl: null }).expect(200);
      expect(cleared.body).toMatchObject({ name: 'New name', callbackUrl: null });
      await h.http().patch(`/api/shops/${shop.id}`).set(bearer).send({ name: '' }).expect(400);
      await h.http().patch('/api/shops/6f1d2c7e-0000-4000-8000-000000000000').set(bearer).send({ name: 'x' }).expect(404);
    });
  });

  describe('admin auth', () => {
    const routes: [string, string][] = [
      ['post', '/api/shops'],
      ['get', '/api/shops'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000'],
      ['patch', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000'],
      ['post', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/webhook-secret'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic'],
      ['put', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic'],
      ['delete', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic/connect'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic/webhook-urls'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/settings'],
      ['put', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/settings'],
      ['patch', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/settings'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/transfers'],
      ['post', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/transfers/A-1/retry'],
      ['post', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/transfers/retry'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/orders/A-1/invoice-preview'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/inventory/mismatches'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/inventory'],
      ['get', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/inventory/deliveries'],
      ['post', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/inventory/reconcile'],
      ['post', '/api/shops/6f1d2c7e-0000-4000-8000-000000000000/inventory/deliveries/d-1/redeliver'],
    ];

    it('answers 401 on every /api route without the right bearer token', async () => {
      for (const [method, path] of routes) {
        const missing = await (h.http() as unknown as Record<string, (p: string) => import('supertest').Test>)[method]!(path);
        expect([method, path, missing.status]).toEqual([method, path, 401]);
        expect(missing.body).toMatchObject({ statusCode: 401, errors: [{ field: 'authorization' }] });
        expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
        const wrong = await (h.http() as unknown as Record<string, (p: string) => import('supertest').Test>)[method]!(path).set('authorization', 'Bearer test-admin-token-0123456788');
        expect([method, path, wrong.status]).toEqual([method, path, 401]);
      }
    });

    it('is not fooled by the spelling of the path or the scheme', async () => {
      await h.http().get('/API/Shops').expect(401);
      await h.http().get('/api/shops').set('authorization', ADMIN_TOKEN_ONLY).expect(401);
      await h.http().get('/api/shops').set('authorization', `Basic ${Buffer.from(`admin:${'test-admin-token-0123456789'}`).toString('base64')}`).expect(401);
      await h.http().get('/api/shops').set('authorization', 'bearer test-admin-token-0123456789').expect(200);
    });

    it('lets the e-conomic callback through without a token (it answers about the state instead)', async () => {
      const res = await h.http().get('/api/economic/callback').set('accept', 'application/json').expect(400);
      expect(res.body.errors[0].field).toBe('state');
    });
  });

  describe('docs, health, metrics, request ids', () => {
    it('serves Swagger UI at /docs and an OpenAPI document generated from the code at /docs-json', async () => {
      const ui = await h.http().get('/docs').expect(200);
      expect(ui.text).toMatch(/swagger/i);
      const doc = (await h.http().get('/docs-json').expect(200)).body;
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      for (const path of [
        '/api/shops', '/api/shops/{shopId}', '/api/shops/{shopId}/economic/connect', '/api/economic/callback', '/api/shops/{shopId}/economic',
        '/api/shops/{shopId}/settings', '/api/shops/{shopId}/transfers', '/api/shops/{shopId}/transfers/{orderId}/retry',
        '/api/shops/{shopId}/orders/{orderId}/invoice-preview', '/api/shops/{shopId}/inventory/mismatches', '/api/shops/{shopId}/economic/webhook-urls',
        '/webhooks/shops/{shopId}', '/webhooks/economic/{shopId}/{secret}/{kind}', '/health',
      ]) expect([path, Object.keys(doc.paths)]).toEqual([path, expect.arrayContaining([path])]);
      expect(doc.paths['/api/shops'].post.security).toEqual([{ bearer: [] }]);
      expect(doc.paths['/api/shops/{shopId}/settings'].put.responses['422'].content['application/json'].schema.$ref).toMatch(/ErrorBodyDto/);
      expect(doc.components.schemas.SettingsDto.properties.customerGroupNumber.default).toBe(1337);
    });

    it('answers /health when the database and NATS are up, and /metrics', async () => {
      const health = await h.http().get('/health').expect(200);
      expect(health.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, nats: { status: 'up' } } });
      const metrics = await h.http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/bogholder_http_request_duration_seconds_count\{[^}]*route="\/api\/shops"/);
    });

    it('gives every request an id and echoes it', async () => {
      const res = await h.http().get('/health').expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const given = await h.http().get('/health').set('x-correlation-id', 'corr-42').expect(200);
      expect(given.headers['x-request-id']).toBe('corr-42');
    });

    it('answers unknown routes in the contract shape', async () => {
      const res = await h.http().get('/nowhere').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, errors: [] });
    });
  });
});

const ADMIN_TOKEN_ONLY = 'test-admin-token-0123456789';
