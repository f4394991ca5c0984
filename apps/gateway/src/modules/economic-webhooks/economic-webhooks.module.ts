import { Module } from '@nestjs/common';
import { ShopsModule } from '../shops/shops.module';
import { EconomicWebhooksController, EconomicWebhookUrlsController } from './economic-webhooks.controller';
import { EconomicWebhooksService } from './economic-webhooks.service';

@Module({
  imports: [ShopsModule],
  controllers: [EconomicWebhooksController, EconomicWebhookUrlsController],
  providers: [EconomicWebhooksService],
})
export class EconomicWebhooksModule {}
