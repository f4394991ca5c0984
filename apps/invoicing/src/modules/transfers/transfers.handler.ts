import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, OrderPaidData, OrderRefundedData, OrderShippedData, OrderUpdatedData, Subjects } from '@bogholder/contracts';
import type { HandlerContext } from '@bogholder/messaging';
import { OnEvent, ShopDirectory } from '@bogholder/service-kit';
import { IntakeService } from './intake.service';

/**
 * Handlers of different orders run side by side (the transfer row lock orders those of one order).
 * They are fast (no e-conomic calls), so a short ack wait lets a crashed replica's unacknowledged
 * deliveries come back after 10 s instead of JetStream's default 30 s.
 */
const INTAKE = { concurrency: 16, ackWaitMs: 10_000 };

/** The shop's order events and the shop's connection/settings changes → intake (thin: delegates). */
@Injectable()
export class TransfersHandler implements OnModuleInit {
  constructor(
    private readonly intake: IntakeService,
    private readonly directory: ShopDirectory,
  ) {}

  onModuleInit(): void {
    this.directory.on('connected', (shopId, _env, manager) => this.intake.shopConnected(shopId, manager));
    this.directory.on('disconnected', (shopId, _env, manager) => this.intake.shopDisconnected(shopId, manager));
    this.directory.on('settings', (shopId, _env, manager) => this.intake.settingsChanged(shopId, manager));
  }

  @OnEvent(Subjects.ShopOrderPaid, INTAKE)
  async paid(env: EventEnvelope<OrderPaidData>, ctx: HandlerContext): Promise<void> {
    await this.intake.orderPaid(env, ctx.manager);
  }

  @OnEvent(Subjects.ShopOrderShipped, INTAKE)
  async shipped(env: EventEnvelope<OrderShippedData>, ctx: HandlerContext): Promise<void> {
    await this.intake.orderShipped(env, ctx.manager);
  }

  @OnEvent(Subjects.ShopOrderUpdated, INTAKE)
  async updated(env: EventEnvelope<OrderUpdatedData>, ctx: HandlerContext): Promise<void> {
    await this.intake.orderUpdated(env, ctx.manager);
  }

  @OnEvent(Subjects.ShopOrderRefunded, INTAKE)
  async refunded(env: EventEnvelope<OrderRefundedData>, ctx: HandlerContext): Promise<void> {
    await this.intake.orderRefunded(env, ctx.manager);
  }
}
