import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@bogholder/service-kit';
import { InvoicingEnv } from './config/env';
import { ENTITIES, MIGRATIONS } from './database/schema';
import { CreditNotesModule } from './modules/credit-notes/credit-notes.module';
import { EconomicModule } from './modules/economic/economic.module';
import { InvoicesModule } from './modules/invoices/invoices.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { QueueModule } from './modules/queue/queue.module';
import { TransfersModule } from './modules/transfers/transfers.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(env: InvoicingEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({ service: 'invoicing', env, entities: ENTITIES, migrations: MIGRATIONS, shopDirectory: true }),
        QueueModule,
        EconomicModule,
        MetricsModule,
        TransfersModule,
        InvoicesModule,
        CreditNotesModule,
        PaymentsModule,
        WebhooksModule,
      ],
      providers: [{ provide: InvoicingEnv, useValue: env }],
    };
  }
}
