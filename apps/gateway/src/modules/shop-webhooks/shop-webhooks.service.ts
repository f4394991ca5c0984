import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { Counter } from 'prom-client';
import { EventEnvelope, FieldError, ShopWebhookBody, shopSubjectFor } from '@bogholder/contracts';
import { Bus, errorMessage, PublishResult } from '@bogholder/messaging';
import { HttpProblem, Metrics, ROOT_LOGGER, RootLogger } from '@bogholder/service-kit';
import { GatewayEnv } from '../../config/env';
import { ShopSecrets, ShopSecretsService } from '../shops/shop-secrets.service';
import { readRawBody } from './body-reader';
import { verifySignature } from './signature';
import { WebhookBodyChecker } from './webhook-body.checker';
import { WebhookReceiptsStore } from './webhook-receipts.store';

export interface WebhookAnswer {
  status: 200 | 202;
  body: { id: string; duplicate?: true };
}

/** Webhook ids become the event id, the JetStream Nats-Msg-Id and the correlation id. */
const WEBHOOK_ID = /^[\x21-\x7e]{1,200}$/;

const badRequest = (message: string, errors: FieldError[], code = 'invalid_webhook') => new HttpProblem(400, message, errors, code);
const usedByAnotherShop = () => {
  const message = 'webhook ids must be unique; this id was already used by another shop';
  return badRequest(`${message}: give every webhook a new id (e.g. msg_<uuid>)`, [{ field: 'webhook-id', message }], 'webhook_id_taken');
};

/**
 * Signed webhooks from shops (CONTRACT.md §3): 404 unknown shop → 413 → 401 signature → 200 for a
 * repeated id → 400 invalid → published to JetStream (`shop.<type>`, Nats-Msg-Id = webhook-id) →
 * 202 once JetStream has it. Nothing is published for any other answer.
 */
@Injectable()
export class ShopWebhooksService {
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    private readonly env: GatewayEnv,
    private readonly secrets: ShopSecretsService,
    private readonly receipts: WebhookReceiptsStore,
    private readonly bodies: WebhookBodyChecker,
    private readonly bus: Bus,
    metrics: Metrics,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {
    this.outcomes = new Counter({
      name: 'bogholder_gateway_shop_webhooks_total',
      help: 'Shop webhooks by outcome (accepted, duplicate, or the HTTP status they were refused with)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  async receive(shopId: string, req: IncomingMessage): Promise<WebhookAnswer> {
    try {
      const answer = await this.handle(shopId, req);
      this.outcomes.inc({ outcome: answer.body.duplicate ? 'duplicate' : 'accepted' });
      return answer;
    } catch (err) {
      this.outcomes.inc({ outcome: err instanceof HttpProblem ? String(err.getStatus()) : 'error' });
      throw err;
    }
  }

  private async handle(shopId: string, req: IncomingMessage): Promise<WebhookAnswer> {
    const found = this.secrets.get(shopId);
    const shop = found instanceof Promise ? await found.catch((err: unknown) => this.databaseDown(err)) : found;
    if (!shop) {
      throw new HttpProblem(404, `no shop has the id ${shopId}: check the webhook URL (POST /webhooks/shops/<shop id>, the id the admin API gave the shop)`, [{ field: 'shopId', message: 'unknown shop' }], 'shop_not_found');
    }
    const raw = await readRawBody(req);
    const id = verifySignature(shop.webhook, req.headers, raw, this.env.WEBHOOK_TOLERANCE_SECONDS);
    if (!WEBHOOK_ID.test(id)) {
      const message = 'webhook-id must be 1–200 printable ASCII characters without spaces';
      throw badRequest(message, [{ field: 'webhook-id', message }]);
    }
    // The lookup runs while the body is checked; a repeat is answered as such even if its body is bad.
    const owner = this.receipts.ownerOf(id).then((shopId) => ({ shopId }), (err: unknown) => ({ err }));
    const pending = this.bodies.check(req.headers['content-type'], raw);
    const checked = pending instanceof Promise ? await pending : pending;
    const first = await owner;
    if ('err' in first) this.databaseDown(first.err);
    if (first.shopId === shop.shopId) return { status: 200, body: { id, duplicate: true } };
    if (first.shopId) throw usedByAnotherShop();
    if (!checked.ok) throw badRequest(checked.message, checked.errors);
    return await this.publish(shop, id, checked.body!);
  }

  private databaseDown(err: unknown): never {
    this.logger.error({ err: errorMessage(err) }, 'the database did not answer a shop webhook');
    throw new HttpProblem(503, 'the gateway cannot read its database right now; nothing was accepted: send the webhook again shortly', [], 'database_unavailable');
  }

  private async publish(shop: ShopSecrets, id: string, body: ShopWebhookBody): Promise<WebhookAnswer> {
    const envelope: EventEnvelope = {
      id,
      type: shopSubjectFor(body.type),
      shopId: shop.shopId,
      occurredAt: body.timestamp,
      correlationId: id,
      data: body.data,
    };
    let ack: PublishResult;
    try {
      ack = await this.bus.publish(envelope);
    } catch (err) {
      this.logger.error({ webhookId: id, err: errorMessage(err) }, 'JetStream did not store a shop webhook');
      throw new HttpProblem(503, `the webhook could not be stored (${errorMessage(err)}); nothing was accepted: send it again shortly`, [], 'jetstream_unavailable');
    }
    if (ack.duplicate) {
      // JetStream already has this id (inside its duplicate window): whose was it?
      const first = await this.shopOfStoredEvent(ack);
      if (first !== shop.shopId) {
        if (first) throw usedByAnotherShop();
        throw new HttpProblem(503, 'the webhook id was seen before but its owner could not be checked; send it again shortly', [], 'jetstream_unavailable');
      }
      await this.record(shop.shopId, id, body.type);
      return { status: 200, body: { id, duplicate: true } };
    }
    await this.record(shop.shopId, id, body.type);
    return { status: 202, body: { id } };
  }

  private async record(shopId: string, webhookId: string, type: string): Promise<void> {
    try {
      await this.receipts.record({ webhookId, shopId, type });
    } catch (err) {
      // The event is in JetStream (accepted); without the receipt a repeat after JetStream's duplicate
      // window would be published again, which the consumers' inbox absorbs (the event id is the same).
      this.logger.error({ webhookId, err: errorMessage(err) }, 'webhook accepted but its receipt could not be written');
    }
  }

  private async shopOfStoredEvent(ack: PublishResult): Promise<string | null> {
    try {
      const stored = await this.bus.jsm.streams.getMessage(ack.stream, { seq: ack.seq });
      return stored.header?.get('Bogholder-Shop-Id') || null;
    } catch (err) {
      this.logger.warn({ stream: ack.stream, seq: ack.seq, err: errorMessage(err) }, 'could not read a stored event to check its shop');
      return null;
    }
  }
}
