/**
 * String ids in URLs (product numbers), per e-conomic's self-link id encoding: these characters become
 * `_N_` tokens, everything else is URL-encoded as usual. `My Awesome Product_Discount5%` →
 * `My_9_Awesome_9_Product_8_Discount5_3_`.
 */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '<': '_0_',
  '>': '_1_',
  '*': '_2_',
  '%': '_3_',
  ':': '_4_',
  '&': '_5_',
  '/': '_6_',
  '\\': '_7_',
  _: '_8_',
  ' ': '_9_',
  '?': '_10_',
  '.': '_11_',
  '#': '_12_',
  '+': '_13_',
};

const REVERSE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(REPLACEMENTS).map(([char, token]) => [token.slice(1, -1), char]),
);

export function encodeId(id: string): string {
  if (typeof id !== 'string' || id === '') throw new TypeError('An id must be a non-empty string');
  let out = '';
  for (const char of id) out += REPLACEMENTS[char] ?? encodeURIComponent(char);
  return out;
}

export function decodeId(segment: string): string {
  return decodeURIComponent(segment).replace(/_(\d{1,2})_/g, (token, n: string) => REVERSE[n] ?? token);
}

/** A numeric id for a path segment; refuses anything but a positive safe integer. */
export function numericId(value: number, name = 'id'): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`);
  return String(value);
}
