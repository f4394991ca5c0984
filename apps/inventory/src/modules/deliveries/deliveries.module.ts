import { Module } from '@nestjs/common';
import { ShopsModule } from '../shops/shops.module';
import { DeliveriesHandler } from './deliveries.handler';
import { DeliveriesService } from './deliveries.service';
import { DeliveryWorker } from './delivery-worker.service';

/** stock.changed to the shop's callbackUrl: signed, retried, logged, dead-lettered, redeliverable. */
@Module({
  imports: [ShopsModule],
  providers: [DeliveriesService, DeliveryWorker, DeliveriesHandler],
  exports: [DeliveriesService, DeliveryWorker],
})
export class DeliveriesModule {}
