import { customerBody, draftBody, useSandbox } from './support/sandbox';

describe('collections: envelope, paging, filter and sort', () => {
  const { sb, fresh } = useSandbox();

  async function withCustomers(count: number) {
    const api = fresh();
    for (let i = 1; i <= count; i++) {
      const res = await api.post('/customers', customerBody({ name: `Customer ${String(i).padStart(2, '0')}`, city: i % 2 ? 'Aarhus' : 'Odense', creditLimit: i * 10 }));
      expect(res.status).toBe(201);
    }
    return api;
  }

  it('answers the e-conomic envelope with absolute paging links', async () => {
    const api = await withCustomers(45);
    const first = await api.get('/customers');
    expect(first.status).toBe(200);
    expect(first.body.collection).toHaveLength(20);
    expect(first.body.metaData).toEqual({});
    expect(first.body.pagination).toEqual({
      maxPageSizeAllowed: 1000,
      skipPages: 0,
      pageSize: 20,
      results: 45,
      resultsWithoutFilter: 45,
      firstPage: `${sb().url}/customers?skippages=0&pagesize=20`,
      nextPage: `${sb().url}/customers?skippages=1&pagesize=20`,
      lastPage: `${sb().url}/customers?skippages=2&pagesize=20`,
    });
    expect(first.body.self).toBe(`${sb().url}/customers?skippages=0&pagesize=20`);

    const last = await api.get('/customers?skippages=2&pagesize=20');
    expect(last.body.collection.map((c: any) => c.customerNumber)).toEqual([41, 42, 43, 44, 45]);
    expect(last.body.pagination.nextPage).toBeUndefined();
    expect(last.body.pagination.lastPage).toBe(`${sb().url}/customers?skippages=2&pagesize=20`);

    const beyond = await api.get('/customers?skippages=9');
    expect(beyond.body.collection).toEqual([]);
  });

  it('caps pagesize at 1000 with a developerHint and rejects nonsense', async () => {
    const api = await withCustomers(2);
    const res = await api.get('/customers?pagesize=5000');
    expect(res.body.pagination.pageSize).toBe(1000);
    expect(res.body.pagination.developerHint).toMatch(/1000/);
    expect((await api.get('/customers?pagesize=1000')).body.pagination.developerHint).toBeUndefined();
    expect((await api.get('/customers?pagesize=0')).status).toBe(400);
    expect((await api.get('/customers?skippages=-1')).status).toBe(400);
  });

  it('filters, counting results with and without the filter, and keeps the filter in links', async () => {
    const api = await withCustomers(25);
    const filter = 'city$eq:aarhus$and:creditLimit$gte:100';
    const res = await api.get(`/customers?filter=${encodeURIComponent(filter)}&pagesize=5`);
    expect(res.body.pagination.results).toBe(8);
    expect(res.body.pagination.resultsWithoutFilter).toBe(25);
    expect(res.body.collection.every((c: any) => c.city === 'Aarhus' && c.creditLimit >= 100)).toBe(true);
    expect(res.body.pagination.nextPage).toBe(`${sb().url}/customers?skippages=1&pagesize=5&filter=${encodeURIComponent(filter)}`);
    const like = await api.get(`/customers?filter=${encodeURIComponent('name$like:*er 1*$or:name$eq:CUSTOMER 25')}`);
    expect(like.body.collection.map((c: any) => c.customerNumber)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 25]);
    const inList = await api.get(`/customers?filter=${encodeURIComponent('customerNumber$in:[3,5,7]')}`);
    expect(inList.body.collection.map((c: any) => c.customerNumber)).toEqual([3, 5, 7]);
    const nin = await api.get(`/customers?filter=${encodeURIComponent('customerNumber$nin:[1,2]$and:customerNumber$lt:5')}`);
    expect(nin.body.collection.map((c: any) => c.customerNumber)).toEqual([3, 4]);
    const nullEan = await api.get(`/customers?filter=${encodeURIComponent('ean$eq:$null:')}`);
    expect(nullEan.body.pagination.results).toBe(25);
  });

  it('answers 400 naming an unfilterable property, and for $in rules', async () => {
    const api = await withCustomers(1);
    const res = await api.get(`/customers?filter=${encodeURIComponent('customerGroup.customerGroupNumber$eq:1')}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('customerGroup.customerGroupNumber');
    expect(res.body.httpStatusCode).toBe(400);
    expect((await api.get(`/customers?filter=${encodeURIComponent('name$in:[1]')}`)).status).toBe(400);
    const many = Array.from({ length: 201 }, (_, i) => i + 1).join(',');
    expect((await api.get(`/customers?filter=${encodeURIComponent(`customerNumber$in:[${many}]`)}`)).status).toBe(400);
  });

  it('sorts with -, ~ and several keys; 400 for unsortable properties', async () => {
    const api = await withCustomers(12);
    const desc = await api.get('/customers?sort=-customerNumber&pagesize=3');
    expect(desc.body.collection.map((c: any) => c.customerNumber)).toEqual([12, 11, 10]);
    const multi = await api.get('/customers?sort=city,-creditLimit&pagesize=3');
    expect(multi.body.collection.map((c: any) => c.customerNumber)).toEqual([11, 9, 7]);
    const alpha = await api.get('/customers?sort=~creditLimit&pagesize=4');
    expect(alpha.body.collection.map((c: any) => c.creditLimit)).toEqual([10, 100, 110, 120]);
    expect((await api.get('/customers?sort=nope')).status).toBe(400);
  });

  it('filters drafts on references.other with escaped characters', async () => {
    const api = fresh();
    const c = await api.post('/customers', customerBody());
    const line = { description: 'Item', quantity: 1, unitNetPrice: 10 };
    for (const other of ['bogholder:shop-1:order-1', 'bogholder:shop-1:order-2', 'a$b(c)']) {
      expect((await api.post('/invoices/drafts', draftBody(c.body.customerNumber, [line], { references: { other } }))).status).toBe(201);
    }
    const one = await api.get(`/invoices/drafts?filter=${encodeURIComponent('references.other$eq:bogholder:shop-1:order-2')}`);
    expect(one.body.collection.map((d: any) => d.references.other)).toEqual(['bogholder:shop-1:order-2']);
    const escaped = await api.get(`/invoices/drafts?filter=${encodeURIComponent('references.other$eq:a$$b$(c$)')}`);
    expect(escaped.body.collection).toHaveLength(1);
    expect(one.body.collection[0].lines).toBeUndefined();
  });
});
