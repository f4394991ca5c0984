import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@bogholder/service-kit';
import { InventoryEnv } from './config/env';
import { ENTITIES, MIGRATIONS } from './database/schema';

@Module({})
export class AppModule {
  static forRoot(env: InventoryEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forRoot({ service: 'inventory', env, entities: ENTITIES, migrations: MIGRATIONS, shopDirectory: true })],
      providers: [{ provide: InventoryEnv, useValue: env }],
    };
  }
}
