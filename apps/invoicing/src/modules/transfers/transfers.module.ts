import { Module } from '@nestjs/common';
import { EconomicModule } from '../economic/economic.module';
import { QueueModule } from '../queue/queue.module';
import { DependentsService } from './dependents.service';
import { IntakeService } from './intake.service';
import { TransfersController } from './transfers.controller';
import { TransfersHandler } from './transfers.handler';
import { TransfersService } from './transfers.service';

/** The transfer log: intake of order events, and the gateway's list / retry / preview. */
@Module({
  imports: [QueueModule, EconomicModule],
  providers: [IntakeService, DependentsService, TransfersHandler, TransfersService, TransfersController],
  exports: [DependentsService],
})
export class TransfersModule {}
