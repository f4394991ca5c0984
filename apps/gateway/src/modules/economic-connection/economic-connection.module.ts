import { Module } from '@nestjs/common';
import { ShopsModule } from '../shops/shops.module';
import { ConnectStateService } from './connect-state.service';
import { EconomicCallbackController } from './economic-callback.controller';
import { EconomicConnectionController } from './economic-connection.controller';
import { EconomicConnectionService } from './economic-connection.service';

@Module({
  imports: [ShopsModule],
  controllers: [EconomicConnectionController, EconomicCallbackController],
  providers: [EconomicConnectionService, ConnectStateService],
  exports: [EconomicConnectionService],
})
export class EconomicConnectionModule {}
