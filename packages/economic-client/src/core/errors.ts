/**
 * Error hierarchy (openai-node `APIError.generate` style).
 *
 * EconomicError
 *  ├─ EconomicApiError            e-conomic answered with a non-2xx status; carries its body
 *  │   ├─ EconomicBadRequestError (400)
 *  │   │   └─ EconomicValidationError (400 with field errors)
 *  │   ├─ EconomicAuthError (401) / EconomicForbiddenError (403)
 *  │   ├─ EconomicNotFoundError (404) / EconomicConflictError (409)
 *  │   ├─ EconomicRateLimitError (429, retryAfterMs)
 *  │   └─ EconomicServerError (5xx)
 *  ├─ EconomicConnectionError     no answer; safe to repeat (GET, or never sent)
 *  ├─ EconomicTimeoutError        no answer in time; safe to repeat (GET, or never sent)
 *  ├─ EconomicOutcomeUnknownError a write that may have reached e-conomic; look the document up
 *  └─ EconomicFilterError         a filter the builder refuses to produce
 *
 * No error ever holds the tokens: they travel in headers, which errors do not keep, and the request core
 * redacts them from any response text before it is parsed.
 */

/** The request an error belongs to. `url` is the full URL; the tokens are headers, never part of it. */
export interface RequestInfo {
  method: string;
  url: string;
}

/** One failed property, flattened from e-conomic's error document. */
export interface FieldError {
  /** Where the property sits in the request body, e.g. `lines[0].unitNetPrice` or `recipient.vatZone`. */
  path: string;
  code?: string;
  message: string;
  value?: unknown;
}

export class EconomicError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Thrown by the filter builder for a filter e-conomic would reject (e.g. `$in` with text or > 200 values). */
export class EconomicFilterError extends EconomicError {}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toFieldError(path: string, raw: unknown): FieldError {
  const e = isObject(raw) ? raw : {};
  const field: FieldError = {
    path: path || str(e.propertyName) || '',
    message: str(e.errorMessage) ?? str(e.message) ?? 'Invalid value.',
  };
  const code = str(e.errorCode) ?? str(e.code);
  if (code) field.code = code;
  if ('inputValue' in e) field.value = e.inputValue;
  else if ('value' in e) field.value = e.value;
  return field;
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

function walk(node: unknown, path: string, out: FieldError[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, position) => {
      if (!isObject(item)) return;
      const index = typeof item.arrayIndex === 'number' ? item.arrayIndex : position;
      for (const [key, value] of Object.entries(item)) {
        if (key !== 'arrayIndex') walk(value, join(`${path}[${index}]`, key), out);
      }
    });
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'errors' && Array.isArray(value)) {
      for (const raw of value) out.push(toFieldError(path, raw));
    } else if (typeof value === 'object' && value !== null) {
      walk(value, join(path, key), out);
    }
  }
}

/**
 * Flattens e-conomic's `errors` document into a list. Both shapes are understood: the 2015 one
 * (`{message, value, errorCode}`) and the newer one (`{propertyName, errorMessage, errorCode, inputValue}`);
 * array items carry `arrayIndex`, so `lines: [{arrayIndex: 0, unitNetPrice: {errors: [...]}}]`
 * becomes the path `lines[0].unitNetPrice`.
 */
export function parseFieldErrors(errors: unknown): FieldError[] {
  const out: FieldError[] = [];
  if (Array.isArray(errors) && errors.every((e) => isObject(e) && !('arrayIndex' in e))) {
    for (const raw of errors) out.push(toFieldError('', raw));
    return out;
  }
  walk(errors, '', out);
  return out;
}

function requestLabel(request: RequestInfo): string {
  let path = request.url;
  try {
    path = new URL(request.url).pathname;
  } catch {
    // keep the URL as given
  }
  return `${request.method} ${path}`;
}

export interface ApiErrorInit {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  request: RequestInfo;
}

export class EconomicApiError extends EconomicError {
  readonly status: number;
  readonly errorCode?: string;
  readonly developerHint?: string;
  readonly logId?: string;
  readonly logTime?: string;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly request: RequestInfo;
  readonly fieldErrors: FieldError[];

  constructor(init: ApiErrorInit) {
    const body = isObject(init.body) ? init.body : {};
    const fieldErrors = parseFieldErrors(body.errors);
    const summary = str(body.message) ?? (typeof init.body === 'string' && init.body.trim() ? init.body.trim().slice(0, 200) : undefined);
    const details = fieldErrors
      .slice(0, 5)
      .map((f) => `${f.path || '(body)'}: ${f.message}${f.code ? ` [${f.code}]` : ''}`)
      .join('; ');
    const more = fieldErrors.length > 5 ? ` (+${fieldErrors.length - 5} more)` : '';
    super(
      `${init.status} ${summary ?? 'e-conomic returned an error.'}${details ? ` ${details}${more}` : ''} (${requestLabel(init.request)})`,
    );
    this.status = init.status;
    const errorCode = str(body.errorCode);
    if (errorCode) this.errorCode = errorCode;
    const developerHint = str(body.developerHint);
    if (developerHint) this.developerHint = developerHint;
    const logId = str(body.logId);
    if (logId) this.logId = logId;
    const logTime = str(body.logTime);
    if (logTime) this.logTime = logTime;
    this.body = init.body;
    this.headers = init.headers;
    this.request = init.request;
    this.fieldErrors = fieldErrors;
  }

  /** Picks the subclass for a status, like openai-node's `APIError.generate`. */
  static generate(init: ApiErrorInit): EconomicApiError {
    const { status } = init;
    if (status === 400) {
      const errors = isObject(init.body) ? init.body.errors : undefined;
      return parseFieldErrors(errors).length > 0 ? new EconomicValidationError(init) : new EconomicBadRequestError(init);
    }
    if (status === 401) return new EconomicAuthError(init);
    if (status === 403) return new EconomicForbiddenError(init);
    if (status === 404) return new EconomicNotFoundError(init);
    if (status === 409) return new EconomicConflictError(init);
    if (status === 429) return new EconomicRateLimitError(init, parseRetryAfterHeader(init.headers['retry-after']));
    if (status >= 500) return new EconomicServerError(init);
    return new EconomicApiError(init);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      errorCode: this.errorCode,
      developerHint: this.developerHint,
      logId: this.logId,
      logTime: this.logTime,
      request: this.request,
      fieldErrors: this.fieldErrors,
      body: this.body,
    };
  }
}

export class EconomicBadRequestError extends EconomicApiError {}
export class EconomicValidationError extends EconomicBadRequestError {}
export class EconomicAuthError extends EconomicApiError {}
export class EconomicForbiddenError extends EconomicApiError {}
export class EconomicNotFoundError extends EconomicApiError {}
export class EconomicConflictError extends EconomicApiError {}
export class EconomicServerError extends EconomicApiError {}

export class EconomicRateLimitError extends EconomicApiError {
  /** From the `Retry-After` header (seconds or an HTTP date), when e-conomic sent one. */
  readonly retryAfterMs?: number;

  constructor(init: ApiErrorInit, retryAfterMs?: number) {
    super(init);
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfterHeader(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** No answer arrived, and repeating the request is safe (a GET, or a request that was never sent). */
export class EconomicConnectionError extends EconomicError {
  readonly request: RequestInfo;
  /** The system error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`. */
  readonly code?: string;

  constructor(request: RequestInfo, code: string | undefined, cause: unknown) {
    super(`Could not reach e-conomic${code ? ` (${code})` : ''} (${requestLabel(request)})`, { cause });
    this.request = request;
    if (code) this.code = code;
  }
}

/** No answer arrived within the time limit, and repeating the request is safe. */
export class EconomicTimeoutError extends EconomicError {
  readonly request: RequestInfo;
  readonly timeoutMs: number;

  constructor(request: RequestInfo, timeoutMs: number, cause?: unknown) {
    super(`e-conomic did not answer within ${timeoutMs} ms (${requestLabel(request)})`, { cause });
    this.request = request;
    this.timeoutMs = timeoutMs;
  }
}

export type OutcomeUnknownReason = 'timeout' | 'connection-lost' | 'server-error' | 'unreadable-answer';

/**
 * A request that is not safe to repeat (POST, or PUT/DELETE not marked idempotent) may have reached
 * e-conomic, but no usable answer came back: a timeout after sending, the connection closing before the
 * answer, or a 5xx. The client never repeats it; look the document up (e.g. by `references.other`) to
 * learn whether it was created. `cause` is the underlying failure (an `EconomicServerError` for a 5xx).
 */
export class EconomicOutcomeUnknownError extends EconomicError {
  readonly request: RequestInfo;
  readonly reason: OutcomeUnknownReason;

  constructor(request: RequestInfo, reason: OutcomeUnknownReason, cause: unknown) {
    const what = {
      timeout: 'no answer arrived in time',
      'connection-lost': 'the connection closed before the answer',
      'server-error': `e-conomic answered ${cause instanceof EconomicApiError ? cause.status : 'with a server error'}`,
      'unreadable-answer': 'e-conomic accepted it but its answer could not be read',
    }[reason];
    super(
      `${requestLabel(request)} may or may not have been carried out: ${what}. It was not repeated; look the document up before trying again.`,
      { cause },
    );
    this.request = request;
    this.reason = reason;
  }
}

/** True when `err` is an API error whose top-level or field error code is `code` (e.g. `E06010`). */
export function hasFieldError(err: unknown, code: string): boolean {
  if (!(err instanceof EconomicApiError)) return false;
  return err.errorCode === code || err.fieldErrors.some((f) => f.code === code);
}
