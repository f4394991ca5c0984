import { Module } from '@nestjs/common';
import { ShopProfilesService } from './shop-profiles.service';
import { ShopsHandler } from './shops.handler';
import { SyncStateService } from './sync-state.service';

/** Shop profiles (callback URL, signing secret) and each shop's stock sync state. */
@Module({
  providers: [ShopProfilesService, SyncStateService, ShopsHandler],
  exports: [ShopProfilesService, SyncStateService],
})
export class ShopsModule {}
