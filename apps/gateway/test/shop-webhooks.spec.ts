import { request as httpRequest } from 'node:http';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { startTestService } from '@bogholder/service-kit';
import { sql } from '@bogholder/testing';
import { AppModule } from '../src/app.module';
import { configureGateway } from '../src/setup';
import { bearer, createShop, Harness, newWebhookId, order, orderPaid, sendWebhook, settle, startGateway, storedEvents, TestShop } from './helpers';

type Problem = { statusCode: number; message: string; errors: { field: string; message: string }[] };

describe('signed webhooks from shops', () => {
  let h: Harness;
  let shop: TestShop;
  let other: TestShop;
  /** Every webhook id this file had refused: none of them may ever be published. */
  const refused: string[] = [];

  beforeAll(async () => {
    h = await startGateway();
    shop = await createShop(h, 'Webhook Shop');
    other = await createShop(h, 'Other Shop');
  });

  afterAll(async () => {
    await h.close();
  });

  async function refuse(status: number, body: unknown, options: Parameters<typeof sendWebhook>[3] = {}, target = shop): Promise<Problem> {
    const id = options.id ?? newWebhookId();
    const res = await sendWebhook(h, target, body, { ...options, id });
    expect([id, res.status]).toEqual([id, status]);
    expect(res.body.statusCode).toBe(status);
    refused.push(id);
    return res.body as Problem;
  }

  describe('202 accepted', () => {
    it('publishes shop.order.paid with the data exactly as received, keyed and correlated by the webhook id', async () => {
      const body = orderPaid();
      (body.data as Record<string, unknown>).shopSpecific = { note: 'kept as sent', nested: [1, 2.5, 'x'] };
      const id = newWebhookId();
      const res = await sendWebhook(h, shop, body, { id }).expect(202);
      expect(res.body).toEqual({ id });
      expect(res.headers['x-request-id']).toBe(id);
      const event = await h.events.waitFor((e) => e.envelope.id === id);
      expect(event.subject).toBe('shop.order.paid');
      expect(event.msgId).toBe(id);
      expect(event.envelope).toEqual({ id, type: 'shop.order.paid', shopId: shop.id, occurredAt: '2026-12-01T10:15:00Z', correlationId: id, data: body.data });
      const [receipt] = await sql(`SELECT shop_id, type FROM "${h.schema}".webhook_receipts WHERE webhook_id = $1`, [id]);
      expect(receipt).toEqual({ shop_id: shop.id, type: 'order.paid' });
    });

    it('accepts every webhook type of the contract, each on its subject', async () => {
      const bodies = [
        { type: 'order.shipped', timestamp: '2026-12-02T08:00:00+01:00', data: { order: order(), shippedAt: '2026-12-02T08:00:00+01:00' } },
        { type: 'order.updated', timestamp: '2026-12-02T09:00:00Z', data: { order: order({ shipping: { description: 'GLS', amount: 39, vatRate: 25 } }) } },
        { type: 'order.refunded', timestamp: '2026-12-03T09:00:00Z', data: { orderId: 'A-1001', refundId: 'R-1', lines: [{ sku: 'MUG-1', description: 'Mug', quantity: 1, unitNetPrice: 80, vatRate: 25 }], refundedAt: '2026-12-03T09:00:00Z' } },
        { type: 'stock.snapshot', timestamp: '2026-12-03T10:00:00Z', data: { items: [{ sku: 'MUG-1', quantity: 12 }, { sku: 'TEA-7', quantity: 0 }] } },
      ];
      for (const body of bodies) {
        const res = await sendWebhook(h, shop, body).expect(202);
        const event = await h.events.waitFor((e) => e.envelope.id === res.body.id);
        expect(event.subject).toBe(`shop.${body.type}`);
        expect(event.envelope.data).toEqual(body.data);
      }
    });

    it('accepts a signature list during secret rotation (one of several signatures matches)', async () => {
      const id = newWebhookId();
      const raw = JSON.stringify(orderPaid());
      const now = new Date();
      const old = new Webhook(other.webhookSecret).sign(id, now, raw);
      const current = new Webhook(shop.webhookSecret).sign(id, now, raw);
      await sendWebhook(h, shop, raw, { id, headers: { 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': `${old} ${current}` } }).expect(202);
    });

    it('accepts a timestamp within 5 minutes either way', async () => {
      await sendWebhook(h, shop, orderPaid(), { skewSeconds: -290 }).expect(202);
      await sendWebhook(h, shop, orderPaid(), { skewSeconds: 290 }).expect(202);
    });
  });

  describe('200 duplicate', () => {
    it('answers a repeated webhook id with 200 duplicate and publishes it once', async () => {
      const id = newWebhookId();
      await sendWebhook(h, shop, orderPaid(), { id }).expect(202);
      const again = await sendWebhook(h, shop, orderPaid(), { id }).expect(200);
      expect(again.body).toEqual({ id, duplicate: true });
      // Concurrent repeats too.
      const burst = await Promise.all([1, 2, 3].map(() => sendWebhook(h, shop, orderPaid(), { id })));
      expect(burst.map((r) => r.status)).toEqual([200, 200, 200]);
      await settle(h, shop);
      expect(h.events.withId(id)).toHaveLength(1);
    });

    it('answers a repeat as a duplicate even when its body is now invalid (the id was accepted)', async () => {
      const id = newWebhookId();
      await sendWebhook(h, shop, orderPaid(), { id }).expect(202);
      await sendWebhook(h, shop, { type: 'order.paid' }, { id }).expect(200);
    });

    it('remembers accepted ids beyond JetStream\'s duplicate window', async () => {
      // As if accepted weeks ago: JetStream has long forgotten it, the receipt has not.
      const id = newWebhookId();
      await sql(`INSERT INTO "${h.schema}".webhook_receipts (webhook_id, shop_id, type, accepted_at) VALUES ($1, $2, 'order.paid', now() - interval '20 days')`, [id, shop.id]);
      const res = await sendWebhook(h, shop, orderPaid(), { id }).expect(200);
      expect(res.body).toEqual({ id, duplicate: true });
      refused.push(id);
    });

    it('answers 200 when JetStream has the event but the receipt was lost, and writes the receipt', async () => {
      const id = newWebhookId();
      await sendWebhook(h, shop, orderPaid(), { id }).expect(202);
      await sql(`DELETE FROM "${h.schema}".webhook_receipts WHERE webhook_id = $1`, [id]);
      await sendWebhook(h, shop, orderPaid(), { id }).expect(200);
      expect(await sql(`SELECT 1 FROM "${h.schema}".webhook_receipts WHERE webhook_id = $1`, [id])).toHaveLength(1);
      // JetStream's dedupe kept it out of the stream (a core subscriber may see the repeat go by).
      expect((await storedEvents(h)).filter((e) => e.id === id)).toHaveLength(1);
    });
  });

  describe('refusals', () => {
    it('400 for a webhook id another shop already used (never silently dropped as a duplicate)', async () => {
      const id = newWebhookId();
      await sendWebhook(h, other, orderPaid(), { id }).expect(202);
      const body = await refuse(400, orderPaid(), { id });
      expect(body.errors).toEqual([{ field: 'webhook-id', message: 'webhook ids must be unique; this id was already used by another shop' }]);
      // Inside JetStream's duplicate window without the receipt: JetStream's dedupe must not swallow it either.
      const id2 = newWebhookId();
      await sendWebhook(h, other, orderPaid(), { id: id2 }).expect(202);
      await sql(`DELETE FROM "${h.schema}".webhook_receipts WHERE webhook_id = $1`, [id2]);
      const body2 = await refuse(400, orderPaid(), { id: id2 });
      expect(body2.errors[0]!.field).toBe('webhook-id');
      refused.pop();
      refused.pop();
      await settle(h, shop);
      expect(h.events.withId(id).map((e) => e.envelope.shopId)).toEqual([other.id]);
      // Without the receipt the gateway learns of the clash from JetStream's PubAck, so the refused
      // event passed the wire, but JetStream stored only the first shop's.
      expect((await storedEvents(h)).filter((e) => e.id === id2).map((e) => e.shopId)).toEqual([other.id]);
    });

    it('401 for missing or bad signatures and timestamps outside 5 minutes', async () => {
      const missing = await refuse(401, orderPaid(), { headers: { 'webhook-signature': '' } });
      expect(missing.errors).toEqual([{ field: 'webhook-signature', message: 'webhook-signature header is required' }]);
      const wrongSecret = await refuse(401, orderPaid(), { secret: other.webhookSecret });
      expect(wrongSecret.errors[0]!.field).toBe('webhook-signature');
      expect(wrongSecret.message).toMatch(/HMAC-SHA256/);
      const old = await refuse(401, orderPaid(), { skewSeconds: -301 });
      expect(old.message).toMatch(/webhook-timestamp is 30\d s old; at most 300 s/);
      const future = await refuse(401, orderPaid(), { skewSeconds: 400 });
      expect(future.message).toMatch(/in the future/);
      const notNumber = await refuse(401, orderPaid(), { headers: { 'webhook-timestamp': 'yesterday' } });
      expect(notNumber.errors[0]!.field).toBe('webhook-timestamp');

      // The body changed after signing.
      const id = newWebhookId();
      const ts = new Date();
      const signed = JSON.stringify(orderPaid());
      const tampered = signed.replace('"quantity":2', '"quantity":20');
      const res = await h.http().post(`/webhooks/shops/${shop.id}`).set({
        'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)),
        'webhook-signature': new Webhook(shop.webhookSecret).sign(id, ts, signed),
      }).send(tampered).expect(401);
      expect(res.body.errors[0].field).toBe('webhook-signature');
      refused.push(id);
      // A signature is checked before anything else about the id: an accepted id with a bad signature is still 401.
      const accepted = newWebhookId();
      await sendWebhook(h, shop, orderPaid(), { id: accepted }).expect(202);
      await sendWebhook(h, shop, orderPaid(), { id: accepted, secret: other.webhookSecret }).expect(401);
      const unsigned = await h.http().post(`/webhooks/shops/${shop.id}`).set('content-type', 'application/json').send(orderPaid()).expect(401);
      expect(unsigned.body.errors.map((e: { field: string }) => e.field)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    });

    it('404 for an unknown shop, before anything else', async () => {
      const body = await refuse(404, orderPaid(), { shopId: '6f1d2c7e-0000-4000-8000-000000000000' });
      expect(body.errors).toEqual([{ field: 'shopId', message: 'unknown shop' }]);
      await refuse(404, orderPaid(), { shopId: 'not-a-shop' });
      await refuse(404, Buffer.alloc(1024 * 1024 + 10, 0x20), { shopId: '6f1d2c7e-0000-4000-8000-000000000000' });
    });

    it('413 for a body over 1 MiB, declared or streamed', async () => {
      const big = JSON.stringify({ ...orderPaid(), padding: 'x'.repeat(1024 * 1024) });
      const body = await refuse(413, big);
      expect(body.message).toMatch(/1 MiB/);
      // Chunked, without Content-Length: stopped while reading.
      const id = newWebhookId();
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${h.url}/webhooks/shops/${shop.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,x' },
        }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.write(Buffer.alloc(700 * 1024, 0x20));
        req.end(Buffer.alloc(700 * 1024, 0x20));
      });
      expect(status).toBe(413);
      refused.push(id);
      // Exactly 1 MiB is fine (as far as size goes).
      const exact = Buffer.alloc(1024 * 1024, 0x20);
      const json = Buffer.from(JSON.stringify(orderPaid()));
      json.copy(exact);
      await sendWebhook(h, shop, exact).expect(202);
    });

    it('400 naming every invalid field by its path', async () => {
      const bad = orderPaid();
      const o = (bad.data as { order: Record<string, unknown> }).order;
      (o.lines as Record<string, unknown>[])[0]!.quantity = -1;
      o.currency = 'KRONER';
      (bad.data as { payment: Record<string, unknown> }).payment.paidAt = 'yesterday';
      const body = await refuse(400, bad);
      expect(body.errors.map((e) => e.field).sort()).toEqual(['data.order.currency', 'data.order.lines[0].quantity', 'data.payment.paidAt']);
      expect(body.errors.find((e) => e.field === 'data.order.lines[0].quantity')!.message).toBe('data.order.lines[0].quantity must be positive');
      expect(body.message).toMatch(/^the webhook is invalid \(3 fields\)/);

      const envelope = await refuse(400, { type: 'order.cancelled', timestamp: 'now', data: [] });
      expect(envelope.errors.map((e) => e.field).sort()).toEqual(['data', 'timestamp', 'type']);
      const missingData = await refuse(400, { type: 'order.shipped', timestamp: '2026-12-01T10:00:00Z', data: { shippedAt: '2026-12-01T10:00:00Z' } });
      expect(missingData.errors.map((e) => e.field)).toContain('data.order');
    });

    it('400 for hostile or malformed input: content type, JSON, UTF-8, depth, huge numbers, non-objects', async () => {
      expect((await refuse(400, orderPaid(), { contentType: 'text/plain' })).errors[0]!.field).toBe('content-type');
      expect((await refuse(400, orderPaid(), { contentType: 'application/x-www-form-urlencoded' })).message).toMatch(/application\/json/);
      expect((await refuse(400, '{"type": "order.paid", ')).message).toMatch(/not valid JSON/);
      expect((await refuse(400, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]))).message).toMatch(/UTF-8/);
      const deep = `${'['.repeat(40)}1${']'.repeat(40)}`;
      expect((await refuse(400, deep)).message).toMatch(/deeper than 32/);
      const deepInString = { ...orderPaid(), note: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' };
      await sendWebhook(h, shop, deepInString).expect(202);
      const huge = JSON.stringify(orderPaid()).replace('"quantity":2', '"quantity":1e400');
      expect((await refuse(400, huge)).errors[0]).toEqual({ field: 'data.order.lines[0].quantity', message: 'data.order.lines[0].quantity is a number too large to represent' });
      const bigInt = JSON.stringify(orderPaid()).replace('"orderNumber":1001', '"orderNumber":12345678901234567890');
      expect((await refuse(400, bigInt)).errors[0]!.field).toBe('data.order.orderNumber');
      expect((await refuse(400, '[1,2,3]')).errors[0]!.field).toBe('(body)');
      expect((await refuse(400, '')).message).toMatch(/not valid JSON/);
      const badId = await refuse(400, orderPaid(), { id: 'has space' });
      expect(badId.errors[0]!.field).toBe('webhook-id');
    });

    it('publishes nothing for any refused webhook', async () => {
      await settle(h, shop);
      expect(refused.length).toBeGreaterThan(20);
      for (const id of refused) expect([id, h.events.withId(id)]).toEqual([id, []]);
      expect(await sql(`SELECT webhook_id FROM "${h.schema}".webhook_receipts WHERE webhook_id = ANY($1) AND accepted_at > now() - interval '1 day'`, [refused])).toEqual([]);
    });
  });

  it('rotates a shop\'s secret: the new one works at once, the old one stops, signing with both bridges the switch', async () => {
    const rotating = await createShop(h, 'Rotating');
    const res = await h.http().post(`/api/shops/${rotating.id}/webhook-secret`).set(bearer).set('x-request-id', 'req-rotate').expect(200);
    const fresh = { ...rotating, webhookSecret: res.body.webhookSecret as string };
    expect(fresh.webhookSecret).toMatch(/^whsec_/);
    expect(fresh.webhookSecret).not.toBe(rotating.webhookSecret);
    await sendWebhook(h, fresh, orderPaid()).expect(202);
    await sendWebhook(h, rotating, orderPaid()).expect(401);
    // A shop mid-switch signs with both secrets.
    const id = newWebhookId();
    const raw = JSON.stringify(orderPaid());
    const now = new Date();
    const both = `${new Webhook(rotating.webhookSecret).sign(id, now, raw)} ${new Webhook(fresh.webhookSecret).sign(id, now, raw)}`;
    await sendWebhook(h, fresh, raw, { id, headers: { 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': both } }).expect(202);
    const profile = await h.events.waitFor((e) => e.subject === 'shop.profile.updated' && e.envelope.correlationId === 'req-rotate');
    expect(profile.envelope.shopId).toBe(rotating.id);
    expect((await h.http().get(`/api/shops/${rotating.id}`).set(bearer).expect(200)).body.webhookSecret).toBe(fresh.webhookSecret);
    await h.http().post('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/webhook-secret').set(bearer).expect(404);
    await h.http().post(`/api/shops/${rotating.id}/webhook-secret`).expect(401);
  });

  it('counts webhooks by outcome in /metrics', async () => {
    const metrics = await h.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/bogholder_gateway_shop_webhooks_total\{outcome="accepted",service="gateway"\} \d+/);
    expect(metrics.text).toMatch(/bogholder_gateway_shop_webhooks_total\{outcome="401",service="gateway"\} \d+/);
    const counts = metrics.text.split('\n').filter((l) => l.startsWith('bogholder_http_request_duration_seconds_count'));
    expect(counts.find((l) => l.includes('route="/webhooks/shops/:shopId"') && l.includes('status="202"'))).toBeDefined();
  });

  it('answers the same through the documented Nest route when the fast path is not mounted', async () => {
    // The same app without ShopWebhooksHttp in front, on the same database and bus.
    const plain = await startTestService(AppModule.forRoot(h.env), (app) => configureGateway(app, { webhookFastPath: false }));
    try {
      const sendPlain = (body: unknown, options: { id?: string; secret?: string } = {}) => {
        const id = options.id ?? newWebhookId();
        const raw = JSON.stringify(body);
        const at = new Date();
        return request(plain.url).post(`/webhooks/shops/${shop.id}`).set({
          'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(options.secret ?? shop.webhookSecret).sign(id, at, raw),
        }).send(raw);
      };
      const id = newWebhookId();
      expect((await sendPlain(orderPaid(), { id }).expect(202)).body).toEqual({ id });
      expect((await sendPlain(orderPaid(), { id }).expect(200)).body).toEqual({ id, duplicate: true });
      await sendPlain(orderPaid(), { secret: other.webhookSecret }).expect(401);
      const bad = await sendPlain({ ...orderPaid(), type: 'order.lost' }).expect(400);
      expect(bad.body.errors[0].field).toBe('type');
      await request(plain.url).post('/webhooks/shops/6f1d2c7e-0000-4000-8000-000000000000').send({}).expect(404);
      await h.events.waitFor((e) => e.envelope.id === id);
    } finally {
      await plain.app.close();
    }
  });

  it('does not need the admin token (and ignores one)', async () => {
    await sendWebhook(h, shop, orderPaid(), { headers: bearer }).expect(202);
  });
});
