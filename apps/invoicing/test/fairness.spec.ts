import { sql } from '@bogholder/testing';
import { Harness, makeOrder } from './support/harness';

describe('fair scheduling across shops', () => {
  const h = new Harness();

  beforeAll(async () => {
    await h.start({ INVOICING_CONCURRENCY: '16', INVOICING_SHOP_CONCURRENCY: '4' });
  });

  afterAll(async () => {
    await h.stop();
  });

  it('does not let one shop\'s backlog of 1000 orders delay another shop\'s next order by more than a few seconds', async () => {
    const busy = await h.shop();
    const quiet = await h.shop();
    // The busy shop's agreement answers 10 requests per second, so its backlog drains slowly (~5 orders/s).
    expect((await h.control(busy, 'PUT', 'rate-limit', { burst: 10, refillPerSecond: 10 })).ok).toBe(true);
    const first = makeOrder();
    const backlog = [first, ...Array.from({ length: 999 }, () => makeOrder({ customer: first.customer }))];
    for (let i = 0; i < backlog.length; i += 50) await Promise.all(backlog.slice(i, i + 50).map((o) => h.paid(busy, o)));
    const count = async (status?: string) =>
      Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM "${h.schema}".transfers WHERE shop_id = $1 ${status ? 'AND status = $2' : ''}`, status ? [busy.shopId, status] : [busy.shopId]))[0]!.n);
    await (async () => {
      const deadline = Date.now() + 60_000;
      while ((await count()) < backlog.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    })();
    expect(await count()).toBe(backlog.length);

    const order = makeOrder();
    const started = Date.now();
    await h.paid(quiet, order);
    await h.waitFor(quiet.shopId, order.orderId, 'booked', 30_000);
    const waited = Date.now() - started;

    const booked = await count('booked');
    expect(booked).toBeLessThan(backlog.length - 800); // the backlog was really there all along
    expect(waited).toBeLessThan(5_000);
  }, 120_000);
});
