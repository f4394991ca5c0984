import { HttpException, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { errorMessage, runWithCorrelation } from '@bogholder/messaging';
import { ErrorBody, Metrics, redactUrl, requestId, ROOT_LOGGER, RootLogger, SERVICE_NAME } from '@bogholder/service-kit';
import { GatewayEnv } from '../../config/env';
import { BodyTooLargeError } from './body-reader';
import { RequestLog } from './request-log';
import { ShopWebhooksService } from './shop-webhooks.service';

export const SHOP_WEBHOOK_ROUTE = '/webhooks/shops/:shopId';
const PATH = /^\/webhooks\/shops\/([^/?#]+)\/?(?:\?.*)?$/i;

/**
 * The shop-webhook route's fast path. Express routing and Nest's per-request machinery (guards,
 * pipes, interceptors, pino-http's child loggers) cost more CPU than checking and publishing a
 * webhook, so `configureGateway` puts this handler in front of Express on the HTTP server for
 * `POST /webhooks/shops/:shopId`; every other request goes to Express as before. It does what the
 * framework would: runs the request under its correlation id (the webhook-id), echoes
 * `x-request-id`, records the request metric, writes one request log line and answers errors in the
 * contract's shape. ShopWebhooksController remains the documented (OpenAPI) route, on the same service.
 */
@Injectable()
export class ShopWebhooksHttp implements OnApplicationShutdown {
  private readonly requestLog: RequestLog;

  constructor(
    private readonly webhooks: ShopWebhooksService,
    private readonly metrics: Metrics,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
    @Inject(SERVICE_NAME) service: string,
    env: GatewayEnv,
  ) {
    this.requestLog = new RequestLog(service, env.LOG_LEVEL);
  }

  onApplicationShutdown(): void {
    this.requestLog.flush();
  }

  mount(app: NestExpressApplication): void {
    const server = app.getHttpServer() as Server;
    const framework = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const match = req.method === 'POST' ? PATH.exec(req.url ?? '') : null;
      if (match) this.handle(decodeURIComponentSafe(match[1]!), req, res);
      else for (const listener of framework) listener(req, res);
    });
  }

  private handle(shopId: string, req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const id = requestId(req, res);
    runWithCorrelation(id, () => {
      this.webhooks.receive(shopId, req).then(
        (answer) => this.send(req, res, id, started, answer.status, answer.body),
        (err: unknown) => {
          if (err instanceof HttpException) {
            if (err instanceof BodyTooLargeError) res.setHeader('Connection', 'close');
            this.send(req, res, id, started, err.getStatus(), err.getResponse() as ErrorBody);
          } else {
            this.logger.error({ err: errorMessage(err) }, 'shop webhook failed');
            this.send(req, res, id, started, 500, { statusCode: 500, message: 'internal error', errors: [] } satisfies ErrorBody);
          }
        },
      );
    });
  }

  private send(req: IncomingMessage, res: ServerResponse, id: string, started: number, status: number, body: unknown): void {
    if (!res.headersSent) {
      const json = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    }
    const ms = performance.now() - started;
    this.metrics.httpRequests.observe({ method: 'POST', route: SHOP_WEBHOOK_ROUTE, status: String(status) }, ms / 1000);
    const line = { correlationId: id, req: { id, method: req.method, url: redactUrl(req.url) }, res: { statusCode: status }, responseTime: Math.round(ms) };
    if (status >= 500) this.requestLog.write('error', line, 'request errored');
    else if (status >= 400) this.requestLog.write('warn', line, 'request completed');
    else this.requestLog.write('info', line, 'request completed');
  }
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
