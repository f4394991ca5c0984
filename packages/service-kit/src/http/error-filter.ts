import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { FieldError } from '@bogholder/contracts';
import { BogholderError } from '@bogholder/messaging';

/** The error body of CONTRACT.md §2: `{statusCode, message, errors: [{field, message}]}`. */
export interface ErrorBody {
  statusCode: number;
  message: string;
  errors: FieldError[];
  code?: string;
}

/** A request error that names its fields: thrown by controllers and services that know the HTTP status. */
export class HttpProblem extends HttpException {
  constructor(status: number, message: string, errors: FieldError[] = [], code?: string) {
    super({ statusCode: status, message, errors, ...(code ? { code } : {}) } satisfies ErrorBody, status);
  }
}

/** Maps every exception to the contract's error body; domain errors carry their own status. */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorBodyFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    if (!res.headersSent) res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof BogholderError) {
      const status = exception.status ?? (exception.retryable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.UNPROCESSABLE_ENTITY);
      const errors = Array.isArray(exception.options.details) ? (exception.options.details as FieldError[]) : [];
      return { statusCode: status, message: exception.message, errors, code: exception.code };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response && 'errors' in response && Array.isArray((response as ErrorBody).errors)) {
        return response as ErrorBody;
      }
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      // body-parser errors: entity.too.large / entity.parse.failed arrive as HttpExceptions from Nest
      const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
      return { statusCode: status, message, errors: exception instanceof BadRequestException && Array.isArray(raw) ? raw.map((m) => ({ field: String(m).split(' ')[0] ?? '', message: String(m) })) : [] };
    }
    const e = exception as { status?: number; statusCode?: number; type?: string; message?: string; limit?: number };
    if (e?.type === 'entity.too.large') return { statusCode: 413, message: `the body is larger than ${e.limit ?? 1048576} bytes (the limit is 1 MiB)`, errors: [] };
    if (e?.type === 'entity.parse.failed') return { statusCode: 400, message: `the body is not valid JSON: ${e.message}`, errors: [{ field: '(body)', message: 'the body must be valid JSON' }] };
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return { statusCode: e.status, message: e.message ?? 'bad request', errors: [] };
    return { statusCode: 500, message: 'internal error', errors: [] };
  }
}
