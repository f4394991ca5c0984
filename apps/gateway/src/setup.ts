import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from '@bogholder/service-kit';
import { unsafeValues } from './common/json-guard';
import { setupOpenApi } from './modules/openapi/openapi';
import { MAX_WEBHOOK_BODY_BYTES } from './modules/shop-webhooks/body-reader';
import { ShopWebhooksHttp } from './modules/shop-webhooks/shop-webhooks.http';

/** Shop webhooks read their raw body themselves (the signature covers the exact bytes; 404 comes before 413). */
const isShopWebhook = (req: IncomingMessage) => (req.url ?? '').toLowerCase().startsWith('/webhooks/shops/');
const contentType = (req: IncomingMessage) => req.headers['content-type'] ?? '';

/**
 * The gateway's HTTP set-up, used by main.ts (through runService's `configure`) and by tests
 * (through startTestService), so both run the same app: the shop-webhook fast path, body parsers
 * with a 1 MiB limit that leave shop webhooks alone, and the OpenAPI document at /docs.
 */
export function configureGateway(nestApp: INestApplication, options: { webhookFastPath?: boolean } = {}): void {
  const app = nestApp as NestExpressApplication;
  app.disable('x-powered-by');
  // Shop webhooks skip Express and Nest (see ShopWebhooksHttp); without it ShopWebhooksController answers them.
  if (options.webhookFastPath !== false) app.get(ShopWebhooksHttp).mount(app);
  app.useBodyParser('json', {
    limit: MAX_WEBHOOK_BODY_BYTES,
    type: (req: IncomingMessage) => !isShopWebhook(req) && /^application\/([\w.-]+\+)?json\b/i.test(contentType(req)),
  });
  app.useBodyParser('urlencoded', {
    limit: MAX_WEBHOOK_BODY_BYTES,
    extended: false,
    type: (req: IncomingMessage) => !isShopWebhook(req) && /^application\/x-www-form-urlencoded\b/i.test(contentType(req)),
  });
  // Body-parser failures in the contract's error shape.
  app.use((err: { type?: string; message?: string } | undefined, _req: unknown, _res: unknown, next: (err?: unknown) => void) => {
    if (err?.type === 'entity.parse.failed') return next(new HttpProblem(400, `the body is not valid JSON: ${err.message}`, [{ field: '(body)', message: 'the body must be valid JSON' }], 'invalid_json'));
    if (err?.type === 'entity.too.large') return next(new HttpProblem(413, 'the body is larger than 1 MiB', [{ field: '(body)', message: 'over 1 MiB' }], 'body_too_large'));
    if (err?.type === 'charset.unsupported' || err?.type === 'encoding.unsupported') return next(new HttpProblem(415, `${err.message}: send UTF-8 JSON`, [{ field: 'content-type', message: err.message ?? 'unsupported' }], 'unsupported_media_type'));
    next(err);
  });
  // Admin bodies with values nothing downstream can store (NUL, unpaired surrogates, unsafe numbers).
  app.use((req: IncomingMessage & { body?: unknown }, _res: unknown, next: (err?: unknown) => void) => {
    const unsafe = req.body !== undefined && typeof req.body === 'object' ? unsafeValues(req.body) : [];
    if (unsafe.length) return next(new HttpProblem(400, `the request has values that cannot be stored: ${unsafe.map((e) => e.message).join('; ')}`, unsafe, 'invalid_request'));
    next();
  });
  setupOpenApi(app);
}
