import { Module } from '@nestjs/common';
import { ShopsModule } from '../shops/shops.module';
import { ShopWebhooksController } from './shop-webhooks.controller';
import { ShopWebhooksHttp } from './shop-webhooks.http';
import { ShopWebhooksService } from './shop-webhooks.service';
import { WebhookBodyChecker } from './webhook-body.checker';
import { WebhookReceiptsStore } from './webhook-receipts.store';

@Module({
  imports: [ShopsModule],
  controllers: [ShopWebhooksController],
  providers: [ShopWebhooksService, ShopWebhooksHttp, WebhookReceiptsStore, WebhookBodyChecker],
  exports: [ShopWebhooksHttp],
})
export class ShopWebhooksModule {}
