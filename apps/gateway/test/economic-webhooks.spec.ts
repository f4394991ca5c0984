import { EconomicWebhookReceivedData } from '@bogholder/contracts';
import { bearer, connectShop, createShop, economicCall, Harness, sandboxCall, startGateway, TestShop } from './helpers';

describe('webhooks from e-conomic', () => {
  let h: Harness;
  let shop: TestShop;
  let urls: { product: string; invoice: string };

  beforeAll(async () => {
    h = await startGateway();
    shop = await createShop(h, 'e-conomic webhooks');
    urls = (await h.http().get(`/api/shops/${shop.id}/economic/webhook-urls`).set(bearer).expect(200)).body;
  });

  afterAll(async () => {
    await h.close();
  });

  const pathOf = (template: string, values: Record<string, string>) => {
    let url = template;
    for (const [field, value] of Object.entries(values)) url = url.replace(`[${field}]`, encodeURIComponent(value));
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };

  it('gives the URL templates to paste into e-conomic, under the public URL, with a secret per shop', async () => {
    expect(urls.product).toMatch(new RegExp(`^${h.url}/webhooks/economic/${shop.id}/[\\w-]{40,}/product\\?number=\\[NEWNUMBER\\]&old=\\[OLDNUMBER\\]$`));
    expect(urls.invoice).toMatch(new RegExp(`^${h.url}/webhooks/economic/${shop.id}/[\\w-]{40,}/invoice\\?number=\\[INVOICENO\\]$`));
    const otherShop = await createShop(h, 'Another');
    const otherUrls = (await h.http().get(`/api/shops/${otherShop.id}/economic/webhook-urls`).set(bearer).expect(200)).body;
    expect(otherUrls.product.split('/')[6]).not.toBe(urls.product.split('/')[6]);
    await h.http().get('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic/webhook-urls').set(bearer).expect(404);
  });

  it('queues a product call (GET or POST) as economic.webhook.received and answers 202 at once', async () => {
    const res = await h.http().get(pathOf(urls.product, { NEWNUMBER: 'MUG 1/2', OLDNUMBER: 'MUG-OLD' })).set('x-request-id', 'req-eco-1').expect(202);
    const event = await h.events.waitFor((e) => e.envelope.id === res.body.id);
    expect(event.subject).toBe('economic.webhook.received');
    expect(event.envelope).toMatchObject({ shopId: shop.id, correlationId: 'req-eco-1', data: { kind: 'product', number: 'MUG 1/2', oldNumber: 'MUG-OLD' } });
    const posted = await h.http().post(pathOf(urls.invoice, { INVOICENO: '42' })).set('content-type', 'application/x-www-form-urlencoded').send('a=1').expect(202);
    const invoice = await h.events.waitFor((e) => e.envelope.id === posted.body.id);
    expect(invoice.envelope.data).toEqual({ kind: 'invoice', number: '42' });
  });

  it('receives the sandbox\'s own webhooks when stock moves in e-conomic', async () => {
    const { grantToken } = await connectShop(h, shop, 'Stock ApS');
    const created = await economicCall(h.sandbox, 'POST', '/products', grantToken, { productNumber: 'KOP-1', name: 'Kop', productGroup: { productGroupNumber: 1 }, inventory: { recommendedCostPrice: 10 } });
    expect(created.status).toBe(201);
    expect((await sandboxCall(h.sandbox, 'PUT', '/__sandbox/webhooks', grantToken, [{ kind: 'product', url: urls.product }])).status).toBeLessThan(300);
    expect((await sandboxCall(h.sandbox, 'POST', '/__sandbox/stock', grantToken, { productNumber: 'KOP-1', delta: 5 })).status).toBe(200);
    const event = await h.events.waitFor((e) => e.subject === 'economic.webhook.received' && (e.envelope.data as EconomicWebhookReceivedData).number === 'KOP-1');
    expect(event.envelope).toMatchObject({ shopId: shop.id, data: { kind: 'product', number: 'KOP-1', oldNumber: 'KOP-1' } });
  });

  it('answers 404 for a wrong secret, an unknown shop or kind, 400 without a number, and queues nothing', async () => {
    const before = h.events.of('economic.webhook.received').length;
    const secretPath = new URL(urls.product).pathname.split('/');
    const wrongSecret = [...secretPath];
    wrongSecret[4] = `${wrongSecret[4]!.slice(0, -2)}xx`;
    const wrong = await h.http().get(`${wrongSecret.join('/')}?number=1`).expect(404);
    expect(wrong.body).toEqual({ statusCode: 404, message: 'not found', errors: [], code: 'not_found' });
    const unknownShop = [...secretPath];
    unknownShop[3] = '6f1d2c7e-0000-4000-8000-000000000000';
    await h.http().get(`${unknownShop.join('/')}?number=1`).expect(404);
    await h.http().post(`${secretPath.slice(0, 5).join('/')}/customer?number=1`).expect(404);
    const noNumber = await h.http().get(secretPath.join('/')).expect(400);
    expect(noNumber.body.errors[0]).toMatchObject({ field: 'number', message: expect.stringMatching(/webhook-urls/) });
    await h.http().get(`${secretPath.join('/')}?number=[NEWNUMBER]`).expect(400);
    // A later accepted call proves the earlier ones would have arrived by now.
    const marker = await h.http().get(`${secretPath.join('/')}?number=MARK`).expect(202);
    await h.events.waitFor((e) => e.envelope.id === marker.body.id);
    expect(h.events.of('economic.webhook.received').length).toBe(before + 1);
  });
});
