import { ApiError, ErrorCode, logTime, newLogId } from './errors';
import { hasAtMostTwoDecimals } from './money';

export type Path = readonly (string | number)[];

export interface Issue {
  path: Path;
  code: string;
  message: string;
  input?: unknown;
  hint?: string;
}

interface ErrorItem {
  propertyName: string;
  errorMessage: string;
  errorCode: string;
  inputValue?: unknown;
  developerHint?: string;
}

type ErrorNode = { errors?: ErrorItem[]; arrayIndex?: number; [key: string]: unknown };

function propertyName(path: Path): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') return seg;
  }
  return 'body';
}

/**
 * Builds e-conomic's `errors` document: it mirrors the request body; array items are objects
 * carrying `arrayIndex`, and every failing property holds `{errors: [...]}`.
 * A body that is itself an array reports its items under `items`.
 */
export function buildErrorDocument(issues: readonly Issue[]): Record<string, unknown> {
  const root: ErrorNode = {};
  for (const issue of issues) {
    const path = typeof issue.path[0] === 'number' ? ['items', ...issue.path] : issue.path;
    let node: ErrorNode = root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const next = path[i + 1];
      if (typeof seg === 'number') continue; // handled by the array step below
      if (typeof next === 'number') {
        const arr = (node[seg] as ErrorNode[] | undefined) ?? [];
        node[seg] = arr;
        let item = arr.find((x) => x.arrayIndex === next);
        if (!item) {
          item = { arrayIndex: next };
          arr.push(item);
          arr.sort((a, b) => (a.arrayIndex ?? 0) - (b.arrayIndex ?? 0));
        }
        node = item;
        continue;
      }
      const child = (node[seg] as ErrorNode | undefined) ?? {};
      node[seg] = child;
      node = child;
    }
    const item: ErrorItem = {
      propertyName: propertyName(issue.path),
      errorMessage: issue.message,
      errorCode: issue.code,
    };
    if (issue.input !== undefined) item.inputValue = issue.input;
    if (issue.hint) item.developerHint = issue.hint;
    (node.errors ??= []).push(item);
  }
  return root;
}

/** e-conomic's newer validation error (E04300 with per-field errors and `errorCount`). */
export class ValidationError extends ApiError {
  constructor(
    readonly issues: readonly Issue[],
    developerHint = 'Inspect validation errors and correct your request.',
  ) {
    super(400, `Validation failed. ${issues.length} errors found.`, developerHint, ErrorCode.validationFailed);
    this.name = 'ValidationError';
  }

  override body() {
    return {
      message: this.message,
      errorCode: ErrorCode.validationFailed,
      developerHint: this.developerHint,
      logId: newLogId(),
      httpStatusCode: 400,
      errors: buildErrorDocument(this.issues),
      logTime: logTime(),
      errorCount: this.issues.length,
    };
  }
}

export class Issues {
  readonly list: Issue[] = [];

  add(path: Path, code: string, message: string, input?: unknown, hint?: string): void {
    this.list.push({ path, code, message, input, hint });
  }

  get count(): number {
    return this.list.length;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

interface Presence {
  required?: boolean;
}

interface StringRule extends Presence {
  max?: number;
  exact?: number;
  min?: number;
  oneOf?: readonly string[];
}

interface NumberRule extends Presence {
  integer?: boolean;
  min?: number;
  max?: number;
  twoDecimals?: boolean;
}

export interface RefRule extends Presence {
  /** Does an entity with this identifier exist? */
  exists?: (id: number) => boolean;
  /** The collection path used in the "not found" hint, e.g. `/payment-terms`. */
  collection?: string;
  /** Error code when it does not exist (default E06000). */
  notFoundCode?: string;
  /** Entity name in the "not found" message, e.g. `PaymentTerms`. */
  entity?: string;
}

/**
 * Reads typed values out of a JSON body and records e-conomic-style issues.
 * Every getter returns `undefined` when the value is absent or invalid.
 */
export class Reader {
  constructor(
    readonly root: unknown,
    readonly issues: Issues,
    readonly base: Path = [],
    readonly apiBase = '',
  ) {}

  at(path: Path): Reader {
    return new Reader(this.raw(path), this.issues, [...this.base, ...path], this.apiBase);
  }

  raw(path: Path): unknown {
    let v: unknown = this.root;
    for (const seg of path) {
      if (v === null || v === undefined || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[seg];
    }
    return v;
  }

  has(path: Path): boolean {
    return this.raw(path) !== undefined;
  }

  private full(path: Path): Path {
    return [...this.base, ...path];
  }

  add(path: Path, code: string, message: string, input?: unknown, hint?: string): void {
    this.issues.add(this.full(path), code, message, input, hint);
  }

  /** Common presence handling; returns the value when there is one to check further. */
  private present(path: Path, rule: Presence): unknown {
    const v = this.raw(path);
    const name = propertyName(this.full(path));
    if (v === undefined) {
      if (rule.required) this.add(path, ErrorCode.required, `Property '${name}' is required.`);
      return undefined;
    }
    if (v === null) {
      this.add(
        path,
        ErrorCode.nullNotAllowed,
        `Property '${name}' cannot be null.`,
        null,
        'Leave a property out of the body to clear it; null is not accepted.',
      );
      return undefined;
    }
    return v;
  }

  string(path: Path, rule: StringRule = {}): string | undefined {
    const v = this.present(path, rule);
    if (v === undefined) return undefined;
    const name = propertyName(this.full(path));
    if (typeof v !== 'string') {
      this.add(path, ErrorCode.invalidValue, `Property '${name}' must be a string.`, v);
      return undefined;
    }
    if (rule.required && v.trim() === '') {
      this.add(path, ErrorCode.required, `Property '${name}' is required.`, v);
      return undefined;
    }
    if (rule.exact !== undefined && v.length !== rule.exact) {
      this.add(path, ErrorCode.tooLong, `Property '${name}' must be exactly ${rule.exact} characters long.`, v);
      return undefined;
    }
    if (rule.max !== undefined && v.length > rule.max) {
      this.add(path, ErrorCode.tooLong, `Property '${name}' can be at most ${rule.max} characters long.`, v);
      return undefined;
    }
    if (rule.min !== undefined && v.length < rule.min) {
      this.add(path, ErrorCode.invalidValue, `Property '${name}' must be at least ${rule.min} characters long.`, v);
      return undefined;
    }
    if (rule.oneOf && !rule.oneOf.includes(v)) {
      this.add(path, ErrorCode.invalidValue, `Property '${name}' must be one of: ${rule.oneOf.join(', ')}.`, v);
      return undefined;
    }
    return v;
  }

  number(path: Path, rule: NumberRule = {}): number | undefined {
    const v = this.present(path, rule);
    if (v === undefined) return undefined;
    const name = propertyName(this.full(path));
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add(path, ErrorCode.invalidValue, `Property '${name}' must be a number.`, v);
      return undefined;
    }
    if (rule.integer && !Number.isInteger(v)) {
      this.add(path, ErrorCode.invalidValue, `Property '${name}' must be an integer.`, v);
      return undefined;
    }
    if ((rule.min !== undefined && v < rule.min) || (rule.max !== undefined && v > rule.max)) {
      const range =
        rule.max === undefined ? `at least ${rule.min}` : rule.min === undefined ? `at most ${rule.max}` : `between ${rule.min} and ${rule.max}`;
      this.add(path, ErrorCode.invalidValue, `Property '${name}' must be ${range}.`, v);
      return undefined;
    }
    if (rule.twoDecimals && !hasAtMostTwoDecimals(v)) {
      this.add(path, ErrorCode.tooManyDecimals, `Property '${name}' can have at most 2 decimals.`, v);
      return undefined;
    }
    return v;
  }

  boolean(path: Path, rule: Presence = {}): boolean | undefined {
    const v = this.present(path, rule);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.add(path, ErrorCode.invalidValue, `Property '${propertyName(this.full(path))}' must be true or false.`, v);
      return undefined;
    }
    return v;
  }

  date(path: Path, rule: Presence = {}): string | undefined {
    const v = this.string(path, rule);
    if (v === undefined) return undefined;
    if (!isValidDate(v)) {
      this.add(path, ErrorCode.invalidValue, `Property '${propertyName(this.full(path))}' must be a date (YYYY-MM-DD).`, v);
      return undefined;
    }
    return v;
  }

  object(path: Path, rule: Presence = {}): Record<string, unknown> | undefined {
    const v = this.present(path, rule);
    if (v === undefined) return undefined;
    if (!isRecord(v)) {
      this.add(path, ErrorCode.invalidValue, `Property '${propertyName(this.full(path))}' must be an object.`, v);
      return undefined;
    }
    return v;
  }

  array(path: Path, rule: Presence = {}): unknown[] | undefined {
    const v = this.present(path, rule);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.add(path, ErrorCode.invalidValue, `Property '${propertyName(this.full(path))}' must be an array.`, v);
      return undefined;
    }
    return v;
  }

  /**
   * A reference object such as `paymentTerms: {paymentTermsNumber: 1}` (or `{self: ".../payment-terms/1"}`).
   * Returns the referenced number when it is present, valid and exists.
   */
  ref(path: Path, key: string, rule: RefRule = {}): number | undefined {
    const obj = this.object(path, rule);
    if (obj === undefined) return undefined;
    const name = propertyName(this.full(path));
    let id: unknown = obj[key];
    if (id === undefined && typeof obj.self === 'string') {
      const last = obj.self.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
      id = /^\d+$/.test(last) ? Number(last) : last;
    }
    if (id === undefined || id === null) {
      this.add(path, ErrorCode.noIdentifier, `No identifiers present on ${name}. Provide ${key} or self.`, obj);
      return undefined;
    }
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) {
      this.add([...path, key], ErrorCode.invalidValue, `Property '${key}' must be a positive integer.`, id);
      return undefined;
    }
    if (rule.exists && !rule.exists(id)) {
      const entity = rule.entity ?? name.charAt(0).toUpperCase() + name.slice(1);
      const hint = rule.collection ? `Find a list of ${name}s at ${this.apiBase}${rule.collection} .` : undefined;
      this.add(path, rule.notFoundCode ?? ErrorCode.notFound, `${entity} '${id}' not found.`, id, hint);
      return undefined;
    }
    return id;
  }

  /** A reference object whose identifier is a string (products). */
  stringRef(path: Path, key: string, decodeSelf: (seg: string) => string, rule: Presence & { max?: number } = {}): string | undefined {
    const obj = this.object(path, rule);
    if (obj === undefined) return undefined;
    const name = propertyName(this.full(path));
    let id: unknown = obj[key];
    if (id === undefined && typeof obj.self === 'string') {
      const last = obj.self.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
      id = decodeSelf(last);
    }
    if (id === undefined || id === null || id === '') {
      this.add(path, ErrorCode.noIdentifier, `No identifiers present on ${name}. Provide ${key} or self.`, obj);
      return undefined;
    }
    if (typeof id !== 'string') {
      this.add([...path, key], ErrorCode.invalidValue, `Property '${key}' must be a string.`, id);
      return undefined;
    }
    if (rule.max !== undefined && id.length > rule.max) {
      this.add([...path, key], ErrorCode.tooLong, `Property '${key}' can be at most ${rule.max} characters long.`, id);
      return undefined;
    }
    return id;
  }

  /** Copies optional string properties with their maximum lengths into `target`. */
  copyStrings(target: object, spec: Record<string, number>, prefix: Path = []): void {
    const out = target as Record<string, unknown>;
    for (const [key, max] of Object.entries(spec)) {
      const v = this.string([...prefix, key], { max });
      if (v !== undefined) out[key] = v;
    }
  }
}
