import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, customerBody, draftBody, productBody, useSandbox, waitFor } from './support/sandbox';

describe('sandbox control plane', () => {
  const { sb, fresh } = useSandbox();

  describe('grant page', () => {
    it('shows an Approve form and redirects with a new token, keeping existing query parameters', async () => {
      fresh();
      const other = await fetch(`${sb().url}/__sandbox/agreements`, { method: 'POST', body: JSON.stringify({ companyName: 'Anden <ApS>' }) }).then((r) => r.json() as Promise<{ agreementNumber: number }>);
      const redirectUrl = 'https://shop.example/api/economic/callback?state=abc.def&x=1';
      const page = await fetch(`${sb().url}/requestaccess.aspx?appPublicToken=${sb().appPublicToken}&redirectUrl=${encodeURIComponent(redirectUrl)}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<form method="post" action="/requestaccess.aspx">');
      expect(html).toContain('Approve');
      expect(html).toContain(`value="${other.agreementNumber}"`);
      expect(html).toContain('Anden &lt;ApS&gt;');
      expect(html).not.toContain('Anden <ApS>');

      const form = new URLSearchParams({ appPublicToken: sb().appPublicToken, redirectUrl, agreementNumber: String(other.agreementNumber) });
      const approved = await fetch(`${sb().url}/requestaccess.aspx`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'manual',
      });
      expect(approved.status).toBe(302);
      const location = approved.headers.get('location')!;
      expect(location.startsWith(`${redirectUrl}&token=`)).toBe(true);
      const token = new URL(location).searchParams.get('token')!;
      const self = await new Api(sb(), token).get('/self');
      expect(self.status).toBe(200);
      expect(self.body.agreementNumber).toBe(other.agreementNumber);
    });

    it('defaults to the first agreement, accepts appId and rejects a wrong app token', async () => {
      const api = fresh();
      const first = (await api.get('/self')).body.agreementNumber;
      const approved = await fetch(`${sb().url}/requestaccess.aspx?appId=${sb().appPublicToken}&redirectUrl=${encodeURIComponent('http://localhost/cb')}`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(approved.status).toBe(302);
      const token = new URL(approved.headers.get('location')!).searchParams.get('token')!;
      expect((await new Api(sb(), token).get('/self')).body.agreementNumber).toBe(first);
      expect((await fetch(`${sb().url}/requestaccess.aspx?appPublicToken=wrong&redirectUrl=http://x/`)).status).toBe(400);
      expect((await fetch(`${sb().url}/requestaccess.aspx?appPublicToken=wrong`, { method: 'POST' })).status).toBe(400);
    });
  });

  describe('agreements and grants', () => {
    it('keeps several agreements apart', async () => {
      const a = fresh();
      const created = await a.control('POST', '/agreements', { companyName: 'Second ApS' }, null);
      expect(created.status).toBe(201);
      const b = new Api(sb(), created.body.grantToken);
      await a.post('/customers', customerBody({ name: 'Only in A' }));
      expect((await b.get('/customers')).body.collection).toHaveLength(0);
      expect((await b.get('/self')).body.company.name).toBe('Second ApS');
      expect((await b.get('/customer-groups/1')).status).toBe(200);
      const grant = await a.control('POST', '/grants', { agreementNumber: created.body.agreementNumber }, null);
      expect((await new Api(sb(), grant.body.grantToken).get('/self')).body.agreementNumber).toBe(created.body.agreementNumber);
      expect((await a.control('POST', '/grants', { agreementNumber: 1 }, null)).status).toBe(404);
    });

    it('reset forgets everything: old tokens answer 401 and one fresh agreement remains', async () => {
      const api = fresh();
      await api.post('/customers', customerBody());
      const before = (await api.get('/self')).body.agreementNumber;
      const res = await api.control('POST', '/reset', undefined, null);
      expect(res.status).toBe(200);
      expect(res.body.agreementNumber).not.toBe(before);
      expect((await api.get('/self')).status).toBe(401);
      const fresh2 = new Api(sb(), (await api.control('POST', '/grants', {}, null)).body.grantToken);
      expect((await fresh2.get('/customers')).body.collection).toHaveLength(0);
      expect((await fresh2.control('GET', '/agreements')).body.items).toHaveLength(1);
    });
  });

  describe('faults', () => {
    async function countCustomers(api: Api): Promise<number> {
      return (await api.control('GET', '/state')).body.customers.length;
    }

    it('500 and 429 answer without committing', async () => {
      const api = fresh();
      await api.control('PUT', '/faults', { rate: 1, kinds: ['500'], seed: 1 });
      const r500 = await api.post('/customers', customerBody());
      expect(r500.status).toBe(500);
      expect(r500.body.httpStatusCode).toBe(500);
      await api.control('PUT', '/faults', { rate: 1, kinds: ['429'], seed: 1 });
      const r429 = await api.post('/customers', customerBody());
      expect(r429.status).toBe(429);
      expect(r429.headers.get('retry-after')).toBe('1');
      await api.control('PUT', '/faults', { rate: 0 });
      expect(await countCustomers(api)).toBe(0);
      expect((await api.post('/customers', customerBody())).status).toBe(201);
    });

    it('timeout holds the request, drops it and commits nothing', async () => {
      const api = fresh();
      await api.control('PUT', '/faults', { rate: 1, kinds: ['timeout'], seed: 1, holdMs: 150 });
      const started = Date.now();
      await expect(api.post('/customers', customerBody())).rejects.toThrow();
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      await api.control('PUT', '/faults', { rate: 0 });
      expect(await countCustomers(api)).toBe(0);
    });

    it('drop-after-commit performs the request and then drops the connection', async () => {
      const api = fresh();
      await api.control('PUT', '/faults', { rate: 1, kinds: ['drop-after-commit'], seed: 1 });
      await expect(api.post('/customers', customerBody())).rejects.toThrow();
      await api.control('PUT', '/faults', { rate: 0 });
      expect(await countCustomers(api)).toBe(1);
      const log = (await api.control('GET', '/requests')).body.items;
      expect(log[0]).toEqual(expect.objectContaining({ method: 'POST', path: '/customers', status: 201, fault: 'drop-after-commit' }));
    });

    it('is reproducible for a seed, honours match and count, and never touches control routes', async () => {
      const api = fresh();
      const run = async () => {
        await api.control('PUT', '/faults', { rate: 0.5, kinds: ['500', '429'], seed: 42 });
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await api.get('/layouts')).status);
        return statuses;
      };
      const first = await run();
      expect(new Set(first).size).toBeGreaterThan(1);
      expect(await run()).toEqual(first);
      for (let i = 0; i < 10; i++) expect((await api.control('GET', '/state')).status).toBe(200);

      await api.control('PUT', '/faults', { kinds: ['500'], count: 2, match: { method: 'POST', path: '/customers' } });
      expect((await api.get('/customers')).status).toBe(200);
      expect((await api.post('/customers', customerBody())).status).toBe(500);
      expect((await api.post('/customers', customerBody())).status).toBe(500);
      expect((await api.post('/customers', customerBody())).status).toBe(201);
      expect((await api.control('GET', '/faults')).body.rate).toBe(0);
      expect((await api.control('PUT', '/faults', { rate: 0.1, kinds: ['timeout'] })).body).toEqual(expect.objectContaining({ holdMs: 30000, seed: 1 }));
      await api.control('PUT', '/faults', { rate: 0 });
      expect((await api.control('PUT', '/faults', { rate: 2, kinds: ['500'] })).status).toBe(400);
      expect((await api.control('PUT', '/faults', { rate: 1, kinds: ['boom'] })).status).toBe(400);
    });

    it('applies to one agreement only', async () => {
      const a = fresh();
      const b = new Api(sb(), (await a.control('POST', '/agreements', {}, null)).body.grantToken);
      await a.control('PUT', '/faults', { rate: 1, kinds: ['500'], seed: 3 });
      expect((await a.get('/self')).status).toBe(500);
      expect((await b.get('/self')).status).toBe(200);
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After when the bucket is empty, and refills', async () => {
      const api = fresh();
      await api.control('PUT', '/rate-limit', { burst: 2, refillPerSecond: 10 });
      expect((await api.get('/self')).status).toBe(200);
      expect((await api.get('/self')).status).toBe(200);
      const limited = await api.get('/self');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.body).toEqual(expect.objectContaining({ httpStatusCode: 429, message: expect.any(String), logId: expect.any(String) }));
      expect((await api.control('GET', '/state')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 150));
      expect((await api.get('/self')).status).toBe(200);
      await api.control('PUT', '/rate-limit', null);
      for (let i = 0; i < 5; i++) expect((await api.get('/self')).status).toBe(200);
      const statuses = (await api.control('GET', '/requests')).body.items.map((i: any) => i.status);
      expect(statuses).toContain(429);
    });
  });

  describe('webhooks', () => {
    let receiver: Server;
    let calls: { method: string; url: string }[];
    let failuresLeft = 0;
    let base = '';

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        req.resume();
        calls.push({ method: req.method ?? '', url: req.url ?? '' });
        if (failuresLeft > 0) {
          failuresLeft--;
          res.writeHead(503).end();
          return;
        }
        res.writeHead(204).end();
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      receiver.closeAllConnections();
      await new Promise((r) => receiver.close(r));
    });
    beforeEach(() => {
      calls = [];
      failuresLeft = 0;
    });

    it('calls product and invoice webhooks with the merge fields filled in', async () => {
      const api = fresh();
      const hooks = [
        { kind: 'product', url: `${base}/p?number=[NEWNUMBER]&old=[OLDNUMBER]` },
        { kind: 'invoice', url: `${base}/i?number=[INVOICENO]` },
      ];
      expect((await api.control('PUT', '/webhooks', hooks)).status).toBe(200);
      await api.post('/products', productBody('SKU 1/A'));
      await waitFor(() => calls.length >= 1);
      expect(calls[0]).toEqual({ method: 'POST', url: '/p?number=SKU%201%2FA&old=SKU%201%2FA' });

      await api.control('POST', '/stock', { productNumber: 'SKU 1/A', delta: 5 });
      await waitFor(() => calls.length >= 2);

      const c = await api.post('/customers', customerBody());
      const d = await api.post('/invoices/drafts', draftBody(c.body.customerNumber, [{ product: { productNumber: 'SKU 1/A' }, quantity: 1, description: 'x' }]));
      await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d.body.draftInvoiceNumber } });
      await waitFor(() => calls.length >= 4);
      expect(calls.map((x) => x.url).slice(2).sort()).toEqual(['/i?number=1', '/p?number=SKU%201%2FA&old=SKU%201%2FA']);
    });

    it('retries a failed call with backoff', async () => {
      const api = fresh();
      await api.control('PUT', '/webhooks', [{ kind: 'invoice', url: `${base}/retry?n=[INVOICENO]` }]);
      failuresLeft = 1;
      const c = await api.post('/customers', customerBody());
      const d = await api.post('/invoices/drafts', draftBody(c.body.customerNumber, [{ description: 'x', quantity: 1, unitNetPrice: 1 }]));
      const booked = await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d.body.draftInvoiceNumber } });
      expect(booked.status).toBe(201);
      await waitFor(() => calls.length >= 2);
      expect(calls.map((x) => x.url)).toEqual(['/retry?n=1', '/retry?n=1']);
    });

    it('rejects invalid webhook configuration', async () => {
      const api = fresh();
      expect((await api.control('PUT', '/webhooks', [{ kind: 'order', url: `${base}/x` }])).status).toBe(400);
      expect((await api.control('PUT', '/webhooks', [{ kind: 'product', url: 'not a url' }])).status).toBe(400);
    });
  });

  describe('requests log, stock, state and agreement settings', () => {
    it('logs the REST requests of the agreement and clears the log', async () => {
      const api = fresh();
      await api.get('/self');
      await api.get('/customers?pagesize=5');
      await api.get('/nope');
      const log = (await api.control('GET', '/requests')).body.items;
      expect(log.map((i: any) => [i.method, i.path, i.status])).toEqual([
        ['GET', '/self', 200],
        ['GET', '/customers', 200],
        ['GET', '/nope', 404],
      ]);
      expect(log[1].query).toBe('?pagesize=5');
      expect(Date.parse(log[0].at)).not.toBeNaN();
      expect((await api.control('DELETE', '/requests')).status).toBe(204);
      expect((await api.control('GET', '/requests')).body.items).toEqual([]);
    });

    it('moves stock with POST /__sandbox/stock', async () => {
      const api = fresh();
      await api.post('/products', productBody('S1'));
      await api.post('/products', productBody('S2', { productGroup: { productGroupNumber: 2 } }));
      const res = await api.control('POST', '/stock', { productNumber: 'S1', delta: 12 });
      expect(res.body).toEqual({ productNumber: 'S1', inStock: 12, available: 12 });
      expect((await api.get('/products/S1')).body.inventory.inStock).toBe(12);
      expect((await api.control('POST', '/stock', { productNumber: 'S2', delta: 1 })).status).toBe(400);
      expect((await api.control('POST', '/stock', { productNumber: 'nope', delta: 1 })).status).toBe(404);
      expect((await api.control('POST', '/stock', { productNumber: 'S1' })).status).toBe(400);
    });

    it('dumps the agreement state', async () => {
      const api = fresh();
      const c = await api.post('/customers', customerBody());
      await api.post(`/customers/${c.body.customerNumber}/contacts`, { name: 'Kim' });
      await api.post('/products', productBody('S1'));
      await api.post('/invoices/drafts', draftBody(c.body.customerNumber, [{ description: 'x', quantity: 1, unitNetPrice: 1 }]));
      const state = (await api.control('GET', '/state')).body;
      expect(state.agreement).toEqual(expect.objectContaining({ companyName: 'Sandbox ApS', inventoryModule: true, paying: true, agreementType: 'denmark' }));
      expect(state.customers).toHaveLength(1);
      expect(state.contacts).toHaveLength(1);
      expect(state.products[0].stock).toEqual({ inStock: 0, available: 0 });
      expect(state.drafts[0].lines).toHaveLength(1);
      expect(state.booked).toEqual([]);
      expect(state.vouchers).toEqual([]);
      expect((await api.control('GET', '/state', undefined, 'unknown-token')).status).toBe(401);
    });

    it('adjusts the agreement with PATCH /__sandbox/agreement', async () => {
      const api = fresh();
      const res = await api.control('PATCH', '/agreement', { companyName: 'Renamed', cvr: null, canSendElectronicInvoice: false });
      expect(res.status).toBe(200);
      const self = (await api.get('/self')).body;
      expect(self.company.name).toBe('Renamed');
      expect(self.company.companyIdentificationNumber).toBeUndefined();
      expect(self.canSendElectronicInvoice).toBeUndefined();
      expect((await api.control('PATCH', '/agreement', { agreementType: 'finland' })).status).toBe(400);
      expect((await api.control('GET', '/nope')).status).toBe(404);
    });
  });

  describe('home page', () => {
    it('shows customers, invoices and stock with HTML escaped', async () => {
      const api = fresh();
      const c = await api.post('/customers', customerBody({ name: '<script>alert(1)</script>' }));
      await api.post('/products', productBody('SKU<1>'));
      await api.post('/invoices/drafts', draftBody(c.body.customerNumber, [{ product: { productNumber: 'SKU<1>' }, quantity: 2, unitNetPrice: 70, description: 'Vare & co' }]));
      const res = await fetch(`${sb().url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain('<script>');
      expect(html).toContain('SKU&lt;1&gt;');
      expect(html).toContain('Vare &amp; co');
      expect(html).toContain('175.00');
      const other = await api.control('POST', '/agreements', { companyName: 'Other' }, null);
      expect(await (await fetch(`${sb().url}/?agreement=${other.body.agreementNumber}`)).text()).toContain('Other');
    });
  });
});
