export { EconomicClient, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, type EconomicClientOptions } from './client';
export {
  EconomicError,
  EconomicApiError,
  EconomicBadRequestError,
  EconomicValidationError,
  EconomicAuthError,
  EconomicForbiddenError,
  EconomicNotFoundError,
  EconomicConflictError,
  EconomicRateLimitError,
  EconomicServerError,
  EconomicConnectionError,
  EconomicTimeoutError,
  EconomicOutcomeUnknownError,
  EconomicFilterError,
  hasFieldError,
  parseFieldErrors,
  parseRetryAfterHeader,
  type FieldError,
  type RequestInfo,
  type OutcomeUnknownReason,
} from './core/errors';
export { isRetryable, backoffDelayMs } from './core/retry';
export { RequestBudget, DEFAULT_BUDGET, agreementKey, type BudgetOptions } from './core/budget';
export { filter, Filter, escapeFilterValue, sortParam, type FilterValue } from './core/filter';
export { encodeId, decodeId } from './core/id-encoding';
export { PagedList, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, type Page } from './core/pagination';
export { responseMeta, type ListParams, type ResponseMeta } from './core/resource';
export type { ClientStats, HttpMethod, RequestEvent, RequestOptions, RequestOutcome, RequestParams } from './core/request';
export * from './resources/customers';
export * from './resources/products';
export * from './resources/reference-data';
export * from './resources/invoices';
export * from './resources/journals';
export * from './resources/self';
export * from './types';
