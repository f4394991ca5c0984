import { ClassConstructor, plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';

/** One invalid field: `field` is its path in the request body, e.g. `data.order.lines[0].quantity`. */
export interface FieldError {
  field: string;
  message: string;
}

const isIndex = (key: string) => /^\d+$/.test(key);

function join(prefix: string, key: string): string {
  if (isIndex(key)) return `${prefix}[${key}]`;
  return prefix ? `${prefix}.${key}` : key;
}

/** Flattens class-validator's error tree into one entry per invalid field, with readable paths. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = join(prefix, error.property);
    for (const message of Object.values(error.constraints ?? {})) {
      // class-validator names only the last property; we name the whole path so the sender can find it.
      out.push({ field: path, message: message.startsWith(`${error.property} `) ? `${path}${message.slice(error.property.length)}` : message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, path));
  }
  return out;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Validates a plain JSON value against a payload class. Unknown properties are allowed (shops send
 * more than we read), nested objects must be objects, and every invalid field is reported.
 */
export function validatePayload<T extends object>(cls: ClassConstructor<T>, plain: unknown, prefix = ''): ValidationResult<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, errors: [{ field: prefix || '(body)', message: `${prefix || 'the body'} must be a JSON object` }] };
  }
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false, exposeDefaultValues: false });
  // A payload class without any rules (e.g. economic.disconnected's `{}`) accepts any object; without this
  // check `forbidUnknownValues` would refuse it as "an unknown value".
  if (!getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).length) return { ok: true, value: instance };
  const errors = validateSync(instance as object, { stopAtFirstError: true, forbidUnknownValues: true, validationError: { target: false } });
  if (errors.length) return { ok: false, errors: flattenValidationErrors(errors, prefix) };
  return { ok: true, value: instance };
}
