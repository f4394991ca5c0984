import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, flattenValidationErrors } from '@bogholder/contracts';
import { HttpProblem } from '@bogholder/service-kit';

/** 400 in the contract's shape, naming every invalid field by its path. */
export function invalidInput(errors: FieldError[], what = 'the request'): HttpProblem {
  return new HttpProblem(400, `${what} is invalid: ${errors.map((e) => e.message).join('; ')}`, errors, 'invalid_input');
}

/**
 * The global pipe for DTO classes: converts query strings to numbers where the DTO says so, rejects
 * unknown properties and reports every bad field with its path (e.g. `vatZones.eu`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => invalidInput(flattenValidationErrors(errors)),
  });
}
