/**
 * Builds e-conomic `filter=` expressions (`property$op:value`, joined with `$and:` / `$or:`).
 *
 *   filter.and(filter.eq('name', 'Joe'), filter.or(filter.like('city', '*port'), filter.lt('age', 40)))
 *   // → name$eq:Joe$and:(city$like:*port$or:age$lt:40)
 *
 * Values are escaped (`$`→`$$`, `(`→`$(`, `)`→`$)`, `*`→`$*`, `,`→`$,`, `[`→`$[`, `]`→`$]`); only the
 * `*` wildcards of a `like` pattern stay unescaped. The request core URL-encodes the whole string.
 */
import { EconomicFilterError } from './errors';

export type FilterValue = string | number | boolean | null;

export class Filter {
  /** @param compound true for `$and:`/`$or:` combinations, which need parentheses when nested. */
  constructor(
    readonly expression: string,
    readonly compound = false,
  ) {}

  toString(): string {
    return this.expression;
  }

  toJSON(): string {
    return this.expression;
  }
}

const FIELD = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const MAX_IN_VALUES = 200;

export function escapeFilterValue(value: string): string {
  return value.replace(/[$()*,[\]]/g, (char) => `$${char}`);
}

function field(name: string): string {
  if (!FIELD.test(name)) throw new EconomicFilterError(`Not a property name: ${JSON.stringify(name)}`);
  return name;
}

function value(v: FilterValue): string {
  if (v === null) return '$null:';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new EconomicFilterError(`Not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return escapeFilterValue(v);
  throw new EconomicFilterError(`Unsupported filter value: ${typeof v}`);
}

function compare(op: string) {
  return (name: string, v: FilterValue): Filter => new Filter(`${field(name)}$${op}:${value(v)}`);
}

function list(op: 'in' | 'nin') {
  return (name: string, values: ReadonlyArray<number | null>): Filter => {
    if (!Array.isArray(values) || values.length === 0) {
      throw new EconomicFilterError(`$${op} needs at least one value`);
    }
    if (values.length > MAX_IN_VALUES) {
      throw new EconomicFilterError(`$${op} accepts at most ${MAX_IN_VALUES} values, got ${values.length}`);
    }
    for (const v of values) {
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new EconomicFilterError(`$${op} works on numeric properties only; got ${JSON.stringify(v)}`);
      }
    }
    return new Filter(`${field(name)}$${op}:[${values.map(value).join(',')}]`);
  };
}

function combine(op: 'and' | 'or') {
  return (...parts: Array<Filter | string>): Filter => {
    if (parts.length === 0) throw new EconomicFilterError(`$${op} needs at least one filter`);
    if (parts.length === 1) return typeof parts[0] === 'string' ? new Filter(parts[0], true) : (parts[0] as Filter);
    const terms = parts.map((p) => (typeof p === 'string' || p.compound ? `(${String(p)})` : p.expression));
    return new Filter(terms.join(`$${op}:`), true);
  };
}

export const filter = {
  eq: compare('eq'),
  ne: compare('ne'),
  gt: compare('gt'),
  gte: compare('gte'),
  lt: compare('lt'),
  lte: compare('lte'),
  /** `*` in `pattern` is a wildcard; every other special character is escaped. Without `*`, e-conomic matches anywhere. */
  like(name: string, pattern: string): Filter {
    return new Filter(`${field(name)}$like:${pattern.split('*').map(escapeFilterValue).join('*')}`);
  },
  /** Substring match on literal text (a `*` in `text` is matched as a character). */
  contains(name: string, text: string): Filter {
    return new Filter(`${field(name)}$like:${escapeFilterValue(text)}`);
  },
  startsWith(name: string, text: string): Filter {
    return new Filter(`${field(name)}$like:${escapeFilterValue(text)}*`);
  },
  endsWith(name: string, text: string): Filter {
    return new Filter(`${field(name)}$like:*${escapeFilterValue(text)}`);
  },
  /** Numeric properties only, at most 200 values; `null` stands for `$null:`. */
  in: list('in'),
  nin: list('nin'),
  isNull(name: string): Filter {
    return new Filter(`${field(name)}$eq:$null:`);
  },
  notNull(name: string): Filter {
    return new Filter(`${field(name)}$ne:$null:`);
  },
  and: combine('and'),
  or: combine('or'),
  /** An expression written by hand; used as is, without escaping. */
  raw(expression: string): Filter {
    return new Filter(expression, /\$(and|or):/.test(expression));
  },
};

const SORT_KEY = /^[-~]{0,2}[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/**
 * Joins sort keys: `name` ascending, `-name` descending, `~name` alphabetical (so 1000 sorts before 30).
 */
export function sortParam(sort: string | readonly string[]): string {
  const keys = typeof sort === 'string' ? sort.split(',') : [...sort];
  for (const key of keys) {
    if (!SORT_KEY.test(key)) throw new EconomicFilterError(`Not a sort key: ${JSON.stringify(key)}`);
  }
  return keys.join(',');
}
