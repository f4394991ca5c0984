import type { FieldError } from '@bogholder/contracts';
import {
  EconomicApiError, EconomicAuthError, EconomicConnectionError, EconomicForbiddenError, EconomicNotFoundError, EconomicRateLimitError,
  EconomicServerError, EconomicTimeoutError,
} from '@bogholder/economic-client';
import { BogholderError, PermanentError, RetryableError } from '@bogholder/messaging';

/** A request/reply call with missing or invalid fields (the gateway answers 400 naming them). */
export class InvalidRequestError extends PermanentError {
  constructor(errors: FieldError[]) {
    super('invalid_request', `invalid request: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { status: 400, details: errors });
  }
}

export class DeliveryNotFoundError extends PermanentError {
  constructor(shopId: string, deliveryId: string) {
    super('delivery_not_found', `shop ${shopId} has no delivery ${deliveryId}: list them with GET …/deliveries`, { status: 404 });
  }
}

/** e-conomic could not be read right now (down, slow, rate limited): the work is tried again later. */
export class EconomicUnavailableError extends RetryableError {}

/** e-conomic refused the read in a way that needs a person (token revoked, role too small, …). */
export class EconomicRefusedError extends PermanentError {}

/** The agreement cannot report stock because its inventory module (Lager) is off. */
export class NoInventoryModuleError extends PermanentError {
  constructor(agreementNumber: number | null) {
    super(
      'no_inventory_module',
      `the e-conomic agreement${agreementNumber ? ` ${agreementNumber}` : ''} has no inventory module (Lager), so stock cannot be read: turn the module on in e-conomic or switch stockSync off`,
    );
  }
}

/** Turns an e-conomic client error into one of ours, with a message that says what to do. */
export function fromEconomicError(err: unknown, what: string): BogholderError {
  if (err instanceof BogholderError) return err;
  if (err instanceof EconomicAuthError) {
    return new EconomicRefusedError('economic_unauthorized',
      `e-conomic refused the grant token while ${what} (the app was removed from the agreement or the token was revoked): connect the shop to e-conomic again`, { cause: err });
  }
  if (err instanceof EconomicForbiddenError) {
    return new EconomicRefusedError('economic_forbidden',
      `e-conomic does not let this app read products while ${what} (403): the app needs a role that may read products and product groups, e.g. SuperUser`, { cause: err });
  }
  if (err instanceof EconomicRateLimitError) {
    return new EconomicUnavailableError('economic_rate_limited', `e-conomic's request limit was reached while ${what}; will try again`, { cause: err, retryAfterMs: err.retryAfterMs });
  }
  if (err instanceof EconomicServerError || err instanceof EconomicConnectionError || err instanceof EconomicTimeoutError) {
    return new EconomicUnavailableError('economic_unavailable', `e-conomic did not answer properly while ${what} (${err.message}); will try again`, { cause: err });
  }
  if (err instanceof EconomicNotFoundError) {
    return new EconomicRefusedError('economic_not_found', `e-conomic answered 404 while ${what}`, { cause: err });
  }
  if (err instanceof EconomicApiError) {
    return new EconomicRefusedError('economic_error', `e-conomic answered ${err.status} while ${what}: ${err.message}`, { cause: err });
  }
  return new EconomicUnavailableError('internal_error', `${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
