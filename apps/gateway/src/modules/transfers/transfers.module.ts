import { Module } from '@nestjs/common';
import { ShopsModule } from '../shops/shops.module';
import { TransfersController } from './transfers.controller';
import { TransfersService } from './transfers.service';

@Module({
  imports: [ShopsModule],
  controllers: [TransfersController],
  providers: [TransfersService],
})
export class TransfersModule {}
