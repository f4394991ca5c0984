/**
 * Typed errors that steer delivery: a handler throws `RetryableError` to be tried again later (nak
 * with delay) and `PermanentError` when trying again cannot help (term + dead-letter row). Services
 * subclass them with their own codes; anything else thrown counts as retryable.
 */
export class BogholderError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly options: { status?: number; retryAfterMs?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }

  get status(): number | undefined {
    return this.options.status;
  }

  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
}

export class RetryableError extends BogholderError {
  constructor(code: string, message: string, options: { retryAfterMs?: number; status?: number; cause?: unknown; details?: unknown } = {}) {
    super(code, message, true, options);
  }
}

export class PermanentError extends BogholderError {
  constructor(code: string, message: string, options: { status?: number; cause?: unknown; details?: unknown } = {}) {
    super(code, message, false, options);
  }
}

export const isRetryableError = (err: unknown): boolean => !(err instanceof BogholderError) || err.retryable;

export function errorCode(err: unknown): string {
  return err instanceof BogholderError ? err.code : 'internal_error';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
