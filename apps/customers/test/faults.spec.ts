import { Client } from 'pg';
import { RpcError } from '@bogholder/messaging';
import { eventually, sleep, TEST_DATABASE_URL } from '@bogholder/testing';
import { aCustomer, calls, Harness, startHarness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('cus_faults');
});

afterAll(async () => {
  await h?.close();
});

const posts = (lines: string[]) => lines.filter((c) => c === 'POST /customers');

describe('e-conomic faults never cause duplicates', () => {
  it('a create whose answer is dropped after commit still ends with exactly one customer', async () => {
    const shop = await h.newShop();
    await shop.faults({ kinds: ['drop-after-commit'], match: { method: 'POST', path: '/customers' }, count: 1 });
    const customer = aCustomer();
    const reply = await shop.ensure(customer);
    expect(reply).toEqual({ customerNumber: 100000, created: true });
    const lines = calls(await shop.requests());
    expect(posts(lines)).toHaveLength(1);
    expect(lines.slice(-2)).toEqual(['POST /customers', 'GET /customers/100000']); // looked up, not posted again
    expect(await shop.customers()).toHaveLength(1);

    expect(await shop.ensure(customer)).toEqual({ customerNumber: 100000, created: false });
    await eventually(() => h.events.some((e) => e.shopId === shop.shopId));
    await sleep(300);
    expect(h.events.filter((e) => e.shopId === shop.shopId)).toHaveLength(1);
  });

  it('when even the look-up fails, the next attempt reads the recorded number before posting again', async () => {
    const shop = await h.newShop({ customerNumbering: 'shop' });
    const customer = aCustomer({ number: 321, email: undefined });
    // The POST is carried out but its answer is lost, and so are the answers to the look-ups after it.
    await shop.faults({ kinds: ['drop-after-commit'], match: { path: '/customers' }, count: 5 });
    const err = await shop.ensureError(customer);
    expect(err.code).toBe('economic_unavailable');
    expect(err.retryable).toBe(true);
    expect(await shop.customers()).toHaveLength(1);

    await shop.faults(null);
    await shop.clearRequests();
    expect(await shop.ensure(customer)).toEqual({ customerNumber: 321, created: true });
    expect(calls(await shop.requests())).toEqual(['GET /customers/321']);
    expect(await shop.customers()).toHaveLength(1);
    await eventually(() => h.events.some((e) => e.shopId === shop.shopId && (e.data as { customerNumber: number }).customerNumber === 321));
  });

  it('a 500 on create commits nothing; the retry creates it under the same number', async () => {
    const shop = await h.newShop({ customerNumberStart: 2000 });
    await shop.faults({ kinds: ['500'], match: { method: 'POST', path: '/customers' }, count: 1 });
    const customer = aCustomer();
    const err = await shop.ensureError(customer);
    expect(err.code).toBe('economic_unavailable');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/it was not created; the next attempt creates it with the same number/);
    expect(await shop.customers()).toEqual([]);

    expect(await shop.ensure(customer)).toEqual({ customerNumber: 2000, created: true });
    expect(await shop.ensure(aCustomer())).toMatchObject({ customerNumber: 2001 }); // no number was burnt
  });

  it('a contact create whose answer is dropped still ends with exactly one contact', async () => {
    const shop = await h.newShop();
    const customer = aCustomer({ ean: '5798000000001', eanContactName: 'Mette Jensen' });
    const { customerNumber } = await shop.ensure(customer);
    await shop.faults({ kinds: ['drop-after-commit'], match: { method: 'POST', path: `/customers/${customerNumber}/contacts` }, count: 1 });
    const reply = await shop.ensure(customer, { needContact: true });
    expect(reply).toMatchObject({ customerNumber, contactCreated: true });
    expect(await shop.contacts()).toEqual([expect.objectContaining({ customerContactNumber: reply.contactNumber, name: 'Mette Jensen' })]);
  });

  it('E06010: a number taken by a foreign customer between the look-up and the create moves on to the next number', async () => {
    const shop = await h.newShop({ customerNumberStart: 3000 });
    // Hold the service between checking the free numbers and recording its intent, while someone else takes 3000.
    const blocker = new Client({ connectionString: TEST_DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`LOCK TABLE "${h.schema}".pending_creations IN EXCLUSIVE MODE`);
      const pending = shop.ensure(aCustomer({ name: 'Our Customer' }));
      await eventually(async () => (await shop.requests()).some((r) => r.method === 'GET' && r.path === '/customers' && r.query.includes('gte')));
      const foreign = await shop.api('POST', '/customers', {
        customerNumber: 3000, name: 'Foreign ApS', email: 'foreign@example.dk', currency: 'DKK',
        customerGroup: { customerGroupNumber: 1 }, paymentTerms: { paymentTermsNumber: 1 }, vatZone: { vatZoneNumber: 1 },
      });
      expect(foreign.status).toBe(201);
      await blocker.query('COMMIT');
      expect(await pending).toEqual({ customerNumber: 3001, created: true });
    } finally {
      await blocker.end();
    }
    const requests = await shop.requests();
    expect(requests.filter((r) => r.method === 'POST' && r.path === '/customers').map((r) => r.status)).toEqual([201, 400, 201]); // the foreign one, ours refused (E06010), ours again
    const customers = await shop.customers();
    expect(customers.map((c) => [c.customerNumber, c.name]).sort()).toEqual([[3000, 'Foreign ApS'], [3001, 'Our Customer']]);
  });
});

describe('typed errors', () => {
  it('429 and 500 from e-conomic are retryable economic_unavailable errors', async () => {
    const shop = await h.newShop();
    await shop.faults({ kinds: ['429'], match: { method: 'GET', path: '/customers' }, count: 4 });
    const limited = await shop.ensureError(aCustomer());
    expect(limited).toBeInstanceOf(RpcError);
    expect({ code: limited.code, retryable: limited.retryable, status: limited.status }).toEqual({ code: 'economic_unavailable', retryable: true, status: 503 });
    expect(limited.message).toMatch(/rate limiting/);

    await shop.faults({ kinds: ['500'], match: { method: 'GET', path: '/customers' }, count: 4 });
    const down = await shop.ensureError(aCustomer());
    expect({ code: down.code, retryable: down.retryable }).toEqual({ code: 'economic_unavailable', retryable: true });
    expect(await shop.customers()).toEqual([]);

    expect(await shop.ensure(aCustomer())).toMatchObject({ created: true });
  });

  it('a revoked grant is a permanent economic_token_rejected error', async () => {
    const shop = await h.newShop();
    const res = await fetch(`${h.sandbox.url}/__sandbox/grants/${encodeURIComponent(shop.grantToken)}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    const err = await shop.ensureError(aCustomer());
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'economic_token_rejected', retryable: false });
    expect(err.message).toBe('the e-conomic grant was revoked; reconnect the shop to e-conomic');
  });

  it('a shop the service has no connection for is retryable shop_not_connected', async () => {
    const err = await h.newShop().then((shop) => shop.ensureError(aCustomer(), { shopId: 'shop-that-never-connected' }));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'shop_not_connected', retryable: true });
    expect(err.message).toMatch(/shop-that-never-connected is not connected to e-conomic/);
  });

  it('an invalid request names every invalid field', async () => {
    const shop = await h.newShop();
    const err = await shop.ensureError({ name: '', country: 'Danmark', email: 'not-an-email' });
    expect({ code: err.code, retryable: err.retryable, status: err.status }).toEqual({ code: 'invalid_request', retryable: false, status: 400 });
    const fields = (err.options.details as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['customer.country', 'customer.email', 'customer.name']);
  });
});
