import type { InvoicingEnv } from '../../config/env';
import { backoffFor, Failure } from '../economic/invoicing-errors';

export interface RetryPolicy {
  /** Retryable failures are retried this long after the first, then parked. */
  giveUpMs: number;
  /** After a write whose outcome is unknown, wait this long before looking the document up. */
  uncertainLookupDelayMs: number;
}

export const retryPolicy = (env: InvoicingEnv): RetryPolicy => ({
  giveUpMs: env.INVOICING_GIVE_UP_HOURS * 3_600_000,
  uncertainLookupDelayMs: env.INVOICING_UNCERTAIN_LOOKUP_DELAY_MS,
});

export interface FailureOutcome {
  status: 'failed' | 'parked' | 'waiting_for_connection';
  /** When to run again (failed only). */
  delayMs: number | null;
  /** Entered failed/parked just now (announce it once, not per attempt). */
  transition: boolean;
  code: string;
  message: string;
  retryable: boolean;
}

/**
 * What a failure does to a transfer, credit note or payment: retryable ones back off (2 s, 10 s, 1 min,
 * 5 min, 15 min, then hourly) until `giveUpMs` after the first failure, then park with the last reason;
 * permanent ones park at once; a rejected grant waits for the shop to be connected again.
 */
export function decideFailure(row: { status: string; firstFailedAt: Date | null }, failure: Failure, consecutiveFailures: number, policy: RetryPolicy, now = Date.now()): FailureOutcome {
  const { giveUpMs } = policy;
  if (failure.disposition === 'reconnect') {
    return { status: 'waiting_for_connection', delayMs: null, transition: false, code: failure.code, message: failure.message, retryable: true };
  }
  if (failure.disposition === 'park') {
    return { status: 'parked', delayMs: null, transition: row.status !== 'parked', code: failure.code, message: failure.message, retryable: false };
  }
  const firstFailed = row.firstFailedAt?.getTime() ?? now;
  if (now - firstFailed >= giveUpMs) {
    const hours = Math.round(giveUpMs / 3_600_000);
    return {
      status: 'parked',
      delayMs: null,
      transition: row.status !== 'parked',
      code: failure.code,
      message: `gave up after retrying for ${hours} hour${hours === 1 ? '' : 's'}: ${failure.message}. Fix the cause, then retry the transfer.`,
      retryable: false,
    };
  }
  return { status: 'failed', delayMs: backoffFor(consecutiveFailures, failure, policy.uncertainLookupDelayMs), transition: row.status !== 'failed', code: failure.code, message: failure.message, retryable: true };
}

/** The columns a failure writes on its transfer, credit note or payment row (same names in all three). */
export function failurePatch(outcome: FailureOutcome, economicCalls: number, clearIntent: boolean) {
  return {
    status: outcome.status,
    lastErrorCode: outcome.code,
    lastErrorMessage: outcome.message,
    nextAttemptAt: outcome.delayMs === null ? null : () => `now() + ${Math.round(outcome.delayMs!)} * interval '1 millisecond'`,
    firstFailedAt: outcome.status === 'failed' ? () => 'COALESCE(first_failed_at, now())' : null,
    attempts: () => 'attempts + 1',
    economicCalls: () => `economic_calls + ${economicCalls}`,
    ...(clearIntent ? { intent: null, intentAt: null } : {}),
    updatedAt: () => 'now()',
  };
}

/** The job metric's outcome label for a failure. */
export const failureMetric = (status: FailureOutcome['status']): 'retry' | 'parked' | 'waiting' =>
  status === 'failed' ? 'retry' : status === 'parked' ? 'parked' : 'waiting';
