import { DynamicModule, Global, Module } from '@nestjs/common';
import { GatewayEnv } from './env';

/** Makes the validated GatewayEnv injectable everywhere. */
@Global()
@Module({})
export class GatewayConfigModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return { module: GatewayConfigModule, providers: [{ provide: GatewayEnv, useValue: env }], exports: [GatewayEnv] };
  }
}
