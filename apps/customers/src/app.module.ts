import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@bogholder/service-kit';
import { CustomersEnv } from './config/env';
import { ENTITIES, MIGRATIONS } from './database/schema';
import { CustomersModule } from './modules/customers/customers.module';

@Module({})
export class AppModule {
  static forRoot(env: CustomersEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forRoot({ service: 'customers', env, entities: ENTITIES, migrations: MIGRATIONS, shopDirectory: true }), CustomersModule],
      providers: [{ provide: CustomersEnv, useValue: env }],
    };
  }
}
