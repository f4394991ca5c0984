import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { EconomicWebhookReceivedData, EventEnvelope } from '@bogholder/contracts';
import { ROOT_LOGGER, RootLogger } from '@bogholder/service-kit';
import { QueueService } from '../queue/queue.service';

/** Lets our own booking commit first, so a webhook for it costs no e-conomic call. */
const BOOKED_CHECK_DELAY_MS = 3_000;

/**
 * e-conomic's "invoice booked" webhooks (queued by the gateway as `economic.webhook.received`). An
 * invoice we booked ourselves is recognised without a call; any other is checked by a job that reads
 * it and, if it carries one of our references (an admin booked a parked draft by hand), records it.
 */
@Injectable()
export class EconomicWebhooksService {
  private readonly logger: RootLogger;

  constructor(
    private readonly queue: QueueService,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'economic-webhooks' });
  }

  async received(env: EventEnvelope<EconomicWebhookReceivedData>, m: EntityManager): Promise<void> {
    // Product webhooks matter to the inventory service; a deleted product shows up here as a refused draft.
    if (env.data.kind !== 'invoice') return;
    const number = Number(env.data.number);
    if (!Number.isInteger(number) || number < 1) {
      this.logger.warn({ shopId: env.shopId, number: env.data.number }, 'invoice webhook without a valid invoice number: ignored');
      return;
    }
    const known: unknown[] = await m.query(
      `SELECT 1 FROM transfers WHERE shop_id = $1 AND booked_invoice_number = $2
       UNION ALL SELECT 1 FROM credit_notes WHERE shop_id = $1 AND booked_invoice_number = $2 LIMIT 1`,
      [env.shopId, number],
    );
    if (known.length) return;
    await this.queue.enqueue(m, { shopId: env.shopId, kind: 'booked_check', orderId: '', subId: String(number), delayMs: BOOKED_CHECK_DELAY_MS });
  }
}
