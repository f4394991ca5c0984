import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createEnvelope, EconomicWebhookReceivedData, Subjects } from '@bogholder/contracts';
import { Bus, currentCorrelationId, errorMessage } from '@bogholder/messaging';
import { HttpProblem, ROOT_LOGGER, RootLogger } from '@bogholder/service-kit';
import { constantTimeEqual } from '../../common/secrets';
import { GatewayEnv } from '../../config/env';
import { ShopSecretsService } from '../shops/shop-secrets.service';
import { ShopsService } from '../shops/shops.service';
import { EconomicWebhookUrlsDto } from './dto/economic-webhook.dto';

const KINDS = ['product', 'invoice'] as const;
type Kind = (typeof KINDS)[number];

const notFound = () => new HttpProblem(404, 'not found', [], 'not_found');
const param = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
/** e-conomic substitutes its merge fields; an unsubstituted one means the template was pasted wrongly. */
const MERGE_FIELD = /^\[[A-Z]+\]$/;

/**
 * e-conomic's own webhooks (CONTRACT.md §3b): unsigned URL templates with a secret path segment per
 * shop. Each call is queued in JetStream as `economic.webhook.received` and answered 202 at once;
 * the inventory and invoicing services do the work.
 */
@Injectable()
export class EconomicWebhooksService {
  constructor(
    private readonly env: GatewayEnv,
    private readonly secrets: ShopSecretsService,
    private readonly shops: ShopsService,
    private readonly bus: Bus,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  async urls(shopId: string): Promise<EconomicWebhookUrlsDto> {
    await this.shops.requireShop(shopId);
    const shop = await this.secrets.get(shopId);
    const base = `${this.env.PUBLIC_URL.replace(/\/+$/, '')}/webhooks/economic/${shopId}/${shop!.economicSecret}`;
    return { product: `${base}/product?number=[NEWNUMBER]&old=[OLDNUMBER]`, invoice: `${base}/invoice?number=[INVOICENO]` };
  }

  async receive(shopId: string, secret: string, kind: string, query: Record<string, unknown>): Promise<{ id: string }> {
    const shop = await this.secrets.get(shopId);
    // Unknown shop and wrong secret answer the same (constant-time compare), so neither can be probed.
    if (!shop || !constantTimeEqual(secret, shop.economicSecret)) throw notFound();
    if (!(KINDS as readonly string[]).includes(kind)) throw notFound();
    const number = param(query.number);
    const old = param(query.old);
    if (!number || number.length > 100 || MERGE_FIELD.test(number)) {
      const message = `number must be the ${kind === 'product' ? 'product number ([NEWNUMBER])' : 'invoice number ([INVOICENO])'}: use the URL from GET /api/shops/${shopId}/economic/webhook-urls as it is`;
      throw new HttpProblem(400, message, [{ field: 'number', message }], 'invalid_webhook');
    }
    const data: EconomicWebhookReceivedData = { kind: kind as Kind, number };
    if (old && old.length <= 100 && !MERGE_FIELD.test(old)) data.oldNumber = old;
    const envelope = createEnvelope(Subjects.EconomicWebhookReceived, shop.shopId, data, currentCorrelationId() || randomUUID());
    try {
      await this.bus.publish(envelope);
    } catch (err) {
      this.logger.error({ shopId, kind, err: errorMessage(err) }, 'could not queue an e-conomic webhook');
      throw new HttpProblem(503, 'the call could not be queued; e-conomic retries it', [], 'jetstream_unavailable');
    }
    return { id: envelope.id };
  }
}
