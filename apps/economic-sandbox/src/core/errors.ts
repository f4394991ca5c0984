import { randomBytes } from 'node:crypto';

/**
 * Error codes. The first group is e-conomic's own (see economic-api.md §3.9); the second group is
 * the sandbox's choice where e-conomic's code is unknown (listed in the README).
 */
export const ErrorCode = {
  validationFailed: 'E04300',
  noIdentifier: 'E04500',
  quantityRequired: 'E04730',
  tooManyDecimals: 'E04740',
  notFound: 'E06000',
  alreadyExists: 'E06010',
  paymentTermsNotFound: 'E07080',
  // sandbox choices
  required: 'E04000',
  tooLong: 'E04010',
  invalidValue: 'E04020',
  nullNotAllowed: 'E04030',
  inUse: 'E05010',
  eanAgreementCvr: 'E08001',
  eanCustomerEan: 'E08002',
  eanCustomerContact: 'E08003',
  eanReferenceContact: 'E08004',
  eanNotPaying: 'E08005',
  eanNotDanish: 'E08006',
  eanSettings: 'E08007',
  invalidFilter: 'E01010',
  notFilterable: 'E01020',
  invalidSort: 'E01030',
  invalidPaging: 'E01040',
  invalidJson: 'E01050',
} as const;

export function newLogId(): string {
  return `${randomBytes(8).toString('hex')}-CPH`;
}

/** e-conomic's `logTime`: an ISO date-time without zone or fraction. */
export function logTime(now = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export interface ErrorBody {
  message: string;
  errorCode?: string;
  developerHint: string;
  logId: string;
  httpStatusCode: number;
  logTime: string;
  [key: string]: unknown;
}

/** An error answered with e-conomic's error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly developerHint: string,
    readonly errorCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ErrorBody {
    const body: ErrorBody = {
      message: this.message,
      developerHint: this.developerHint,
      logId: newLogId(),
      httpStatusCode: this.status,
      logTime: logTime(),
    };
    if (this.errorCode) body.errorCode = this.errorCode;
    return body;
  }
}

export const NOT_FOUND_HINT =
  'The API tries to provide all the resource urls you need. Check that the URL is correct and that the resource exists.';

export class NotFoundError extends ApiError {
  constructor(hint = NOT_FOUND_HINT) {
    super(404, 'Resource not found.', hint);
    this.name = 'NotFoundError';
  }
}

export class BadRequestError extends ApiError {
  constructor(message: string, hint: string, errorCode?: string) {
    super(400, message, hint, errorCode);
    this.name = 'BadRequestError';
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message: string) {
    super(
      401,
      message,
      'Send X-AppSecretToken (the app secret) and X-AgreementGrantToken (the grant issued to the app). ' +
        "For read-only demo access send 'demo' in both headers.",
    );
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string, hint: string) {
    super(403, message, hint);
    this.name = 'ForbiddenError';
  }
}

export class MethodNotAllowedError extends ApiError {
  constructor(allowed: string[]) {
    super(405, 'Method not allowed.', `Allowed methods for this resource: ${allowed.join(', ')}.`, undefined, {
      Allow: allowed.join(', '),
    });
    this.name = 'MethodNotAllowedError';
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  constructor() {
    super(415, 'Unsupported media type.', 'Send the request body as JSON with the header Content-Type: application/json.');
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class TooManyRequestsError extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(
      429,
      'Too many requests.',
      `The agreement has used up its request budget. Retry after ${retryAfterSeconds} second(s) (see the Retry-After header).`,
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    );
    this.name = 'TooManyRequestsError';
  }
}

export class InternalServerError extends ApiError {
  constructor() {
    super(500, 'An unexpected error occurred.', 'The request was not processed. It is safe to retry.');
    this.name = 'InternalServerError';
  }
}
