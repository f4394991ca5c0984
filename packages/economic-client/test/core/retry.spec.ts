import { createServer } from 'node:net';
import {
  backoffDelayMs,
  EconomicAuthError,
  EconomicConnectionError,
  EconomicNotFoundError,
  EconomicOutcomeUnknownError,
  EconomicRateLimitError,
  EconomicServerError,
  EconomicTimeoutError,
  EconomicValidationError,
  isRetryable,
  parseRetryAfterHeader,
  type RequestEvent,
} from '../../src';
import { caught, delay, json, reset, type Stub, startStub, stubClient } from '../helpers/stub-server';

const customer = { customerNumber: 1, name: 'A', self: 'x' };

let stubs: Stub[] = [];
async function stub(handler: Parameters<typeof startStub>[0]): Promise<Stub> {
  const s = await startStub(handler);
  stubs.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(stubs.map((s) => s.close()));
  stubs = [];
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const postBody = { name: 'A', currency: 'DKK', customerGroup: { customerGroupNumber: 1 }, paymentTerms: { paymentTermsNumber: 1 }, vatZone: { vatZoneNumber: 1 } };

describe('backoff', () => {
  it('grows exponentially from 250 ms, jitters within [step/2, step] and caps at 10 s', () => {
    const steps = [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000];
    steps.forEach((step, i) => {
      expect(backoffDelayMs(i + 1, () => 0)).toBe(step / 2);
      expect(backoffDelayMs(i + 1, () => 0.999999)).toBe(step);
    });
    for (let i = 0; i < 500; i++) {
      const retry = 1 + (i % 8);
      const step = steps[retry - 1] as number;
      const d = backoffDelayMs(retry);
      expect(d).toBeGreaterThanOrEqual(step / 2);
      expect(d).toBeLessThanOrEqual(step);
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterHeader('3', now)).toBe(3000);
    expect(parseRetryAfterHeader('0.5', now)).toBe(500);
    expect(parseRetryAfterHeader('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfterHeader('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterHeader('soon', now)).toBeUndefined();
    expect(parseRetryAfterHeader(undefined, now)).toBeUndefined();
  });
});

describe('GET retries', () => {
  it('retries a 500 and succeeds', async () => {
    const s = await stub((_req, res, hit) => (hit === 1 ? json(res, 500, { message: 'boom' }) : json(res, 200, customer)));
    const events: RequestEvent[] = [];
    const client = stubClient(s, { onRequest: (e) => events.push(e) });
    await expect(client.customers.get(1)).resolves.toEqual(customer);
    expect(s.requests).toHaveLength(2);
    expect(events.map((e) => [e.attempt, e.outcome, e.status])).toEqual([
      [1, 'http-error', 500],
      [2, 'ok', 200],
    ]);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1, byStatusClass: { '2xx': 1, '5xx': 1 } });
  });

  it('stops after maxRetries and throws the last error', async () => {
    const s = await stub((_req, res) => json(res, 503, { message: 'down', logId: 'abc-CPH' }));
    const err = await caught(stubClient(s, { maxRetries: 2 }).customers.get(1));
    expect(err).toBeInstanceOf(EconomicServerError);
    expect((err as EconomicServerError).status).toBe(503);
    expect((err as EconomicServerError).logId).toBe('abc-CPH');
    expect(s.requests).toHaveLength(3);
    expect(isRetryable(err)).toBe(true);
  });

  it('does not retry with maxRetries: 0', async () => {
    const s = await stub((_req, res) => json(res, 500, {}));
    await expect(stubClient(s, { maxRetries: 0 }).customers.get(1)).rejects.toBeInstanceOf(EconomicServerError);
    expect(s.requests).toHaveLength(1);
  });

  it('retries a connection reset', async () => {
    const s = await stub((_req, res, hit) => (hit === 1 ? reset(res) : json(res, 200, customer)));
    await expect(stubClient(s).customers.get(1)).resolves.toEqual(customer);
    expect(s.requests).toHaveLength(2);
  });

  it('gives up on resets with EconomicConnectionError', async () => {
    const s = await stub((_req, res) => reset(res));
    const err = await caught(stubClient(s, { maxRetries: 1 }).customers.get(1));
    expect(err).toBeInstanceOf(EconomicConnectionError);
    expect(s.requests).toHaveLength(2);
  });

  it('retries a timeout and then throws EconomicTimeoutError', async () => {
    const s = await stub(() => undefined); // never answers
    const events: RequestEvent[] = [];
    const err = await caught(stubClient(s, { timeoutMs: 150, maxRetries: 1, onRequest: (e) => events.push(e) }).customers.get(1));
    expect(err).toBeInstanceOf(EconomicTimeoutError);
    expect((err as EconomicTimeoutError).timeoutMs).toBe(150);
    expect(s.requests).toHaveLength(2);
    expect(events.map((e) => e.outcome)).toEqual(['timeout', 'timeout']);
  });

  it('honours Retry-After (seconds) on 429', async () => {
    const s = await stub((_req, res, hit) =>
      hit === 1 ? json(res, 429, { message: 'Too many requests' }, { 'Retry-After': '1' }) : json(res, 200, customer),
    );
    const client = stubClient(s);
    await client.customers.get(1);
    const gap = (s.requests[1]?.at ?? 0) - (s.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(3000);
    expect(client.stats.rateLimited).toBe(1);
  });

  it('honours Retry-After as an HTTP date', async () => {
    let until = 0;
    const s = await stub((_req, res, hit) => {
      if (hit > 1) return json(res, 200, customer);
      until = Math.ceil((Date.now() + 1500) / 1000) * 1000; // HTTP dates have whole seconds
      return json(res, 429, {}, { 'Retry-After': new Date(until).toUTCString() });
    });
    await stubClient(s).customers.get(1);
    const gap = (s.requests[1]?.at ?? 0) - (s.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(1000);
    expect(gap).toBeLessThan(4000);
  });

  it('does not wait for a Retry-After over a minute: throws EconomicRateLimitError', async () => {
    const s = await stub((_req, res) => json(res, 429, {}, { 'Retry-After': '3600' }));
    const started = Date.now();
    const err = await caught(stubClient(s).customers.get(1));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toBeInstanceOf(EconomicRateLimitError);
    expect((err as EconomicRateLimitError).retryAfterMs).toBe(3_600_000);
    expect(s.requests).toHaveLength(1);
  });

  it('does not retry 4xx', async () => {
    const s = await stub((_req, res) => json(res, 404, { message: 'Resource not found.', httpStatusCode: 404 }));
    await expect(stubClient(s).customers.get(1)).rejects.toBeInstanceOf(EconomicNotFoundError);
    const s2 = await stub((_req, res) => json(res, 401, { message: 'Unauthorized' }));
    await expect(stubClient(s2).customers.get(1)).rejects.toBeInstanceOf(EconomicAuthError);
    expect(s.requests).toHaveLength(1);
    expect(s2.requests).toHaveLength(1);
  });

  it('stops retrying when the caller aborts', async () => {
    const s = await stub((_req, res) => json(res, 500, {}));
    const controller = new AbortController();
    const pending = stubClient(s, { maxRetries: 10 }).customers.get(1, { signal: controller.signal });
    await delay(50);
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(s.requests.length).toBeLessThanOrEqual(2);
  });
});

describe('POST is never blindly repeated', () => {
  it('500 → EconomicOutcomeUnknownError after one hit', async () => {
    const s = await stub((_req, res) => json(res, 500, { message: 'Internal error' }));
    const err = await caught(stubClient(s).customers.create(postBody));
    expect(err).toBeInstanceOf(EconomicOutcomeUnknownError);
    const unknown = err as EconomicOutcomeUnknownError;
    expect(unknown.reason).toBe('server-error');
    expect(unknown.cause).toBeInstanceOf(EconomicServerError);
    expect(unknown.request).toEqual({ method: 'POST', url: `${s.url}/customers` });
    expect(isRetryable(err)).toBe(false);
    await delay(400);
    expect(s.requests).toHaveLength(1);
  });

  it('timeout → EconomicOutcomeUnknownError after one hit', async () => {
    const s = await stub(() => undefined);
    const err = await caught(stubClient(s, { timeoutMs: 150 }).customers.create(postBody));
    expect(err).toBeInstanceOf(EconomicOutcomeUnknownError);
    expect((err as EconomicOutcomeUnknownError).reason).toBe('timeout');
    await delay(400);
    expect(s.requests).toHaveLength(1);
  });

  it('connection reset before the answer → EconomicOutcomeUnknownError after one hit', async () => {
    const s = await stub((_req, res) => reset(res));
    const err = await caught(stubClient(s).invoices.booked.book({ draftInvoiceNumber: 5 }));
    expect(err).toBeInstanceOf(EconomicOutcomeUnknownError);
    expect((err as EconomicOutcomeUnknownError).reason).toBe('connection-lost');
    await delay(400);
    expect(s.requests).toHaveLength(1);
  });

  it('PUT and DELETE are treated the same unless marked idempotent', async () => {
    const s = await stub((_req, res) => json(res, 502, {}));
    const client = stubClient(s);
    await expect(client.customers.update(1, postBody)).rejects.toBeInstanceOf(EconomicOutcomeUnknownError);
    await expect(client.customers.delete(1)).rejects.toBeInstanceOf(EconomicOutcomeUnknownError);
    expect(s.requests).toHaveLength(2);
  });

  it('a call marked idempotent is retried like a GET', async () => {
    const s = await stub((_req, res, hit) => (hit < 3 ? json(res, 500, {}) : json(res, 200, customer)));
    await expect(stubClient(s).customers.update(1, postBody, { idempotent: true })).resolves.toEqual(customer);
    expect(s.requests).toHaveLength(3);
  });

  it('is retried after a 429 (e-conomic did not process it)', async () => {
    const s = await stub((_req, res, hit) =>
      hit === 1 ? json(res, 429, {}, { 'Retry-After': '0' }) : json(res, 201, customer, { Location: 'https://restapi.e-conomic.com/customers/1' }),
    );
    await expect(stubClient(s).customers.create(postBody)).resolves.toEqual(customer);
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]?.json).toEqual(postBody);
  });

  it('gives up on 429 after maxRetries with EconomicRateLimitError', async () => {
    const s = await stub((_req, res) => json(res, 429, {}, { 'Retry-After': '0' }));
    const err = await caught(stubClient(s, { maxRetries: 2 }).customers.create(postBody));
    expect(err).toBeInstanceOf(EconomicRateLimitError);
    expect(s.requests).toHaveLength(3);
  });

  it('is retried when the connection was refused (never sent)', async () => {
    const port = await freePort();
    const events: RequestEvent[] = [];
    const client = stubClient({ url: `http://127.0.0.1:${port}`, requests: [], close: async () => undefined }, {
      maxRetries: 2,
      onRequest: (e) => events.push(e),
    });
    const err = await caught(client.customers.create(postBody));
    expect(err).toBeInstanceOf(EconomicConnectionError);
    expect((err as EconomicConnectionError).code).toBe('ECONNREFUSED');
    expect(events.map((e) => e.errorCode)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
  });

  it('succeeds when a refused connection is followed by a working one', async () => {
    const s = await stub((_req, res) => json(res, 201, customer));
    let calls = 0;
    const flaky: typeof fetch = (input, init) => {
      calls += 1;
      if (calls === 1) {
        const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return Promise.reject(new TypeError('fetch failed', { cause }));
      }
      return fetch(input, init);
    };
    await expect(stubClient(s, { fetch: flaky }).customers.create(postBody)).resolves.toEqual(customer);
    expect(calls).toBe(2);
    expect(s.requests).toHaveLength(1);
  });

  it('4xx surfaces as the typed error after one hit', async () => {
    const s = await stub((_req, res) =>
      json(res, 400, {
        message: 'Validation failed. 1 errors found.',
        errorCode: 'E04300',
        errors: { customerNumber: { errors: [{ propertyName: 'customerNumber', errorCode: 'E06010', errorMessage: 'Customer number already in use.', inputValue: 1 }] } },
      }),
    );
    await expect(stubClient(s).customers.create(postBody)).rejects.toBeInstanceOf(EconomicValidationError);
    expect(s.requests).toHaveLength(1);
  });
});

describe('unreadable answers', () => {
  it('a 2xx that is not JSON: a plain error for GET, outcome unknown for POST (never repeated)', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>maintenance</html>');
    });
    await expect(stubClient(s).customers.get(1)).rejects.toThrow(/not JSON/);
    const err = await caught(stubClient(s).customers.create(postBody));
    expect(err).toBeInstanceOf(EconomicOutcomeUnknownError);
    expect((err as EconomicOutcomeUnknownError).reason).toBe('unreadable-answer');
    expect(s.requests).toHaveLength(2);
  });
});
