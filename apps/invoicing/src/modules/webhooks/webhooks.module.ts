import { Module } from '@nestjs/common';
import { CreditNotesModule } from '../credit-notes/credit-notes.module';
import { EconomicModule } from '../economic/economic.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { QueueModule } from '../queue/queue.module';
import { BookedCheckProcessor } from './booked-check.processor';
import { EconomicWebhooksHandler } from './economic-webhooks.handler';
import { EconomicWebhooksService } from './economic-webhooks.service';

/** e-conomic's invoice webhooks: notice documents booked by hand. */
@Module({
  imports: [QueueModule, EconomicModule, InvoicesModule, CreditNotesModule],
  providers: [EconomicWebhooksHandler, EconomicWebhooksService, BookedCheckProcessor],
})
export class WebhooksModule {}
