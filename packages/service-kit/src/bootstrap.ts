import { DynamicModule, INestApplication, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError } from './config/env';
import { ErrorBodyFilter } from './http/error-filter';
import { Metrics } from './metrics/metrics';

export interface StartOptions {
  host: string;
  port: number;
  /** Extra set-up before listening (e.g. OpenAPI, body limits). */
  configure?: (app: INestApplication) => void | Promise<void>;
  nestOptions?: NestApplicationOptions;
}

/** Creates a service app with the shared conventions: pino logs, contract error bodies, request metrics, drain on SIGTERM. */
export async function createServiceApp(module: Type<unknown> | DynamicModule, options: Pick<StartOptions, 'configure' | 'nestOptions'> = {}): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true, ...options.nestOptions });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ErrorBodyFilter());
  const metrics = app.get(Metrics);
  app.use((req: { method: string; route?: { path?: string }; originalUrl: string }, res: { statusCode: number; on(e: string, f: () => void): void }, next: () => void) => {
    const end = metrics.httpRequests.startTimer();
    res.on('finish', () => end({ method: req.method, route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  app.enableShutdownHooks();
  await options.configure?.(app);
  return app;
}

export interface ServiceEntry extends StartOptions {
  module: DynamicModule;
  name: string;
}

/** Starts a service from its entry point; configuration errors are printed as a list and exit 1. */
export async function runService(entry: () => ServiceEntry): Promise<INestApplication | undefined> {
  try {
    const opts = entry();
    const app = await createServiceApp(opts.module, opts);
    await app.listen(opts.port, opts.host);
    app.get(Logger).log(`${opts.name} listening on http://${opts.host}:${opts.port}`, 'Bootstrap');
    return app;
  } catch (err) {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  }
}
