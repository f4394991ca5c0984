import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@bogholder/service-kit';
import { InvoicingEnv } from './config/env';
import { ENTITIES, MIGRATIONS } from './database/schema';

@Module({})
export class AppModule {
  static forRoot(env: InvoicingEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forRoot({ service: 'invoicing', env, entities: ENTITIES, migrations: MIGRATIONS, shopDirectory: true })],
      providers: [{ provide: InvoicingEnv, useValue: env }],
    };
  }
}
