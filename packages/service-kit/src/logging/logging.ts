import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { Logger } from 'pino';
import { currentCorrelationId } from '@bogholder/messaging';

export const ROOT_LOGGER = 'bogholder:root-logger';
export type RootLogger = Logger;

/** Paths whose values never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["webhook-signature"]',
  'req.headers["x-agreementgranttoken"]',
  'req.headers["x-appsecrettoken"]',
  'req.headers.cookie',
  '*.grantToken',
  '*.grantTokenEncrypted',
  '*.agreementGrantToken',
  '*.appSecretToken',
  '*.webhookSecret',
  '*.token',
  '*.secret',
  '*.password',
];

/** Strips secrets from a URL before it is logged: grant tokens in the callback, the secret path of e-conomic webhooks. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  return url
    .replace(/([?&](token|state|secret)=)[^&#]*/gi, '$1[redacted]')
    .replace(/(\/webhooks\/economic\/[^/?#]+\/)[^/?#]+/, '$1[redacted]');
}

export function createRootLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId ? { correlationId } : {};
    },
  });
}

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's correlation id: a sane incoming `x-request-id`/`x-correlation-id`/`webhook-id`, else a new UUID. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = [req.headers['x-request-id'], req.headers['x-correlation-id'], req.headers['webhook-id']]
    .map((h) => (Array.isArray(h) ? h[0] : h))
    .find((h): h is string => typeof h === 'string' && ID_PATTERN.test(h));
  const id = incoming ?? randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

export const pinoHttpOptions = (logger: Logger) => ({
  logger,
  genReqId: requestId,
  customProps: (req: IncomingMessage & { id?: unknown }) => ({ correlationId: req.id }),
  serializers: {
    req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  },
  autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
  customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
});
