import { Module } from '@nestjs/common';
import { EconomicConnectionModule } from '../economic-connection/economic-connection.module';
import { ShopsModule } from '../shops/shops.module';
import { ReferenceCheckService } from './reference-check.service';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

@Module({
  imports: [ShopsModule, EconomicConnectionModule],
  controllers: [SettingsController],
  providers: [SettingsService, ReferenceCheckService],
})
export class SettingsModule {}
