import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { EconomicModule } from '../economic/economic.module';
import { MismatchesModule } from '../mismatches/mismatches.module';
import { RefreshModule } from '../refresh/refresh.module';
import { ShopsModule } from '../shops/shops.module';
import { ReconcileScheduler } from './reconcile.scheduler';
import { ReconcileService } from './reconcile.service';
import { RefreshWorker } from './refresh-worker.service';
import { StatusService } from './status.service';
import { EconomicWebhooksService } from './economic-webhooks.service';
import { StockHandler } from './stock.handler';
import { StockService } from './stock.service';

/** Shop stock follows e-conomic: scheduled reconciliation, the webhook fast path, status. */
@Module({
  imports: [EconomicModule, ShopsModule, DeliveriesModule, MismatchesModule, RefreshModule],
  providers: [StockService, ReconcileService, ReconcileScheduler, RefreshWorker, StatusService, EconomicWebhooksService, StockHandler],
  exports: [ReconcileService, RefreshWorker, StatusService],
})
export class StockModule {}
