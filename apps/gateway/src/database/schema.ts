import { ConnectStateEntity } from '../modules/economic-connection/entities/connect-state.entity';
import { ConnectionEntity } from '../modules/economic-connection/entities/connection.entity';
import { SettingsEntity } from '../modules/settings/entities/settings.entity';
import { WebhookReceiptEntity } from '../modules/shop-webhooks/entities/webhook-receipt.entity';
import { ShopEntity } from '../modules/shops/entities/shop.entity';
import { GatewayTables1767100000000 } from './migrations/1767100000000-gateway-tables';

/** Every entity and migration of the gateway service (its own schema, `gateway` by default). */
export const ENTITIES: Function[] = [ShopEntity, ConnectionEntity, SettingsEntity, ConnectStateEntity, WebhookReceiptEntity];
export const MIGRATIONS: Function[] = [GatewayTables1767100000000];
