import type { FieldError } from '@bogholder/contracts';

/** Deeper JSON than this is refused before parsing (orders nest about 5 levels). */
export const MAX_JSON_DEPTH = 32;

/** True when the JSON text nests objects/arrays deeper than `limit` (strings are skipped). */
export function nestsDeeperThan(raw: Uint8Array, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `data.order.lines[0].quantity` from the keys walked; odd keys are quoted (`data["a b"]`, `[""]`). */
export function pathOf(keys: (string | number)[]): string {
  let path = '';
  for (const key of keys) {
    if (typeof key === 'number') path = `${path}[${key}]`;
    else if (!IDENTIFIER.test(key)) path = `${path}[${JSON.stringify(key)}]`;
    else path = path ? `${path}.${key}` : key;
  }
  return path;
}

/** NUL and unpaired surrogates: valid in JSON text, but no database (PostgreSQL text/jsonb) or e-conomic can keep them. */
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Values the event could not carry exactly or the services could not store: numbers JSON.parse cannot
 * keep (±Infinity from 1e400, integers past 2^53) and text with NUL characters or unpaired surrogates,
 * in values or keys. The event carries the data as received, so such values are refused, not changed.
 */
export function unsafeValues(value: unknown, keys: (string | number)[] = [], out: FieldError[] = []): FieldError[] {
  if (out.length >= 20) return out;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) || (Number.isFinite(value) && !Number.isInteger(value))) return out;
    const path = pathOf(keys);
    out.push(Number.isFinite(value)
      ? { field: path, message: `${path} is an integer too large to keep exactly (over 2^53); send it as a string` }
      : { field: path, message: `${path} is a number too large to represent` });
  } else if (typeof value === 'string') {
    if (UNSTORABLE_TEXT.test(value)) {
      const path = pathOf(keys);
      out.push({ field: path, message: `${path} contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored: remove it` });
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      keys.push(i);
      unsafeValues(value[i], keys, out);
      keys.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      keys.push(key);
      if (UNSTORABLE_TEXT.test(key)) {
        const path = pathOf(keys);
        out.push({ field: path, message: `the key of ${path} contains a NUL character or an unpaired UTF-16 surrogate: remove it` });
      }
      unsafeValues((value as Record<string, unknown>)[key], keys, out);
      keys.pop();
    }
  }
  return out;
}
