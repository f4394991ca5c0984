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

/** `data.order.lines[0].quantity` from the keys walked. */
function pathOf(keys: (string | number)[]): string {
  let path = '';
  for (const key of keys) path = typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
  return path;
}

/**
 * Numbers that JSON.parse cannot keep exactly: overflow to ±Infinity (e.g. 1e400) or integers past
 * 2^53. The event carries the data as received, so such numbers are refused instead of changed.
 */
export function unsafeNumbers(value: unknown, keys: (string | number)[] = [], out: FieldError[] = []): FieldError[] {
  if (out.length >= 20) return out;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) || (Number.isFinite(value) && !Number.isInteger(value))) return out;
    const path = pathOf(keys);
    out.push(Number.isFinite(value)
      ? { field: path, message: `${path} is an integer too large to keep exactly (over 2^53); send it as a string` }
      : { field: path, message: `${path} is a number too large to represent` });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      keys.push(i);
      unsafeNumbers(value[i], keys, out);
      keys.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      keys.push(key);
      unsafeNumbers((value as Record<string, unknown>)[key], keys, out);
      keys.pop();
    }
  }
  return out;
}
