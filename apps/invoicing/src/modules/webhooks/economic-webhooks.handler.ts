import { Injectable } from '@nestjs/common';
import { EconomicWebhookReceivedData, EventEnvelope, Subjects } from '@bogholder/contracts';
import type { HandlerContext } from '@bogholder/messaging';
import { OnEvent } from '@bogholder/service-kit';
import { EconomicWebhooksService } from './economic-webhooks.service';

@Injectable()
export class EconomicWebhooksHandler {
  constructor(private readonly webhooks: EconomicWebhooksService) {}

  @OnEvent(Subjects.EconomicWebhookReceived, { concurrency: 4 })
  async received(env: EventEnvelope<EconomicWebhookReceivedData>, ctx: HandlerContext): Promise<void> {
    await this.webhooks.received(env, ctx.manager);
  }
}
