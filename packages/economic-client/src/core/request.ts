/**
 * The one request function every resource goes through: headers, JSON, per-attempt timeout, the
 * agreement's request budget, retries (see retry.ts) and the mapping of failures to errors.
 */
import type { RequestBudget } from './budget';
import {
  EconomicApiError,
  EconomicConnectionError,
  EconomicError,
  EconomicOutcomeUnknownError,
  EconomicRateLimitError,
  EconomicServerError,
  EconomicTimeoutError,
  type RequestInfo,
} from './errors';
import { backoffDelayMs, classifyNetworkError, MAX_RETRY_AFTER_MS, sleep } from './retry';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** Per-call options, accepted as the last argument of every resource method. */
export interface RequestOptions {
  /** Allows retries of a write after failures that may have reached e-conomic (only if repeating it is harmless). */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for each attempt of this call. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
}

export interface RequestParams extends RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export interface ApiResponse<T> {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body; undefined for 204 or an empty body. */
  data: T;
  /** The `Location` header of a 201. */
  location?: string;
  request: RequestInfo;
}

export type RequestOutcome = 'ok' | 'http-error' | 'network-error' | 'timeout' | 'rate-limited';

/** Reported after every attempt, for metrics and logs. Never holds tokens or bodies. */
export interface RequestEvent {
  method: string;
  /** Path without the query string. */
  path: string;
  status?: number;
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
  outcome: RequestOutcome;
  /** e-conomic's `errorCode`, or the system error code (`ECONNRESET`, …), or `TIMEOUT`. */
  errorCode?: string;
}

export interface ClientStats {
  /** Attempts made, retries included. */
  requests: number;
  byStatusClass: { '2xx': number; '3xx': number; '4xx': number; '5xx': number; none: number };
  retries: number;
  rateLimited: number;
  networkErrors: number;
  timeouts: number;
  totalMs: number;
}

export interface RequestCoreOptions {
  appSecretToken: string;
  agreementGrantToken: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  budget: RequestBudget | undefined;
  fetch: typeof fetch;
  onRequest: ((event: RequestEvent) => void) | undefined;
  userAgent: string;
}

type Attempt =
  | { kind: 'response'; status: number; headers: Record<string, string>; text: string }
  | { kind: 'failure'; error: unknown; timedOut: boolean };

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export class RequestCore {
  readonly baseUrl: string;
  readonly budget: RequestBudget | undefined;
  #headers: Record<string, string>;
  #secrets: string[];
  #timeoutMs: number;
  #maxRetries: number;
  #fetch: typeof fetch;
  #onRequest: ((event: RequestEvent) => void) | undefined;
  #stats: ClientStats = {
    requests: 0,
    byStatusClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, none: 0 },
    retries: 0,
    rateLimited: 0,
    networkErrors: 0,
    timeouts: 0,
    totalMs: 0,
  };

  constructor(options: RequestCoreOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.budget = options.budget;
    this.#headers = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-AppSecretToken': options.appSecretToken,
      'X-AgreementGrantToken': options.agreementGrantToken,
      'User-Agent': options.userAgent,
    };
    this.#secrets = [options.appSecretToken, options.agreementGrantToken].filter((s) => s.length >= 4);
    this.#timeoutMs = options.timeoutMs;
    this.#maxRetries = options.maxRetries;
    this.#fetch = options.fetch;
    this.#onRequest = options.onRequest;
  }

  get stats(): ClientStats {
    return { ...this.#stats, byStatusClass: { ...this.#stats.byStatusClass } };
  }

  async request<T>(method: HttpMethod, path: string, params: RequestParams = {}): Promise<ApiResponse<T>> {
    const url = this.baseUrl + path + buildQuery(params.query);
    const request: RequestInfo = { method, url };
    const safe = SAFE_METHODS.has(method) || params.idempotent === true;
    const timeoutMs = params.timeoutMs ?? this.#timeoutMs;
    const maxRetries = params.maxRetries ?? this.#maxRetries;
    const body = params.body === undefined ? undefined : JSON.stringify(params.body);

    for (let attempt = 1; ; attempt++) {
      if (this.budget) await this.budget.acquire(params.signal);
      const started = performance.now();
      const result = await this.#attempt(method, url, body, timeoutMs, params.signal);
      const durationMs = Math.round(performance.now() - started);

      let error: EconomicError;
      let waitMs: number | undefined;

      if (result.kind === 'response') {
        const data = parseBody(result.text);
        if (result.status >= 200 && result.status < 300) {
          if (data.ok === false) {
            this.#record({ method, path, status: result.status, durationMs, attempt, outcome: 'http-error', errorCode: 'INVALID_JSON' });
            const invalid = new EconomicError(`e-conomic answered ${result.status} with a body that is not JSON (${method} ${path})`);
            throw safe ? invalid : new EconomicOutcomeUnknownError(request, 'unreadable-answer', invalid);
          }
          this.#record({ method, path, status: result.status, durationMs, attempt, outcome: 'ok' });
          const response: ApiResponse<T> = { status: result.status, headers: result.headers, data: data.value as T, request };
          if (result.headers.location) response.location = result.headers.location;
          return response;
        }
        const apiError = EconomicApiError.generate({ status: result.status, body: data.value, headers: result.headers, request });
        const rateLimited = apiError instanceof EconomicRateLimitError;
        this.#record({
          method,
          path,
          status: result.status,
          durationMs,
          attempt,
          outcome: rateLimited ? 'rate-limited' : 'http-error',
          ...(apiError.errorCode ? { errorCode: apiError.errorCode } : {}),
        });
        if (apiError instanceof EconomicRateLimitError) {
          // e-conomic did not process it, so even a POST may be repeated. Everyone on this agreement waits.
          waitMs = apiError.retryAfterMs ?? backoffDelayMs(attempt);
          this.budget?.pause(Math.min(waitMs, MAX_RETRY_AFTER_MS));
          error = apiError;
        } else if (apiError instanceof EconomicServerError) {
          if (!safe) throw new EconomicOutcomeUnknownError(request, 'server-error', apiError);
          error = apiError;
        } else {
          throw apiError;
        }
      } else {
        const { code, notSent } = classifyNetworkError(result.error);
        const timedOut = result.timedOut || code === 'UND_ERR_CONNECT_TIMEOUT';
        this.#record({
          method,
          path,
          durationMs,
          attempt,
          outcome: timedOut ? 'timeout' : 'network-error',
          errorCode: timedOut ? 'TIMEOUT' : (code ?? 'NETWORK'),
        });
        if (!safe && !notSent) {
          throw new EconomicOutcomeUnknownError(request, timedOut ? 'timeout' : 'connection-lost', result.error);
        }
        error = timedOut
          ? new EconomicTimeoutError(request, timeoutMs, result.error)
          : new EconomicConnectionError(request, code, result.error);
      }

      // Only retryable failures reach this point.
      if (attempt > maxRetries) throw error;
      const delay = waitMs ?? backoffDelayMs(attempt);
      if (delay > MAX_RETRY_AFTER_MS) throw error;
      this.#stats.retries += 1;
      await sleep(delay, params.signal);
    }
  }

  async #attempt(method: string, url: string, body: string | undefined, timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) controller.abort(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const init: RequestInit = { method, headers: this.#headers, signal: controller.signal, redirect: 'manual' };
      if (body !== undefined) init.body = body;
      const res = await this.#fetch(url, init);
      const text = await res.text();
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      return { kind: 'response', status: res.status, headers, text: this.#redact(text) };
    } catch (error) {
      if (signal?.aborted && !timedOut) throw signal.reason;
      return { kind: 'failure', error, timedOut };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  }

  #record(event: RequestEvent): void {
    const stats = this.#stats;
    stats.requests += 1;
    stats.totalMs += event.durationMs;
    if (event.status === undefined) stats.byStatusClass.none += 1;
    else {
      const statusClass = `${Math.floor(event.status / 100)}xx`;
      if (statusClass in stats.byStatusClass) stats.byStatusClass[statusClass as '2xx'] += 1;
    }
    if (event.outcome === 'rate-limited') stats.rateLimited += 1;
    if (event.outcome === 'network-error') stats.networkErrors += 1;
    if (event.outcome === 'timeout') stats.timeouts += 1;
    if (this.#onRequest) {
      try {
        this.#onRequest(event);
      } catch {
        // a failing metrics hook must not fail the request
      }
    }
  }

  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RequestCore { baseUrl: '${this.baseUrl}' }`;
  }
}

function parseBody(text: string): { ok: boolean; value: unknown } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: text };
  }
}

function buildQuery(query: RequestParams['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
