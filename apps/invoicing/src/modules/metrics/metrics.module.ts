import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { InvoicingMetrics } from './invoicing-metrics.service';

@Module({
  imports: [QueueModule],
  providers: [InvoicingMetrics],
  exports: [InvoicingMetrics],
})
export class MetricsModule {}
