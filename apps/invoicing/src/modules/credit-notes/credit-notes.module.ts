import { Module } from '@nestjs/common';
import { EconomicModule } from '../economic/economic.module';
import { MetricsModule } from '../metrics/metrics.module';
import { QueueModule } from '../queue/queue.module';
import { CreditNoteProcessor } from './credit-note.processor';

/** One credit note per refund, after the order's invoice. */
@Module({
  imports: [QueueModule, EconomicModule, MetricsModule],
  providers: [CreditNoteProcessor],
  exports: [CreditNoteProcessor],
})
export class CreditNotesModule {}
