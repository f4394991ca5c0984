import { PagedList } from '../../src';
import { envelope, json, type Stub, startStub, stubClient } from '../helpers/stub-server';

const TOTAL = 45;
const items = Array.from({ length: TOTAL }, (_, i) => ({ customerNumber: i + 1, name: `C${i + 1}`, self: `x/${i + 1}` }));

describe('pagination', () => {
  let s: Stub;
  beforeEach(async () => {
    s = await startStub((req, res) => {
      const skip = Number(req.query.get('skippages') ?? 0);
      const size = Number(req.query.get('pagesize') ?? 20);
      json(res, 200, envelope(items.slice(skip * size, skip * size + size), skip, size, TOTAL));
    });
  });
  afterEach(() => s.close());

  it('iterates every item across pages with for await', async () => {
    const seen: number[] = [];
    for await (const c of stubClient(s).customers.list({ pageSize: 20 })) seen.push(c.customerNumber);
    expect(seen).toEqual(items.map((c) => c.customerNumber));
    expect(s.requests.map((r) => r.rawQuery)).toEqual(['skippages=0&pagesize=20', 'skippages=1&pagesize=20', 'skippages=2&pagesize=20']);
  });

  it('defaults to 1000 per page', async () => {
    expect(await stubClient(s).customers.list().toArray()).toHaveLength(TOTAL);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]?.query.get('pagesize')).toBe('1000');
  });

  it('iterates pages', async () => {
    const pages = [];
    for await (const page of stubClient(s).customers.list({ pageSize: 20 }).pages()) pages.push(page);
    expect(pages.map((p) => [p.skipPages, p.items.length, p.hasNextPage])).toEqual([
      [0, 20, true],
      [1, 20, true],
      [2, 5, false],
    ]);
    expect(pages[0]?.pagination?.results).toBe(TOTAL);
  });

  it('starts from skipPages and fetches single pages', async () => {
    const list = stubClient(s).customers.list({ pageSize: 10, skipPages: 3 });
    expect((await list.toArray()).map((c) => c.customerNumber)).toEqual([31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45]);
    const page = await list.page(4);
    expect(page.items).toHaveLength(5);
    expect(page.hasNextPage).toBe(false);
  });

  it('first() asks for a single item', async () => {
    expect(await stubClient(s).customers.list({ pageSize: 10 }).first()).toEqual(items[0]);
    expect(s.requests[0]?.rawQuery).toBe('skippages=0&pagesize=1');
    expect(await stubClient(s).customers.list({ pageSize: 10, skipPages: 2 }).first()).toEqual(items[20]);
  });

  it('stops on an empty page even if a next link is present', async () => {
    const list = new PagedList(async () => ({ ...envelope([], 0, 10, 50), pagination: { ...envelope([], 0, 10, 50).pagination, nextPage: 'x' } }), 10);
    expect(await list.toArray()).toEqual([]);
  });

  it('refuses page sizes e-conomic would cap', () => {
    expect(() => stubClient(s).customers.list({ pageSize: 1001 })).toThrow(RangeError);
    expect(() => stubClient(s).customers.list({ pageSize: 0 })).toThrow(RangeError);
  });
});
