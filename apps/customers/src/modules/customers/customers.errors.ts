import { CustomerErrorCodes, FieldError } from '@bogholder/contracts';
import {
  EconomicApiError, EconomicAuthError, EconomicConnectionError, EconomicForbiddenError, EconomicOutcomeUnknownError,
  EconomicRateLimitError, EconomicServerError, EconomicTimeoutError,
} from '@bogholder/economic-client';
import { BogholderError, PermanentError, RetryableError } from '@bogholder/messaging';

/**
 * Typed errors of the customers service. Permanent ones mean "a person must fix something" (the
 * caller parks the order with the message); retryable ones mean "try again later".
 */

export class InvalidRequestError extends PermanentError {
  constructor(errors: FieldError[]) {
    super(CustomerErrorCodes.InvalidRequest, `the request is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { status: 400, details: errors });
  }
}

export class CustomerNumberInvalidError extends PermanentError {
  constructor(value: unknown) {
    const shown = value === undefined ? 'no customer number' : `customer number ${JSON.stringify(value)}`;
    super(
      CustomerErrorCodes.CustomerNumberInvalid,
      `the order's customer has ${shown}, but customer numbers must be numeric with at most 8 digits (1–99999999) when customerNumbering is "shop": ` +
        `give the customer a numeric number in the shop, or set customerNumbering to "sequence" in the settings`,
      { status: 422, details: [{ field: 'customer.number', message: 'customer numbers must be numeric with at most 8 digits (1–99999999)' }] },
    );
  }
}

export class CustomerNumberTakenError extends PermanentError {
  constructor(customerNumber: number, existing: { name?: string; email?: string }) {
    const who = [existing.name && `"${existing.name}"`, existing.email && `<${existing.email}>`].filter(Boolean).join(' ');
    super(
      CustomerErrorCodes.CustomerNumberTaken,
      `customer number ${customerNumber} is already used in e-conomic by another customer${who ? ` (${who})` : ''}: ` +
        `give this customer another number in the shop, or, if it is the same customer, put the shop's e-mail address on customer ${customerNumber} in e-conomic so it is recognised`,
      { status: 422 },
    );
  }
}

export class CustomerGroupMissingError extends PermanentError {
  constructor(group: number) {
    super(
      CustomerErrorCodes.CustomerGroupMissing,
      `customer group ${group} does not exist in e-conomic: create it under Sales → Customers → Customer groups with account 5600 (Debitorer), ` +
        `or choose another customerGroupNumber in the settings`,
      { status: 422, details: [{ field: 'customerGroupNumber', message: `customer group ${group} does not exist in e-conomic` }] },
    );
  }
}

export class CustomerCreationDisabledError extends PermanentError {
  constructor(what: string) {
    super(CustomerErrorCodes.CustomerCreationDisabled, what, { status: 422 });
  }
}

export class ContactNameMissingError extends PermanentError {
  constructor() {
    super(
      CustomerErrorCodes.ContactNameMissing,
      `Reference contact must be provided: the invoice needs a reference contact ("Deres reference") but the order's customer has no eanContactName; ` +
        `add the name of the person at the customer who receives the invoice in the shop`,
      { status: 422, details: [{ field: 'customer.eanContactName', message: 'Reference contact must be provided' }] },
    );
  }
}

export class ShopNotConnectedError extends RetryableError {
  constructor(shopId: string) {
    super(
      CustomerErrorCodes.ShopNotConnected,
      `shop ${shopId} is not connected to e-conomic (or its connection has not reached the customers service yet): connect the shop to e-conomic`,
      { status: 503 },
    );
  }
}

export class EconomicUnavailableError extends RetryableError {
  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(CustomerErrorCodes.EconomicUnavailable, message, { status: 503, ...options });
  }
}

export class EconomicTokenRejectedError extends PermanentError {
  constructor(cause?: unknown) {
    super(CustomerErrorCodes.EconomicTokenRejected, 'the e-conomic grant was revoked; reconnect the shop to e-conomic', { status: 422, cause });
  }
}

export class EconomicRejectedError extends PermanentError {
  constructor(message: string, errors: FieldError[] = [], cause?: unknown) {
    super(CustomerErrorCodes.EconomicRejected, message, { status: 422, details: errors, cause });
  }
}

export class CustomerBusyError extends RetryableError {
  constructor(waitedMs: number) {
    super(CustomerErrorCodes.CustomerBusy, `another request for the same customer has been working on it for ${Math.round(waitedMs / 1000)} s; try again shortly`, { status: 503 });
  }
}

/** Maps anything an e-conomic call throws to a typed error the caller can act on. */
export function toCustomerError(err: unknown): unknown {
  if (err instanceof BogholderError) return err;
  if (err instanceof EconomicAuthError) return new EconomicTokenRejectedError(err);
  if (err instanceof EconomicRateLimitError) {
    return new EconomicUnavailableError(`e-conomic is rate limiting this agreement (429); try again later`, { retryAfterMs: err.retryAfterMs, cause: err });
  }
  if (err instanceof EconomicServerError) return new EconomicUnavailableError(`e-conomic answered ${err.status}; try again later`, { cause: err });
  if (err instanceof EconomicConnectionError || err instanceof EconomicTimeoutError) {
    return new EconomicUnavailableError(`e-conomic could not be reached: ${err.message}`, { cause: err });
  }
  if (err instanceof EconomicOutcomeUnknownError) {
    return new EconomicUnavailableError(`${err.message}`, { cause: err });
  }
  if (err instanceof EconomicForbiddenError) {
    return new EconomicRejectedError(`e-conomic refused access (403): the app's role does not allow ${err.request.method} ${pathOf(err.request.url)}; install the app with a role that may manage customers`, [], err);
  }
  if (err instanceof EconomicApiError) {
    const errors = err.fieldErrors.map((f) => ({ field: f.path || '(body)', message: `${f.message}${f.code ? ` [${f.code}]` : ''}${hintFor(f.path)}` }));
    const detail = errors.length ? errors.map((e) => `${e.field}: ${e.message}`).join('; ') : err.message;
    return new EconomicRejectedError(`e-conomic rejected ${err.request.method} ${pathOf(err.request.url)} (${err.status}): ${detail}`, errors, err);
  }
  return err;
}

/** What the admin can do about a field e-conomic refused in a customer we wrote. */
const HINTS: [RegExp, string][] = [
  [/^vatZone/, ' (check vatZones in the settings: each must be a VAT zone number that exists in e-conomic)'],
  [/^paymentTerms/, ' (check paymentTermsNumber in the settings)'],
  [/^customerGroup/, ' (check customerGroupNumber in the settings)'],
  [/^currency/, " (the order's currency must exist in e-conomic)"],
];

function hintFor(path: string): string {
  return HINTS.find(([pattern]) => pattern.test(path))?.[1] ?? '';
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
