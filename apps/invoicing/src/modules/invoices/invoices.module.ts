import { Module } from '@nestjs/common';
import { EconomicModule } from '../economic/economic.module';
import { MetricsModule } from '../metrics/metrics.module';
import { QueueModule } from '../queue/queue.module';
import { TransfersModule } from '../transfers/transfers.module';
import { InvoiceStateService } from './invoice-state.service';
import { InvoiceProcessor } from './invoice.processor';

/** Orders → exactly one draft and booked invoice each. */
@Module({
  imports: [QueueModule, EconomicModule, MetricsModule, TransfersModule],
  providers: [InvoiceStateService, InvoiceProcessor],
  exports: [InvoiceStateService],
})
export class InvoicesModule {}
