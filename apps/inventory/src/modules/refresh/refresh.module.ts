import { Module } from '@nestjs/common';
import { RefreshQueueService } from './refresh-queue.service';

/** The queue of products to read again soon (product webhooks, booked invoices, new shop SKUs). */
@Module({ providers: [RefreshQueueService], exports: [RefreshQueueService] })
export class RefreshModule {}
