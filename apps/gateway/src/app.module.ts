import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@bogholder/service-kit';
import { GatewayEnv } from './config/env';
import { ENTITIES, MIGRATIONS } from './database/schema';

@Module({})
export class AppModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forRoot({ service: 'gateway', env, entities: ENTITIES, migrations: MIGRATIONS, shopDirectory: false })],
      providers: [{ provide: GatewayEnv, useValue: env }],
    };
  }
}
