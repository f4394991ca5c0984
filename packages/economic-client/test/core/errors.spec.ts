import { inspect } from 'node:util';
import {
  EconomicApiError,
  EconomicAuthError,
  EconomicBadRequestError,
  EconomicConflictError,
  EconomicForbiddenError,
  EconomicNotFoundError,
  EconomicRateLimitError,
  EconomicServerError,
  EconomicValidationError,
  hasFieldError,
  parseFieldErrors,
  type RequestEvent,
} from '../../src';
import { APP_SECRET, caught, GRANT_TOKEN, json, reset, type Stub, startStub, stubClient } from '../helpers/stub-server';

const request = { method: 'POST', url: 'https://restapi.e-conomic.com/invoices/drafts' };

// The documented 2015 shape (economic-api.md §3.9).
const annotated2015 = {
  message: 'Validation error.',
  developerHint: 'Inspect the errors.',
  logId: 'c7ca5bc2-1234',
  httpStatusCode: 400,
  errors: {
    currency: { errors: [{ errorCode: 'E06000', message: 'currency does not exist.', value: 'ZUL', developerHint: 'See /currencies' }] },
    lines: [
      { arrayIndex: 0, unitNetPrice: { errors: [{ errorCode: 'E04740', message: 'Too many decimals.', value: 10.12345 }] } },
      { arrayIndex: 1, product: { errors: [{ errorCode: 'E04500', message: 'No identifiers present on product.' }] } },
    ],
    quantity: { errors: [{ errorCode: 'E04730', message: 'Quantity is required.' }] },
  },
  logTime: '2015-03-12T16:44:56',
};

// The newer real shape (2024).
const newer2024 = {
  message: 'Validation failed. 2 errors found.',
  errorCode: 'E04300',
  developerHint: 'Inspect validation errors and correct your request.',
  logId: '86d2a1f150c392bb-CPH',
  httpStatusCode: 400,
  errors: {
    paymentTerms: {
      errors: [{ propertyName: 'paymentTerms', errorMessage: "PaymentTerms '4711' not found.", errorCode: 'E07080', inputValue: 4711 }],
    },
    paymentTermsType: {
      errors: [{ propertyName: 'paymentTermsType', errorCode: 'E07180', errorMessage: 'Payment terms type does not match.', inputValue: 'invoiceMonth' }],
    },
    recipient: { vatZone: { errors: [{ propertyName: 'vatZone', errorCode: 'E06000', errorMessage: 'VatZone not found.', inputValue: 99 }] } },
    lines: [{ arrayIndex: 2, unitNetPrice: { errors: [{ propertyName: 'unitNetPrice', errorCode: 'E04740', errorMessage: 'Max 2 decimals.', inputValue: 1.234 }] } }],
  },
  logTime: '2024-03-31T21:09:13',
  errorCount: 2,
};

describe('field errors', () => {
  it('flattens the 2015 format (message/value, arrayIndex)', () => {
    expect(parseFieldErrors(annotated2015.errors)).toEqual([
      { path: 'currency', code: 'E06000', message: 'currency does not exist.', value: 'ZUL' },
      { path: 'lines[0].unitNetPrice', code: 'E04740', message: 'Too many decimals.', value: 10.12345 },
      { path: 'lines[1].product', code: 'E04500', message: 'No identifiers present on product.' },
      { path: 'quantity', code: 'E04730', message: 'Quantity is required.' },
    ]);
  });

  it('flattens the newer format (propertyName/errorMessage/inputValue), nested objects included', () => {
    expect(parseFieldErrors(newer2024.errors)).toEqual([
      { path: 'paymentTerms', code: 'E07080', message: "PaymentTerms '4711' not found.", value: 4711 },
      { path: 'paymentTermsType', code: 'E07180', message: 'Payment terms type does not match.', value: 'invoiceMonth' },
      { path: 'recipient.vatZone', code: 'E06000', message: 'VatZone not found.', value: 99 },
      { path: 'lines[2].unitNetPrice', code: 'E04740', message: 'Max 2 decimals.', value: 1.234 },
    ]);
  });

  it('handles absent or odd `errors`', () => {
    expect(parseFieldErrors(undefined)).toEqual([]);
    expect(parseFieldErrors('nope')).toEqual([]);
    expect(parseFieldErrors([{ propertyName: 'name', errorMessage: 'Required', errorCode: 'E1' }])).toEqual([
      { path: 'name', code: 'E1', message: 'Required' },
    ]);
  });
});

describe('EconomicApiError.generate', () => {
  const make = (status: number, body: unknown = { message: 'x' }, headers: Record<string, string> = {}) =>
    EconomicApiError.generate({ status, body, headers, request });

  it('picks the class by status', () => {
    expect(make(400)).toBeInstanceOf(EconomicBadRequestError);
    expect(make(400)).not.toBeInstanceOf(EconomicValidationError);
    expect(make(400, newer2024)).toBeInstanceOf(EconomicValidationError);
    expect(make(400, newer2024)).toBeInstanceOf(EconomicBadRequestError);
    expect(make(401)).toBeInstanceOf(EconomicAuthError);
    expect(make(403)).toBeInstanceOf(EconomicForbiddenError);
    expect(make(404)).toBeInstanceOf(EconomicNotFoundError);
    expect(make(409)).toBeInstanceOf(EconomicConflictError);
    expect(make(429)).toBeInstanceOf(EconomicRateLimitError);
    expect(make(500)).toBeInstanceOf(EconomicServerError);
    expect(make(501)).toBeInstanceOf(EconomicServerError);
    const other = make(415);
    expect(other.constructor).toBe(EconomicApiError);
    expect(other.name).toBe('EconomicApiError');
  });

  it('carries e-conomic’s fields and a readable message', () => {
    const err = make(400, newer2024);
    expect(err).toMatchObject({
      status: 400,
      errorCode: 'E04300',
      developerHint: 'Inspect validation errors and correct your request.',
      logId: '86d2a1f150c392bb-CPH',
      logTime: '2024-03-31T21:09:13',
      body: newer2024,
      request,
    });
    expect(err.name).toBe('EconomicValidationError');
    expect(err.message).toContain('400 Validation failed. 2 errors found.');
    expect(err.message).toContain("paymentTerms: PaymentTerms '4711' not found. [E07080]");
    expect(err.message).toContain('(POST /invoices/drafts)');
    expect(err.fieldErrors).toHaveLength(4);
  });

  it('reads the 404 body without errorCode', () => {
    const err = make(404, { message: 'Resource not found.', developerHint: 'The API tries…', logId: '8d79f54f226ebe44-CPH', httpStatusCode: 404, logTime: '2024-10-24T14:26:57' });
    expect(err.errorCode).toBeUndefined();
    expect(err.logId).toBe('8d79f54f226ebe44-CPH');
    expect(err.fieldErrors).toEqual([]);
  });

  it('keeps a non-JSON body as text', () => {
    const err = make(502, '<html>Bad gateway</html>');
    expect(err.body).toBe('<html>Bad gateway</html>');
    expect(err.message).toContain('502 <html>Bad gateway</html>');
  });

  it('reads Retry-After on 429', () => {
    expect((make(429, {}, { 'retry-after': '7' }) as EconomicRateLimitError).retryAfterMs).toBe(7000);
    expect((make(429, {}) as EconomicRateLimitError).retryAfterMs).toBeUndefined();
  });

  it('hasFieldError looks at top-level and field codes', () => {
    const err = make(400, newer2024);
    expect(hasFieldError(err, 'E04740')).toBe(true);
    expect(hasFieldError(err, 'E04300')).toBe(true);
    expect(hasFieldError(err, 'E06010')).toBe(false);
    expect(hasFieldError(new Error('x'), 'E04740')).toBe(false);
  });
});

describe('tokens never leak', () => {
  let s: Stub;
  afterEach(() => s.close());

  it('not in errors, events, toString, toJSON or inspect — even when e-conomic echoes them', async () => {
    s = await startStub((req, res) => {
      if (req.path === '/reset') return reset(res);
      // A hostile body that repeats the tokens it received.
      return json(res, 401, {
        message: `Bad token ${String(req.headers['x-agreementgranttoken'])}`,
        developerHint: `App ${String(req.headers['x-appsecrettoken'])}`,
      });
    });
    const events: RequestEvent[] = [];
    const client = stubClient(s, { onRequest: (e) => events.push(e), maxRetries: 0 });
    expect(s.requests).toHaveLength(0);
    const auth = (await caught(client.customers.get(1))) as EconomicAuthError;
    expect(s.requests[0]?.headers['x-agreementgranttoken']).toBe(GRANT_TOKEN);
    expect(s.requests[0]?.headers['x-appsecrettoken']).toBe(APP_SECRET);
    expect(auth).toBeInstanceOf(EconomicAuthError);
    expect(auth.message).toContain('[redacted]');
    const network = await caught(client.request('POST', '/reset', { body: {} }));

    const surfaces = [
      auth.message,
      auth.stack ?? '',
      JSON.stringify(auth),
      inspect(auth, { depth: 10 }),
      String(network),
      inspect(network, { depth: 10 }),
      JSON.stringify(events),
      String(client),
      JSON.stringify(client),
      inspect(client, { depth: 10 }),
      inspect(client.customers, { depth: 10 }),
      JSON.stringify(client.stats),
    ];
    for (const text of surfaces) {
      expect(text).not.toContain(GRANT_TOKEN);
      expect(text).not.toContain(APP_SECRET);
    }
  });
});
