import type { ClassConstructor } from 'class-transformer';
import { validatePayload } from '@bogholder/contracts';
import { InvalidRequestError } from './errors';

/** Validates a request/reply payload against its DTO; every invalid field is named. */
export function validRequest<T extends object>(cls: ClassConstructor<T>, raw: unknown): T {
  const result = validatePayload(cls, raw);
  if (!result.ok) throw new InvalidRequestError(result.errors);
  return result.value;
}
