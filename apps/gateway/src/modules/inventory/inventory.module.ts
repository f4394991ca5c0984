import { Module } from '@nestjs/common';
import { ShopsModule } from '../shops/shops.module';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';

@Module({
  imports: [ShopsModule],
  controllers: [InventoryController],
  providers: [InventoryService],
})
export class InventoryModule {}
