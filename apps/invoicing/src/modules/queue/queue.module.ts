import { Module } from '@nestjs/common';
import { QueueService } from './queue.service';
import { WorkerService } from './worker.service';

/** The PostgreSQL work queue and the worker loop that runs it. */
@Module({
  providers: [QueueService, WorkerService],
  exports: [QueueService, WorkerService],
})
export class QueueModule {}
