import {
  EconomicApiError, EconomicAuthError, EconomicConnectionError, EconomicForbiddenError, EconomicOutcomeUnknownError,
  EconomicRateLimitError, EconomicServerError, EconomicTimeoutError, type FieldError,
} from '@bogholder/economic-client';
import { BogholderError, PermanentError, RetryableError, RpcError, RpcUnavailableError } from '@bogholder/messaging';

/** Stable codes of the transfer log's `lastError.code` and of `invoice.failed`. */
export const InvoicingErrorCode = {
  ProductsMissing: 'products_missing',
  SkuTooLong: 'sku_too_long',
  TotalLineProductMissing: 'total_line_product_missing',
  ShippingProductMissing: 'shipping_product_missing',
  InvoiceNumberOutOfRange: 'invoice_number_out_of_range',
  InvoiceNumberTaken: 'invoice_number_taken',
  EanInvalid: 'ean_invalid',
  EanReferenceContactMissing: 'ean_reference_contact_missing',
  EanSettingsRequired: 'ean_settings_required',
  EanRejected: 'ean_rejected',
  TotalsMismatch: 'totals_mismatch',
  DraftDeleted: 'draft_deleted',
  EconomicRejected: 'economic_rejected',
  EconomicForbidden: 'economic_forbidden',
  EconomicGrantRejected: 'economic_grant_rejected',
  EconomicUnavailable: 'economic_unavailable',
  EconomicRateLimited: 'economic_rate_limited',
  EconomicOutcomeUnknown: 'economic_outcome_unknown',
  CustomerContactMissing: 'customer_contact_missing',
  UpdateIgnored: 'update_ignored_already_booked',
  TransferNotFound: 'transfer_not_found',
  AlreadyBooked: 'already_booked',
  GaveUp: 'gave_up',
  Internal: 'internal_error',
} as const;

/** A reason to stop and ask a human: the message says exactly what to fix. */
export class ParkError extends PermanentError {
  constructor(code: string, message: string, options: { status?: number; details?: unknown } = {}) {
    super(code, message, { status: options.status ?? 422, details: options.details });
  }
}

/** Something that will likely work later (e-conomic down, rate limited, outcome to be looked up). */
export class RetryLaterError extends RetryableError {}

/** e-conomic rejected the grant token (401): the transfer waits for the shop to be connected again. */
export class GrantRejectedError extends BogholderError {
  constructor(detail: string) {
    super(
      InvoicingErrorCode.EconomicGrantRejected,
      `e-conomic rejected the shop's grant token (401: ${detail}). The app was removed from the agreement or the grant was revoked: ` +
        'connect the shop to e-conomic again; waiting transfers resume by themselves once it is connected.',
      true,
    );
  }
}

export type FailureDisposition = 'retry' | 'park' | 'reconnect';

export interface Failure {
  disposition: FailureDisposition;
  code: string;
  message: string;
  retryAfterMs?: number;
  /** The write's outcome is unknown: the next attempt looks the document up first (and soon). */
  outcomeUnknown?: boolean;
}

/** Joins e-conomic's field errors into one readable sentence, naming each field. */
export function describeFieldErrors(fieldErrors: FieldError[], label: (path: string) => string = (p) => p): string {
  return fieldErrors
    .slice(0, 8)
    .map((f) => `${label(f.path) || '(request)'}: ${f.message.replace(/\.$/, '')}${f.code ? ` [${f.code}]` : ''}`)
    .join('; ');
}

/** Decides what a failure means for a transfer: retry with backoff, park for a human, or wait for a new grant. */
export function classifyFailure(err: unknown): Failure {
  if (err instanceof GrantRejectedError) return { disposition: 'reconnect', code: err.code, message: err.message };
  if (err instanceof RpcError) {
    if (err.code === 'economic_token_rejected') return { disposition: 'reconnect', code: InvoicingErrorCode.EconomicGrantRejected, message: new GrantRejectedError(err.message).message };
    return { disposition: err.retryable ? 'retry' : 'park', code: err.code, message: err.message, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof RpcUnavailableError) {
    return { disposition: 'retry', code: err.code, message: `the customers service did not answer (${err.message}); retrying` };
  }
  if (err instanceof BogholderError) {
    return { disposition: err.retryable ? 'retry' : 'park', code: err.code, message: err.message, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof EconomicAuthError) return classifyFailure(new GrantRejectedError(err.message));
  if (err instanceof EconomicForbiddenError) {
    return {
      disposition: 'park',
      code: InvoicingErrorCode.EconomicForbidden,
      message: `e-conomic refused access (403: ${err.message}). The app's role in e-conomic does not allow this; reconnect with an app that has the SuperUser or Sales role, then retry.`,
    };
  }
  if (err instanceof EconomicRateLimitError) {
    return { disposition: 'retry', code: InvoicingErrorCode.EconomicRateLimited, message: `e-conomic is rate limiting this agreement (429); retrying${err.retryAfterMs ? ` after ${Math.ceil(err.retryAfterMs / 1000)} s` : ''}`, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof EconomicOutcomeUnknownError) {
    return {
      disposition: 'retry',
      code: InvoicingErrorCode.EconomicOutcomeUnknown,
      message: `${err.message.replace(/ It was not repeated; look the document up before trying again\.$/, '')}. The next attempt looks the document up by its reference before writing again.`,
      outcomeUnknown: true,
    };
  }
  if (err instanceof EconomicServerError || err instanceof EconomicConnectionError || err instanceof EconomicTimeoutError) {
    return { disposition: 'retry', code: InvoicingErrorCode.EconomicUnavailable, message: `e-conomic is not available (${err.message}); retrying` };
  }
  if (err instanceof EconomicApiError) {
    const detail = err.fieldErrors.length ? describeFieldErrors(err.fieldErrors) : err.message;
    return { disposition: 'park', code: InvoicingErrorCode.EconomicRejected, message: `e-conomic refused the request (${err.status}): ${detail}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { disposition: 'retry', code: InvoicingErrorCode.Internal, message: `internal error: ${message}; retrying` };
}

/** Retry schedule: 2 s, 10 s, 1 min, 5 min, 15 min, then hourly. */
export const BACKOFF_MS = [2_000, 10_000, 60_000, 300_000, 900_000, 3_600_000];

export function backoffFor(consecutiveFailures: number, failure: Failure, uncertainLookupDelayMs: number): number {
  // An answer that never came may still be on its way inside e-conomic: look the document up only
  // after such a request can no longer commit, so the lookup's "not found" can be trusted.
  const base = failure.outcomeUnknown ? uncertainLookupDelayMs : BACKOFF_MS[Math.min(Math.max(consecutiveFailures, 1) - 1, BACKOFF_MS.length - 1)]!;
  return Math.max(base, failure.retryAfterMs ?? 0);
}

/** A write that failed with a definite answer from e-conomic (not an unknown outcome, not our own shutdown): nothing was written. */
export const definiteRefusal = (err: unknown, signal: AbortSignal): boolean => !(err instanceof EconomicOutcomeUnknownError) && !signal.aborted;

/** Calls e-conomic for a run; notes on the run whether a failure was a definite answer (nothing written). */
export async function attemptWrite<T>(run: { signal: AbortSignal; writeRefused: boolean }, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (definiteRefusal(err, run.signal)) run.writeRefused = true;
    throw err;
  }
}
