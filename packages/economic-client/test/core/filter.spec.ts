import { EconomicFilterError, escapeFilterValue, filter, sortParam } from '../../src';
import { envelope, json, startStub, stubClient } from '../helpers/stub-server';

describe('filter builder', () => {
  it('escapes every special character of a value', () => {
    expect(escapeFilterValue('a$b(c)d*e,f[g]h')).toBe('a$$b$(c$)d$*e$,f$[g$]h');
    expect(String(filter.eq('name', 'Smith & Co (DK), [ApS] 100% *'))).toBe('name$eq:Smith & Co $(DK$)$, $[ApS$] 100% $*');
    expect(String(filter.eq('name', '$null:'))).toBe('name$eq:$$null:');
  });

  it('writes every comparison operator', () => {
    expect(String(filter.eq('customerNumber', 5))).toBe('customerNumber$eq:5');
    expect(String(filter.ne('barred', true))).toBe('barred$ne:true');
    expect(String(filter.gt('balance', -1.5))).toBe('balance$gt:-1.5');
    expect(String(filter.gte('date', '2024-01-01'))).toBe('date$gte:2024-01-01');
    expect(String(filter.lt('age', 40))).toBe('age$lt:40');
    expect(String(filter.lte('customer.customerNumber', 7))).toBe('customer.customerNumber$lte:7');
    expect(String(filter.eq('ean', null))).toBe('ean$eq:$null:');
    expect(String(filter.isNull('ean'))).toBe('ean$eq:$null:');
    expect(String(filter.notNull('ean'))).toBe('ean$ne:$null:');
  });

  it('keeps * as a wildcard only in like patterns', () => {
    expect(String(filter.like('city', '*port'))).toBe('city$like:*port');
    expect(String(filter.like('name', 'a(b)*'))).toBe('name$like:a$(b$)*');
    expect(String(filter.contains('name', '5*'))).toBe('name$like:5$*');
    expect(String(filter.startsWith('name', 'Jo,'))).toBe('name$like:Jo$,*');
    expect(String(filter.endsWith('name', 'A/S'))).toBe('name$like:*A/S');
  });

  it('writes $in / $nin with numbers and $null:', () => {
    expect(String(filter.in('customerNumber', [2, 5, 7]))).toBe('customerNumber$in:[2,5,7]');
    expect(String(filter.nin('vatZone.vatZoneNumber', [1, null]))).toBe('vatZone.vatZoneNumber$nin:[1,$null:]');
  });

  it('refuses $in with text, too many or no values', () => {
    expect(() => filter.in('name', ['a'] as unknown as number[])).toThrow(EconomicFilterError);
    expect(() => filter.in('n', [Number.NaN])).toThrow(EconomicFilterError);
    expect(() => filter.in('n', Array.from({ length: 201 }, (_, i) => i))).toThrow(/at most 200/);
    expect(() => filter.in('n', Array.from({ length: 200 }, (_, i) => i))).not.toThrow();
    expect(() => filter.nin('n', [])).toThrow(EconomicFilterError);
  });

  it('refuses property names that could inject syntax', () => {
    expect(() => filter.eq('name$or:x', 1)).toThrow(EconomicFilterError);
    expect(() => filter.eq('', 1)).toThrow(EconomicFilterError);
  });

  it('combines with $and:/$or: and parenthesises nested combinations', () => {
    const f = filter.and(filter.eq('name', 'Joe'), filter.or(filter.like('city', '*port'), filter.lt('age', 40)));
    expect(String(f)).toBe('name$eq:Joe$and:(city$like:*port$or:age$lt:40)');
    expect(String(filter.or(filter.and(filter.eq('a', 1), filter.eq('b', 2)), filter.eq('c', 3)))).toBe('(a$eq:1$and:b$eq:2)$or:c$eq:3');
    expect(String(filter.and(filter.eq('a', 1)))).toBe('a$eq:1');
    expect(String(filter.and(filter.raw('x$eq:1$or:y$eq:2'), filter.eq('z', 3)))).toBe('(x$eq:1$or:y$eq:2)$and:z$eq:3');
    expect(() => filter.or()).toThrow(EconomicFilterError);
  });

  it('validates sort keys', () => {
    expect(sortParam('-name')).toBe('-name');
    expect(sortParam(['-name', '~customerNumber', 'customer.customerNumber'])).toBe('-name,~customerNumber,customer.customerNumber');
    expect(sortParam('name,-age')).toBe('name,-age');
    expect(() => sortParam('name desc')).toThrow(EconomicFilterError);
  });

  it('URL-encodes the whole filter and sort in the request', async () => {
    const s = await startStub((req, res) => json(res, 200, envelope([], 0, 50, 0)));
    try {
      const f = filter.and(filter.eq('name', 'A&B $ (x)'), filter.like('email', '*@shop.dk'));
      await stubClient(s).customers.list({ filter: f, sort: ['-name', '~zip'], pageSize: 50 }).toArray();
      const req = s.requests[0];
      expect(req?.rawQuery).toBe(
        `skippages=0&pagesize=50&filter=${encodeURIComponent('name$eq:A&B $$ $(x$)$and:email$like:*@shop.dk')}&sort=${encodeURIComponent('-name,~zip')}`,
      );
      expect(req?.query.get('filter')).toBe('name$eq:A&B $$ $(x$)$and:email$like:*@shop.dk');
      expect(req?.rawQuery).not.toContain('&B');
    } finally {
      await s.close();
    }
  });
});
