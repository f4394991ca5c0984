import { seededRandom } from '../core/prng';
import { isRecord } from '../core/validation';
import { type Agreement, FAULT_KINDS, type FaultConfig, type FaultKind } from '../state/types';
import { ControlError } from './control-error';

export const DEFAULT_HOLD_MS = 30_000;

/** Validates a `PUT /__sandbox/faults` body; `rate: 0` (or null) turns faults off. */
export function parseFaults(body: unknown): FaultConfig | null {
  if (body === null) return null;
  if (!isRecord(body)) throw new ControlError(400, 'The body must be an object {rate, kinds, seed, match?, count?, holdMs?}.');
  const count = body.count;
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 0)) {
    throw new ControlError(400, 'count must be a non-negative integer.');
  }
  const rate = body.rate ?? (count !== undefined ? 1 : undefined);
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new ControlError(400, 'rate must be a number between 0 and 1.');
  if (rate === 0 || count === 0) return null;
  const kinds = body.kinds;
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k): k is FaultKind => FAULT_KINDS.includes(k as FaultKind))) {
    throw new ControlError(400, `kinds must be a non-empty array drawn from: ${FAULT_KINDS.join(', ')}.`);
  }
  const seed = body.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new ControlError(400, 'seed must be an integer.');
  const holdMs = body.holdMs ?? DEFAULT_HOLD_MS;
  if (typeof holdMs !== 'number' || !Number.isFinite(holdMs) || holdMs < 0) throw new ControlError(400, 'holdMs must be a non-negative number.');
  let match: FaultConfig['match'];
  if (body.match !== undefined && body.match !== null) {
    if (!isRecord(body.match)) throw new ControlError(400, 'match must be an object {method?, path?}.');
    const { method, path } = body.match;
    if (method !== undefined && typeof method !== 'string') throw new ControlError(400, 'match.method must be a string.');
    if (path !== undefined && typeof path !== 'string') throw new ControlError(400, 'match.path must be a string.');
    match = {};
    if (method) match.method = method.toUpperCase();
    if (path) match.path = path;
  }
  return { rate, kinds: [...kinds], seed, match, remaining: count as number | undefined, holdMs, random: seededRandom(seed) };
}

export function describeFaults(f: FaultConfig | null) {
  if (!f) return { rate: 0, kinds: [], seed: null };
  return { rate: f.rate, kinds: f.kinds, seed: f.seed, match: f.match ?? null, count: f.remaining ?? null, holdMs: f.holdMs };
}

/** Picks the fault (if any) for one REST request of the agreement. */
export function decideFault(a: Agreement, method: string, path: string): { kind: FaultKind; holdMs: number } | undefined {
  const f = a.faults;
  if (!f) return undefined;
  if (f.match?.method && f.match.method !== method) return undefined;
  if (f.match?.path && !path.toLowerCase().startsWith(f.match.path.toLowerCase())) return undefined;
  if (f.random() >= f.rate) return undefined;
  const kind = f.kinds[Math.floor(f.random() * f.kinds.length)]!;
  if (f.remaining !== undefined) {
    f.remaining--;
    if (f.remaining <= 0) a.faults = null;
  }
  return { kind, holdMs: f.holdMs };
}
