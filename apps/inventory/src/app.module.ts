import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ServiceKitModule } from '@bogholder/service-kit';
import { InventoryEnv } from './config/env';
import { ENTITIES, MIGRATIONS } from './database/schema';
import { DeliveriesModule } from './modules/deliveries/deliveries.module';
import { EconomicModule } from './modules/economic/economic.module';
import { MismatchesModule } from './modules/mismatches/mismatches.module';
import { RefreshModule } from './modules/refresh/refresh.module';
import { ShopsModule } from './modules/shops/shops.module';
import { StockModule } from './modules/stock/stock.module';

@Module({})
export class AppModule {
  static forRoot(env: InventoryEnv): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ServiceKitModule.forRoot({ service: 'inventory', env, entities: ENTITIES, migrations: MIGRATIONS, shopDirectory: true }),
        ScheduleModule.forRoot(),
        ShopsModule, EconomicModule, RefreshModule, DeliveriesModule, MismatchesModule, StockModule,
      ],
      providers: [{ provide: InventoryEnv, useValue: env }],
      exports: [InventoryEnv],
    };
  }
}
