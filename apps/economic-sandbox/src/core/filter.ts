import { BadRequestError, ErrorCode } from './errors';

export type FieldType = 'number' | 'string' | 'boolean' | 'date';

/** Filterable (and sortable) properties of a resource: dotted path → type. */
export type FieldSpec = Readonly<Record<string, FieldType>>;

export type Getter = (item: unknown) => unknown;

const getterCache = new Map<string, Getter>();

export function getter(path: string): Getter {
  let g = getterCache.get(path);
  if (!g) {
    const parts = path.split('.');
    g =
      parts.length === 1
        ? (item) => (item as Record<string, unknown> | null | undefined)?.[parts[0]!]
        : (item) => {
            let v: unknown = item;
            for (const p of parts) {
              if (v === null || v === undefined || typeof v !== 'object') return undefined;
              v = (v as Record<string, unknown>)[p];
            }
            return v;
          };
    getterCache.set(path, g);
  }
  return g;
}

type Predicate = (item: unknown) => boolean;

const OPERATORS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'like', 'in', 'nin']);
const ESCAPABLE = new Set(['$', '(', ')', '*', ',', '[', ']']);
const MAX_IN_VALUES = 200;
const NUMBER_RE = /^-?\d+(\.\d+)?$/;

function invalid(message: string): BadRequestError {
  return new BadRequestError(
    message,
    'Filter syntax: property$operator:value, combined with $and: / $or: and parentheses. Operators: $eq: $ne: $gt: $gte: $lt: $lte: $like: $in:[..] $nin:[..]; $null: is null. Escape $ ( ) * , [ ] in values as $$ $( $) $* $, $[ $].',
    ErrorCode.invalidFilter,
  );
}

interface RawValue {
  text: string;
  /** regex source for $like, with unescaped `*` as wildcards */
  pattern: string;
  hasWildcard: boolean;
  isNull: boolean;
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
}

class Parser {
  private i = 0;

  constructor(
    private readonly s: string,
    private readonly fields: FieldSpec,
  ) {}

  parse(): Predicate {
    if (this.s.length === 0) throw invalid('The filter is empty.');
    const p = this.parseOr();
    if (this.i < this.s.length) throw invalid(`Unexpected '${this.s[this.i]}' at position ${this.i} in the filter.`);
    return p;
  }

  private startsWith(token: string): boolean {
    return this.s.startsWith(token, this.i);
  }

  private parseOr(): Predicate {
    let left = this.parseAnd();
    while (this.startsWith('$or:')) {
      this.i += 4;
      const l = left;
      const r = this.parseAnd();
      left = (item) => l(item) || r(item);
    }
    return left;
  }

  private parseAnd(): Predicate {
    let left = this.parseTerm();
    while (this.startsWith('$and:')) {
      this.i += 5;
      const l = left;
      const r = this.parseTerm();
      left = (item) => l(item) && r(item);
    }
    return left;
  }

  private parseTerm(): Predicate {
    if (this.s[this.i] === '(') {
      this.i++;
      const inner = this.parseOr();
      if (this.s[this.i] !== ')') throw invalid('Missing closing parenthesis in the filter.');
      this.i++;
      return inner;
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Predicate {
    const start = this.i;
    while (this.i < this.s.length && /[A-Za-z0-9_.]/.test(this.s[this.i]!)) this.i++;
    const property = this.s.slice(start, this.i);
    if (!property) throw invalid(`Expected a property name at position ${start} in the filter.`);
    if (this.s[this.i] !== '$') throw invalid(`Expected an operator after '${property}' in the filter.`);
    this.i++;
    const opStart = this.i;
    while (this.i < this.s.length && /[a-z]/i.test(this.s[this.i]!)) this.i++;
    const op = this.s.slice(opStart, this.i).toLowerCase();
    if (this.s[this.i] !== ':' || !OPERATORS.has(op)) throw invalid(`Unknown filter operator '$${this.s.slice(opStart, this.i)}'.`);
    this.i++;
    const type = this.fields[property];
    if (type === undefined) {
      throw new BadRequestError(
        `The property '${property}' is not filterable.`,
        `Filterable properties on this resource: ${Object.keys(this.fields).join(', ')}.`,
        ErrorCode.notFilterable,
      );
    }
    const get = getter(property);
    if (op === 'in' || op === 'nin') return this.parseList(property, type, op, get);
    return compile(property, type, op, this.parseValue(), get);
  }

  private parseValue(): RawValue {
    let text = '';
    let pattern = '';
    let hasWildcard = false;
    let isNull = false;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '$') {
        if (this.startsWith('$and:') || this.startsWith('$or:')) break;
        if (this.startsWith('$null:')) {
          if (text !== '' || isNull) throw invalid('$null: must be the whole value.');
          isNull = true;
          this.i += 6;
          continue;
        }
        const next = this.s[this.i + 1];
        if (next === undefined || !ESCAPABLE.has(next)) throw invalid(`Invalid escape sequence '$${next ?? ''}' in a filter value.`);
        text += next;
        pattern += escapeRegex(next);
        this.i += 2;
        continue;
      }
      if (c === ')') break;
      if (c === '(') throw invalid("Unescaped '(' in a filter value; write it as $(.");
      if (c === '*') {
        hasWildcard = true;
        pattern += '.*';
      } else {
        pattern += escapeRegex(c);
      }
      text += c;
      this.i++;
    }
    if (isNull && text !== '') throw invalid('$null: must be the whole value.');
    return { text, pattern, hasWildcard, isNull };
  }

  private parseList(property: string, type: FieldType, op: string, get: Getter): Predicate {
    if (type !== 'number') {
      throw invalid(`$${op}: is only allowed on numeric properties; '${property}' is not numeric.`);
    }
    if (this.s[this.i] !== '[') throw invalid(`$${op}: expects a list such as [1,2,3].`);
    this.i++;
    const values = new Set<number>();
    let includesNull = false;
    let count = 0;
    let item = '';
    const flush = (): void => {
      const raw = item;
      item = '';
      if (raw === '$null:') {
        includesNull = true;
      } else if (NUMBER_RE.test(raw)) {
        values.add(Number(raw));
      } else {
        throw invalid(`$${op}: accepts only numbers (and $null:); got '${raw}'.`);
      }
      count++;
    };
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw invalid(`Missing ']' after $${op}: list.`);
      if (c === '$' && this.startsWith('$null:')) {
        item += '$null:';
        this.i += 6;
        continue;
      }
      if (c === '$') {
        const next = this.s[this.i + 1];
        if (next === undefined || !ESCAPABLE.has(next)) throw invalid(`Invalid escape sequence '$${next ?? ''}' in a filter value.`);
        item += next;
        this.i += 2;
        continue;
      }
      this.i++;
      if (c === ',') {
        flush();
        continue;
      }
      if (c === ']') {
        flush();
        break;
      }
      item += c;
    }
    if (count > MAX_IN_VALUES) throw invalid(`$${op}: accepts at most ${MAX_IN_VALUES} values; got ${count}.`);
    const isIn = op === 'in';
    return (x) => {
      const v = get(x);
      const hit = v === undefined || v === null ? includesNull : values.has(v as number);
      return isIn ? hit : !hit;
    };
  }
}

function typed(property: string, type: FieldType, text: string): number | string | boolean {
  switch (type) {
    case 'number':
      if (!NUMBER_RE.test(text)) throw invalid(`The value '${text}' for '${property}' is not a number.`);
      return Number(text);
    case 'boolean': {
      const t = text.toLowerCase();
      if (t !== 'true' && t !== 'false') throw invalid(`The value '${text}' for '${property}' is not true or false.`);
      return t === 'true';
    }
    default:
      return text.toLowerCase();
  }
}

function normalise(v: unknown, type: FieldType): unknown {
  if (type === 'boolean') return v === true;
  if (v === undefined || v === null) return undefined;
  if (type === 'number') return typeof v === 'number' ? v : Number(v);
  return String(v).toLowerCase();
}

function compile(property: string, type: FieldType, op: string, value: RawValue, get: Getter): Predicate {
  if (value.isNull) {
    if (op === 'eq') return (x) => normalise(get(x), type) === undefined;
    if (op === 'ne') return (x) => normalise(get(x), type) !== undefined;
    throw invalid(`$null: can only be used with $eq: and $ne: (property '${property}').`);
  }
  if (op === 'like') {
    const source = value.hasWildcard ? `^${value.pattern}$` : value.pattern;
    const re = new RegExp(source, 'is');
    return (x) => {
      const v = get(x);
      return v !== undefined && v !== null && re.test(String(v));
    };
  }
  const target = typed(property, type, value.text);
  switch (op) {
    case 'eq':
      return (x) => normalise(get(x), type) === target;
    case 'ne':
      return (x) => normalise(get(x), type) !== target;
    default: {
      const cmp =
        op === 'gt'
          ? (a: number | string) => a > target
          : op === 'gte'
            ? (a: number | string) => a >= target
            : op === 'lt'
              ? (a: number | string) => a < target
              : (a: number | string) => a <= target;
      return (x) => {
        const v = normalise(get(x), type);
        return v !== undefined && cmp(v as number | string);
      };
    }
  }
}

/** Parses e-conomic's filter syntax (economic-api.md §3.3) into a predicate; throws 400 on errors. */
export function parseFilter(filter: string, fields: FieldSpec): Predicate {
  return new Parser(filter, fields).parse();
}
