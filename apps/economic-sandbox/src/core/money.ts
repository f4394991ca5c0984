/** Strips binary floating-point noise (e.g. 100.49999999999999 → 100.5). */
function clean(n: number): number {
  return Number(n.toPrecision(15));
}

/** Rounds to 2 decimals, half away from zero, as a bookkeeper would. */
export function round2(n: number): number {
  const abs = Math.round(clean(Math.abs(n) * 100)) / 100;
  const r = n < 0 ? -abs : abs;
  return r === 0 ? 0 : r; // no -0
}

/**
 * At most 2 decimals as the number is written in JSON (what e-conomic parses), so a client's
 * floating-point noise such as 3.3000000000000003 counts as more than 2 decimals.
 */
export function hasAtMostTwoDecimals(n: number): boolean {
  const s = String(n);
  if (s.includes('e-')) return false;
  const dot = s.indexOf('.');
  return dot < 0 || s.length - dot - 1 <= 2;
}
