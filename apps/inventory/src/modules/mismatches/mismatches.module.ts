import { Module } from '@nestjs/common';
import { RefreshModule } from '../refresh/refresh.module';
import { MismatchesHandler } from './mismatches.handler';
import { MismatchesService } from './mismatches.service';
import { ShopSkusService } from './shop-skus.service';
import { SkuIntakeService } from './sku-intake.service';

/** The SKUs a shop sells and where they disagree with e-conomic. */
@Module({
  imports: [RefreshModule],
  providers: [ShopSkusService, SkuIntakeService, MismatchesService, MismatchesHandler],
  exports: [ShopSkusService, MismatchesService],
})
export class MismatchesModule {}
