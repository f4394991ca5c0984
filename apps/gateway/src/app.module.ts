import { DynamicModule, Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { ServiceKitModule } from '@bogholder/service-kit';
import { createValidationPipe } from './common/validation';
import { GatewayConfigModule } from './config/config.module';
import { GatewayEnv } from './config/env';
import { ENTITIES, MIGRATIONS } from './database/schema';
import { AuthModule } from './modules/auth/auth.module';
import { EconomicConnectionModule } from './modules/economic-connection/economic-connection.module';
import { EconomicWebhooksModule } from './modules/economic-webhooks/economic-webhooks.module';
import { InventoryModule } from './modules/inventory/inventory.module';
import { KeyRotationModule } from './modules/key-rotation/key-rotation.module';
import { SettingsModule } from './modules/settings/settings.module';
import { ShopWebhooksModule } from './modules/shop-webhooks/shop-webhooks.module';
import { ShopsModule } from './modules/shops/shops.module';
import { TransfersModule } from './modules/transfers/transfers.module';

@Module({})
export class AppModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({ service: 'gateway', env, entities: ENTITIES, migrations: MIGRATIONS, shopDirectory: false }),
        GatewayConfigModule.forRoot(env),
        AuthModule,
        ShopsModule,
        EconomicConnectionModule,
        SettingsModule,
        ShopWebhooksModule,
        EconomicWebhooksModule,
        TransfersModule,
        InventoryModule,
        KeyRotationModule,
      ],
      providers: [{ provide: APP_PIPE, useFactory: createValidationPipe }],
    };
  }
}
