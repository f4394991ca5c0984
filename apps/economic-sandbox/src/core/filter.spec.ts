import { ApiError } from './errors';
import { type FieldSpec, parseFilter } from './filter';
import { parseSort } from './sort';

const fields: FieldSpec = { name: 'string', city: 'string', age: 'number', barred: 'boolean', date: 'date', 'ref.other': 'string' };
const people = [
  { name: 'Joe', city: 'Newport', age: 50, date: '2026-01-05' },
  { name: 'joe', city: 'Aarhus', age: 30, barred: true, date: '2026-02-01' },
  { name: 'Ann (ApS)', city: 'Portland', age: 41, ref: { other: 'bogholder:s1:o1' } },
  { name: 'Bo*b', age: 20, ref: { other: 'a$b,c' } },
];

function names(filter: string): string[] {
  return people.filter(parseFilter(filter, fields)).map((p) => p.name);
}

function error(filter: string): ApiError {
  try {
    parseFilter(filter, fields);
  } catch (e) {
    if (e instanceof ApiError) return e;
  }
  throw new Error(`expected ${filter} to fail`);
}

describe('parseFilter', () => {
  it('compares strings without regard to case', () => {
    expect(names('name$eq:JOE')).toEqual(['Joe', 'joe']);
    expect(names('name$ne:joe')).toEqual(['Ann (ApS)', 'Bo*b']);
  });

  it('supports the ordering operators on numbers and dates', () => {
    expect(names('age$gt:41')).toEqual(['Joe']);
    expect(names('age$gte:41')).toEqual(['Joe', 'Ann (ApS)']);
    expect(names('age$lt:30')).toEqual(['Bo*b']);
    expect(names('age$lte:30')).toEqual(['joe', 'Bo*b']);
    expect(names('date$gte:2026-01-10$and:date$lte:2026-12-31')).toEqual(['joe']);
  });

  it('matches $like anywhere without a wildcard and anchored with one', () => {
    expect(names('city$like:PORT')).toEqual(['Joe', 'Ann (ApS)']);
    expect(names('city$like:*port')).toEqual(['Joe']);
    expect(names('city$like:port*')).toEqual(['Ann (ApS)']);
  });

  it('combines with $and, $or and parentheses ($and binds tighter)', () => {
    expect(names('name$eq:Joe$and:(city$like:*port$or:age$lt:40)')).toEqual(['Joe', 'joe']);
    expect(names('age$lt:25$or:age$gt:45$and:city$like:new')).toEqual(['Joe', 'Bo*b']);
    expect(names('(age$lt:25$or:age$gt:45)$and:city$like:new')).toEqual(['Joe']);
  });

  it('supports $null: with $eq and $ne', () => {
    expect(names('city$eq:$null:')).toEqual(['Bo*b']);
    expect(names('city$ne:$null:')).toEqual(['Joe', 'joe', 'Ann (ApS)']);
  });

  it('supports $in and $nin on numbers, including $null:', () => {
    expect(names('age$in:[20,50]')).toEqual(['Joe', 'Bo*b']);
    expect(names('age$nin:[20,50]')).toEqual(['joe', 'Ann (ApS)']);
    const withMissing = [{ name: 'x' }, { name: 'y', age: 3 }].filter(parseFilter('age$in:[$null:,3]', fields));
    expect(withMissing).toHaveLength(2);
  });

  it('rejects $in on strings, non-numbers and more than 200 values', () => {
    expect(error('name$in:[1,2]').message).toMatch(/numeric/);
    expect(error('age$in:[1,x]').status).toBe(400);
    const many = Array.from({ length: 201 }, (_, i) => i).join(',');
    expect(error(`age$in:[${many}]`).message).toMatch(/200/);
    expect(names(`age$in:[${Array.from({ length: 200 }, (_, i) => i).join(',')}]`)).toHaveLength(4);
  });

  it('unescapes $$ $( $) $* $, $[ $] in values', () => {
    expect(names('name$eq:Ann $(ApS$)')).toEqual(['Ann (ApS)']);
    expect(names('name$eq:Bo$*b')).toEqual(['Bo*b']);
    expect(names('name$like:o$*')).toEqual(['Bo*b']);
    expect(names('ref.other$eq:a$$b$,c')).toEqual(['Bo*b']);
    expect(names('ref.other$eq:bogholder:s1:o1')).toEqual(['Ann (ApS)']);
    expect(names('name$like:$[')).toEqual([]);
  });

  it('filters booleans, treating a missing boolean as false', () => {
    expect(names('barred$eq:true')).toEqual(['joe']);
    expect(names('barred$eq:false')).toEqual(['Joe', 'Ann (ApS)', 'Bo*b']);
  });

  it('answers 400 naming a property that is not filterable', () => {
    const e = error('secret$eq:1');
    expect(e.status).toBe(400);
    expect(e.message).toContain("'secret'");
  });

  it('answers 400 for syntax errors', () => {
    for (const bad of ['name', 'name$xx:1', 'name$eq:a(b', '(name$eq:a', 'name$eq:a)', 'name$eq:$q', 'age$eq:abc', 'age$in:1,2', 'name$like:$null:', '']) {
      expect(error(bad).status).toBe(400);
    }
  });
});

describe('parseSort', () => {
  const rows = [
    { name: 'b', n: 30 },
    { name: 'A', n: 1000 },
    { name: 'c', n: 4 },
  ];
  const spec: FieldSpec = { name: 'string', n: 'number' };
  const sorted = (s: string | undefined) => [...rows].sort(parseSort(s, spec, 'n')).map((r) => r.name);

  it('sorts by the default key, ascending, descending, and alphabetically with ~', () => {
    expect(sorted(undefined)).toEqual(['c', 'b', 'A']);
    expect(sorted('name')).toEqual(['A', 'b', 'c']);
    expect(sorted('-name')).toEqual(['c', 'b', 'A']);
    expect(sorted('~n')).toEqual(['A', 'b', 'c']);
    expect(sorted('-~n')).toEqual(['c', 'b', 'A']);
  });

  it('answers 400 for a property that is not sortable', () => {
    expect(() => parseSort('nope', spec, 'n')).toThrow(ApiError);
  });
});
