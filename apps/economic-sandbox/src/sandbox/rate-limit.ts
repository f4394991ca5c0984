import { isRecord } from '../core/validation';
import type { RateLimit } from '../state/types';
import { ControlError } from './control-error';

/** Validates a `PUT /__sandbox/rate-limit` body; `null` turns the limit off. */
export function parseRateLimit(body: unknown, now = Date.now()): RateLimit | null {
  if (body === null) return null;
  if (!isRecord(body)) throw new ControlError(400, 'The body must be {burst, refillPerSecond} or null.');
  const { burst, refillPerSecond } = body;
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) throw new ControlError(400, 'burst must be a positive integer.');
  if (typeof refillPerSecond !== 'number' || !(refillPerSecond > 0)) throw new ControlError(400, 'refillPerSecond must be a positive number.');
  return { burst, refillPerSecond, tokens: burst, updatedAt: now };
}

/**
 * Takes one token from the bucket. Returns undefined when the request may proceed, or the number
 * of whole seconds to wait (for Retry-After) when the bucket is empty.
 */
export function takeToken(rl: RateLimit, now = Date.now()): number | undefined {
  const elapsed = Math.max(0, now - rl.updatedAt) / 1000;
  rl.tokens = Math.min(rl.burst, rl.tokens + elapsed * rl.refillPerSecond);
  rl.updatedAt = now;
  if (rl.tokens >= 1) {
    rl.tokens -= 1;
    return undefined;
  }
  return Math.max(1, Math.ceil((1 - rl.tokens) / rl.refillPerSecond));
}
