/**
 * Retry rules.
 *
 * - A safe call (GET, or any call marked `{ idempotent: true }`) is repeated on connection errors,
 *   timeouts, 429 and 5xx.
 * - Any other call is repeated only when it provably never reached e-conomic: a 429 answer (e-conomic did
 *   not process it) or a connection that failed before a byte was sent (refused, DNS, connect timeout).
 *   Every other failure surfaces as `EconomicOutcomeUnknownError` (or the typed 4xx error).
 * - Waits grow exponentially with jitter (250 ms base, 10 s cap); a `Retry-After` answer is honoured.
 */
import {
  EconomicConnectionError,
  EconomicRateLimitError,
  EconomicServerError,
  EconomicTimeoutError,
} from './errors';

export const RETRY_BASE_DELAY_MS = 250;
export const RETRY_MAX_DELAY_MS = 10_000;
/** A `Retry-After` longer than this is not waited for: the error is thrown for the caller to schedule. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The wait before retry number `retry` (1 for the first retry): the exponential step
 * `min(cap, base * 2^(retry-1))`, jittered into its upper half `[step/2, step]`.
 */
export function backoffDelayMs(retry: number, random: () => number = Math.random): number {
  const step = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Codes of failures that happen before any byte of the request is written. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const nested = (err as { errors?: unknown }).errors;
  return Array.isArray(nested) ? codeOf(nested[0]) : undefined;
}

/**
 * Reads the system error code out of a failed `fetch` (undici wraps it as `TypeError('fetch failed',
 * { cause })`, sometimes with an AggregateError inside) and tells whether the request was never sent.
 */
export function classifyNetworkError(err: unknown): { code?: string; notSent: boolean } {
  let code = codeOf(err);
  if (!code && typeof err === 'object' && err !== null && 'cause' in err) code = codeOf((err as { cause: unknown }).cause);
  return code ? { code, notSent: NOT_SENT_CODES.has(code) } : { notSent: false };
}

/**
 * True for errors worth repeating later: 429, 5xx on safe calls, and connection failures or timeouts
 * that the client classified as safe to repeat. `EconomicOutcomeUnknownError` is never retryable.
 */
export function isRetryable(err: unknown): boolean {
  return (
    err instanceof EconomicRateLimitError ||
    err instanceof EconomicServerError ||
    err instanceof EconomicConnectionError ||
    err instanceof EconomicTimeoutError
  );
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
