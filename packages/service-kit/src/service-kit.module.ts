import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource, MixedList } from 'typeorm';
import { runWithCorrelation } from '@bogholder/messaging';
import { BaseEnv } from './config/env';
import { TokenCipher } from './config/token-cipher';
import { dataSourceOptions, prepareDatabase, runMigrationsLocked } from './database/database';
import { EconomicClients } from './economic/economic-clients';
import { HealthController, NatsHealthIndicator } from './health/health';
import { createRootLogger, pinoHttpOptions, requestId, ROOT_LOGGER } from './logging/logging';
import { MessagingModule } from './messaging/messaging.module';
import { Metrics, MetricsController } from './metrics/metrics';
import { ShopConfigEntity } from './shops/shop-config.entity';
import { ShopConfigTable1767000000100 } from './shops/shop-config.migration';
import { ShopDirectory } from './shops/shop-directory';
import { SERVICE_ENV, SERVICE_NAME } from './tokens';

export interface ServiceKitOptions {
  service: 'gateway' | 'invoicing' | 'customers' | 'inventory';
  env: BaseEnv;
  entities: MixedList<Function>;
  migrations: MixedList<Function>;
  /** Keep a copy of shops' connections and settings from the gateway's events (every service but the gateway). */
  shopDirectory?: boolean;
}

/**
 * What every service shares: validated env, JSON logs with correlation ids, its own PostgreSQL
 * schema with migrations, JetStream messaging, /health, /metrics and e-conomic clients.
 */
@Global()
@Module({})
export class ServiceKitModule implements NestModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    const { env, service } = options;
    const schema = env.DATABASE_SCHEMA || service;
    const rootLogger = createRootLogger(service, env.LOG_LEVEL);
    const entities = [...(options.entities as Function[]), ...(options.shopDirectory ? [ShopConfigEntity] : [])];
    const migrations = [...(options.shopDirectory ? [ShopConfigTable1767000000100] : []), ...(options.migrations as Function[])];
    return {
      module: ServiceKitModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: pinoHttpOptions(rootLogger) }),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions({ url: env.DATABASE_URL, schema, poolSize: env.DATABASE_POOL_SIZE, entities, migrations }),
          dataSourceFactory: async (opts) => {
            await prepareDatabase(env.DATABASE_URL, schema);
            const ds = await new DataSource(opts!).initialize();
            if (env.DATABASE_MIGRATE === 'true') await runMigrationsLocked(ds, schema);
            return ds;
          },
        }),
        TerminusModule.forRoot({ logger: false }),
        MessagingModule.forRoot(),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_ENV, useValue: env },
        { provide: SERVICE_NAME, useValue: service },
        { provide: ROOT_LOGGER, useValue: rootLogger },
        { provide: Metrics, useValue: new Metrics(service) },
        { provide: TokenCipher, useValue: new TokenCipher(env.TOKEN_ENCRYPTION_KEY, env.TOKEN_ENCRYPTION_KEY_PREVIOUS ? env.TOKEN_ENCRYPTION_KEY_PREVIOUS.split(',') : []) },
        NatsHealthIndicator,
        EconomicClients,
        ...(options.shopDirectory ? [ShopDirectory] : []),
      ],
      exports: [SERVICE_ENV, SERVICE_NAME, ROOT_LOGGER, Metrics, TokenCipher, EconomicClients, MessagingModule, ...(options.shopDirectory ? [ShopDirectory] : [])],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Every request runs with its correlation id, so logs and published events carry it.
    consumer
      .apply((req: IncomingMessage & { id?: unknown }, res: ServerResponse, next: () => void) => {
        // This may run before pino-http: give the request its id here (pino-http keeps an existing req.id).
        if (!req.id) req.id = requestId(req, res);
        runWithCorrelation(String(req.id), next);
      })
      .forRoutes('*path');
  }
}
