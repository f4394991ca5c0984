/**
 * Self links and the id encoding e-conomic uses for string ids (product numbers) in URLs
 * (economic-api.md §3.5): some characters become `_N_` tokens, the rest is URL-encoded.
 */
const ENCODE: Record<string, string> = {
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

const DECODE: Record<string, string> = Object.fromEntries(
  Object.entries(ENCODE).map(([ch, token]) => [token.slice(1, -1), ch]),
);

export function encodeId(id: string): string {
  let out = '';
  for (const ch of id) out += ENCODE[ch] ?? encodeURIComponent(ch);
  return out;
}

export function decodeId(segment: string): string {
  let s: string;
  try {
    s = decodeURIComponent(segment);
  } catch {
    s = segment;
  }
  return s.replace(/_(\d{1,2})_/g, (token, n: string) => DECODE[n] ?? token);
}

/** Builds absolute URLs for one public base URL. */
export class Links {
  constructor(public base: string) {}

  url(path: string): string {
    return this.base + path;
  }
}
