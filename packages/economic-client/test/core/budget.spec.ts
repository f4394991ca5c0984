import { agreementKey, EconomicClient, RequestBudget } from '../../src';
import { delay, json, type Stub, startStub } from '../helpers/stub-server';

describe('RequestBudget', () => {
  it('lets a burst through at once, then paces at the refill rate', async () => {
    const budget = new RequestBudget({ burst: 3, refillPerSecond: 20 });
    const start = performance.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 13 }, () => budget.acquire().then(() => times.push(performance.now() - start))));
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(40); // the burst
    expect(times[3]).toBeGreaterThanOrEqual(40); // 4th waits ~50 ms
    expect(times[12]).toBeGreaterThanOrEqual(450); // 10 refills at 20/s = 500 ms
    expect(times[12]).toBeLessThan(1500);
  });

  it('serves waiters first come, first served', async () => {
    const budget = new RequestBudget({ burst: 1, refillPerSecond: 50 });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => budget.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('pause() empties the bucket and holds everyone', async () => {
    const budget = new RequestBudget({ burst: 100, refillPerSecond: 100 });
    expect(budget.available).toBe(100);
    budget.pause(300);
    expect(budget.available).toBe(0);
    const start = performance.now();
    await budget.acquire();
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
  });

  it('drops a waiter whose signal aborts', async () => {
    const budget = new RequestBudget({ burst: 1, refillPerSecond: 10 });
    await budget.acquire();
    const controller = new AbortController();
    const aborted = budget.acquire(controller.signal);
    const next = budget.acquire();
    expect(budget.waiting).toBe(2);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(budget.waiting).toBe(1);
    await next;
  });

  it('refuses nonsense options', () => {
    expect(() => new RequestBudget({ burst: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new RequestBudget({ burst: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });

  it('is shared per agreement through a key that is not the token', () => {
    const key = agreementKey('some-grant-token');
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(key).not.toContain('some-grant-token');
    expect(RequestBudget.forAgreement(key)).toBe(RequestBudget.forAgreement(key));
    expect(RequestBudget.forAgreement(agreementKey('other'))).not.toBe(RequestBudget.forAgreement(key));
    const a = new EconomicClient({ appSecretToken: 'a', agreementGrantToken: 'shared-grant-1' });
    const b = new EconomicClient({ appSecretToken: 'a', agreementGrantToken: 'shared-grant-1' });
    expect(a.budget).toBe(b.budget);
    expect(a.budget).toMatchObject({ burst: 2000, refillPerSecond: 30 });
    expect(new EconomicClient({ appSecretToken: 'a', agreementGrantToken: 'x', budget: false }).budget).toBeUndefined();
  });
});

describe('budget in the client', () => {
  let s: Stub;
  afterEach(() => s.close());

  it('paces concurrent requests', async () => {
    s = await startStub((_req, res) => json(res, 200, { agreementNumber: 1, self: 'x' }));
    const client = new EconomicClient({
      appSecretToken: 'app',
      agreementGrantToken: 'pacing-grant',
      baseUrl: s.url,
      budget: { burst: 2, refillPerSecond: 10 },
    });
    await Promise.all(Array.from({ length: 6 }, () => client.self.get()));
    const at = s.requests.map((r) => r.at).sort((x, y) => x - y);
    const first = at[0] ?? 0;
    expect((at[1] ?? 0) - first).toBeLessThan(80);
    expect((at[5] ?? 0) - first).toBeGreaterThanOrEqual(350); // 4 refills at 10/s
    expect((at[5] ?? 0) - first).toBeLessThan(2000);
  });

  it('a 429 holds every client of the agreement for Retry-After', async () => {
    s = await startStub((req, res, hit) =>
      hit === 1 ? json(res, 429, { message: 'Too many requests' }, { 'Retry-After': '1' }) : json(res, 200, { agreementNumber: 1, self: req.path }),
    );
    const options = { appSecretToken: 'app', agreementGrantToken: 'shared-429-grant', baseUrl: s.url };
    const a = new EconomicClient(options);
    const b = new EconomicClient(options);
    expect(a.budget).toBe(b.budget);
    const first = a.self.get();
    await delay(100); // a has its 429 by now
    await b.customers.get(1);
    await first;
    const [rateLimited, second, third] = s.requests;
    expect(second?.path).toBe('/customers/1');
    expect((second?.at ?? 0) - (rateLimited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(third?.path).toBe('/self');
  });
});
