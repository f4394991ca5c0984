import { DeliveryAttemptEntity } from '../modules/deliveries/entities/delivery-attempt.entity';
import { DeliveryEntity } from '../modules/deliveries/entities/delivery.entity';
import { MismatchEntity } from '../modules/mismatches/entities/mismatch.entity';
import { ShopSkuEntity } from '../modules/mismatches/entities/shop-sku.entity';
import { ProductRefreshEntity } from '../modules/refresh/entities/product-refresh.entity';
import { ShopProfileEntity } from '../modules/shops/entities/shop-profile.entity';
import { SyncStateEntity } from '../modules/shops/entities/sync-state.entity';
import { StockEntity } from '../modules/stock/entities/stock.entity';
import { InventoryTables1767100000000 } from './migrations/1767100000000-inventory-tables';

/** Every entity and migration of the inventory service (its own schema, `inventory` by default). */
export const ENTITIES: Function[] = [
  ShopProfileEntity, SyncStateEntity, StockEntity, ShopSkuEntity, MismatchEntity, ProductRefreshEntity, DeliveryEntity, DeliveryAttemptEntity,
];
export const MIGRATIONS: Function[] = [InventoryTables1767100000000];
