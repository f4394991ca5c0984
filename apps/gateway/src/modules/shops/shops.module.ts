import { Module } from '@nestjs/common';
import { ShopSecretsService } from './shop-secrets.service';
import { ShopsController } from './shops.controller';
import { ShopsService } from './shops.service';

@Module({
  controllers: [ShopsController],
  providers: [ShopsService, ShopSecretsService],
  exports: [ShopsService, ShopSecretsService],
})
export class ShopsModule {}
