import { EconomicOutcomeUnknownError, EconomicRateLimitError } from '@bogholder/economic-client';
import { PermanentError, RpcError, RpcUnavailableError } from '@bogholder/messaging';
import { classifyFailure, Failure } from '../economic/invoicing-errors';
import { decideFailure } from './work-state';

const DAY = { giveUpMs: 24 * 3_600_000, uncertainLookupDelayMs: 60_000 };
const retry: Failure = { disposition: 'retry', code: 'economic_unavailable', message: 'e-conomic is not available (503); retrying' };

describe('what a failure does to a transfer', () => {
  it('backs off 2 s, 10 s, 1 min, 5 min, 15 min, then hourly, announcing only the first failure', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 20].map((n) => decideFailure({ status: 'failed', firstFailedAt: new Date() }, retry, n, DAY).delayMs);
    expect(delays).toEqual([2_000, 10_000, 60_000, 300_000, 900_000, 3_600_000, 3_600_000, 3_600_000]);
    expect(decideFailure({ status: 'in_progress', firstFailedAt: null }, retry, 1, DAY)).toMatchObject({ status: 'failed', transition: true, retryable: true });
    expect(decideFailure({ status: 'failed', firstFailedAt: new Date() }, retry, 2, DAY).transition).toBe(false);
  });

  it('honours Retry-After and looks an unknown outcome up once e-conomic can no longer commit it', () => {
    expect(decideFailure({ status: 'failed', firstFailedAt: null }, { ...retry, retryAfterMs: 45_000 }, 1, DAY).delayMs).toBe(45_000);
    expect(decideFailure({ status: 'failed', firstFailedAt: null }, { ...retry, outcomeUnknown: true }, 6, DAY).delayMs).toBe(60_000);
  });

  it('parks with the last reason once it has failed for the whole give-up period', () => {
    const now = Date.now();
    const outcome = decideFailure({ status: 'failed', firstFailedAt: new Date(now - DAY.giveUpMs - 1) }, retry, 30, DAY, now);
    expect(outcome).toMatchObject({ status: 'parked', transition: true, retryable: false, code: 'economic_unavailable' });
    expect(outcome.message).toBe('gave up after retrying for 24 hours: e-conomic is not available (503); retrying. Fix the cause, then retry the transfer.');
  });

  it('parks permanent failures at once and waits for a new grant on a 401', () => {
    expect(decideFailure({ status: 'in_progress', firstFailedAt: null }, { disposition: 'park', code: 'products_missing', message: 'm' }, 1, DAY)).toMatchObject({ status: 'parked', transition: true });
    expect(decideFailure({ status: 'parked', firstFailedAt: null }, { disposition: 'park', code: 'products_missing', message: 'm' }, 1, DAY).transition).toBe(false);
    expect(decideFailure({ status: 'in_progress', firstFailedAt: null }, { disposition: 'reconnect', code: 'economic_grant_rejected', message: 'm' }, 1, DAY).status).toBe('waiting_for_connection');
  });
});

describe('classifying errors', () => {
  const request = { method: 'POST', url: 'https://restapi.e-conomic.com/invoices/drafts' };

  it('retries what may work later and parks what needs a person', () => {
    expect(classifyFailure(new EconomicOutcomeUnknownError(request, 'timeout', null))).toMatchObject({ disposition: 'retry', code: 'economic_outcome_unknown', outcomeUnknown: true });
    expect(classifyFailure(new EconomicRateLimitError({ status: 429, body: {}, headers: {}, request }, 5000))).toMatchObject({ disposition: 'retry', retryAfterMs: 5000 });
    expect(classifyFailure(new RpcUnavailableError('rpc.customers.ensure', new Error('TIMEOUT')))).toMatchObject({ disposition: 'retry', code: 'service_unavailable' });
    expect(classifyFailure(new RpcError({ code: 'customer_group_missing', message: 'group', retryable: false }))).toEqual({ disposition: 'park', code: 'customer_group_missing', message: 'group', retryAfterMs: undefined });
    expect(classifyFailure(new RpcError({ code: 'economic_token_rejected', message: 'revoked', retryable: false }))).toMatchObject({ disposition: 'reconnect', code: 'economic_grant_rejected' });
    expect(classifyFailure(new PermanentError('x', 'y'))).toMatchObject({ disposition: 'park' });
    expect(classifyFailure(new Error('boom'))).toMatchObject({ disposition: 'retry', code: 'internal_error' });
  });
});
