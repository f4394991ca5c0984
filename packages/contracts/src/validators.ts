import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { COUNTRY_CODES, CURRENCY_CODES } from './reference-data';

function rule(name: string, test: (value: unknown, args: ValidationArguments) => boolean, message: (args: ValidationArguments) => string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message, ...options },
        validator: { validate: test },
      });
}

/** A finite number with at most `digits` decimals (e-conomic rejects prices with more than 2: E04740). */
export const MaxDecimals = (digits: number, options?: ValidationOptions): PropertyDecorator =>
  rule(
    'maxDecimals',
    (v) => typeof v === 'number' && Number.isFinite(v) && Number(v.toFixed(digits)) === v,
    (a) => `${a.property} must be a number with at most ${digits} decimals`,
  )(options);

/** A real calendar date written YYYY-MM-DD. */
export const IsCalendarDate = rule(
  'isCalendarDate',
  (v) => {
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  },
  (a) => `${a.property} must be a date written YYYY-MM-DD`,
);

/** An ISO 8601 timestamp that parses. */
export const IsTimestamp = rule(
  'isTimestamp',
  (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  (a) => `${a.property} must be an ISO 8601 timestamp with a time zone, e.g. 2026-12-04T10:15:00Z`,
);

export const IsCurrencyCode = rule(
  'isCurrencyCode',
  (v) => typeof v === 'string' && CURRENCY_CODES.has(v),
  (a) => `${a.property} must be an ISO 4217 currency code such as DKK or EUR (got ${JSON.stringify(a.value)})`,
);

export const IsCountryCode = rule(
  'isCountryCode',
  (v) => typeof v === 'string' && COUNTRY_CODES.has(v),
  (a) => `${a.property} must be an ISO 3166 two-letter country code such as DK or DE (got ${JSON.stringify(a.value)})`,
);

/** Either a string or an integer (shop customer numbers arrive as both). */
export const IsStringOrInteger = rule(
  'isStringOrInteger',
  (v) => (typeof v === 'string' && v.length > 0 && v.length <= 50) || (typeof v === 'number' && Number.isInteger(v)),
  (a) => `${a.property} must be a string (at most 50 characters) or an integer`,
);

/** A plain JSON object whose keys match `keyPattern` and whose values pass `valueTest`. */
export const IsRecordOf = (keyPattern: RegExp, valueTest: (v: unknown) => boolean, what: string, options?: ValidationOptions) =>
  rule(
    'isRecordOf',
    (v) =>
      typeof v === 'object' && v !== null && !Array.isArray(v) &&
      Object.entries(v).every(([k, val]) => keyPattern.test(k) && valueTest(val)),
    (a) => `${a.property} must be an object of ${what}`,
  )(options);
