import { BeforeApplicationShutdown, DynamicModule, Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { Bus, ConsumerRunner, Outbox, RpcClient, RpcServer } from '@bogholder/messaging';
import { BaseEnv } from '../config/env';
import { ROOT_LOGGER, RootLogger } from '../logging/logging';
import { Metrics } from '../metrics/metrics';
import { SERVICE_ENV, SERVICE_NAME } from '../tokens';
import { ON_EVENT, ON_RPC, OnEventMetadata } from './decorators';

/** Finds @OnEvent / @OnRpc methods, provisions streams and starts relay, consumers and rpc; drains on shutdown. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly bus: Bus,
    private readonly outbox: Outbox,
    private readonly runner: ConsumerRunner,
    private readonly rpc: RpcServer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance);
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const method = proto[name] as (...args: unknown[]) => Promise<unknown>;
        const onEvent = this.reflector.get<OnEventMetadata | undefined>(ON_EVENT, method);
        if (onEvent) this.runner.register(onEvent.subject, (env, ctx) => method.call(instance, env, ctx) as Promise<void>, onEvent.options);
        const onRpc = this.reflector.get<string | undefined>(ON_RPC, method);
        if (onRpc) this.rpc.serve(onRpc, (req) => method.call(instance, req));
      }
    }
    await this.bus.ensureStreams();
    this.outbox.start();
    await this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.rpc.stop();
    await this.runner.stop();
    await this.outbox.stop();
    await this.bus.close();
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [
        {
          provide: Bus,
          inject: [SERVICE_ENV, SERVICE_NAME],
          useFactory: (env: BaseEnv, service: string) => Bus.connect({ servers: env.NATS_URL, name: service, namespace: env.NATS_NAMESPACE }),
        },
        {
          provide: Outbox,
          inject: [DataSource, Bus, ROOT_LOGGER],
          useFactory: (ds: DataSource, bus: Bus, logger: RootLogger) => new Outbox(ds, bus, { logger: logger.child({ component: 'outbox' }) }),
        },
        {
          provide: ConsumerRunner,
          inject: [DataSource, Bus, Outbox, SERVICE_NAME, ROOT_LOGGER, Metrics],
          useFactory: (ds: DataSource, bus: Bus, outbox: Outbox, service: string, logger: RootLogger, metrics: Metrics) =>
            new ConsumerRunner(ds, bus, outbox, {
              service,
              logger: logger.child({ component: 'consumer' }),
              onOutcome: (subject, outcome, ms) => metrics.observeMessage(subject, outcome, ms),
            }),
        },
        {
          provide: RpcServer,
          inject: [Bus, SERVICE_NAME, ROOT_LOGGER],
          useFactory: (bus: Bus, service: string, logger: RootLogger) => new RpcServer(bus, service, logger.child({ component: 'rpc' })),
        },
        { provide: RpcClient, inject: [Bus], useFactory: (bus: Bus) => new RpcClient(bus) },
        MessagingLifecycle,
      ],
      exports: [Bus, Outbox, ConsumerRunner, RpcServer, RpcClient],
    };
  }
}

