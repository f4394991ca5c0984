import { Module } from '@nestjs/common';
import { EconomicModule } from '../economic/economic.module';
import { MetricsModule } from '../metrics/metrics.module';
import { QueueModule } from '../queue/queue.module';
import { PaymentProcessor } from './payment.processor';

/** Posting each payment of a booked invoice once (`postPayments`). */
@Module({
  imports: [QueueModule, EconomicModule, MetricsModule],
  providers: [PaymentProcessor],
})
export class PaymentsModule {}
