import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  EconomicConnectedData, EconomicWebhookReceivedData, EventEnvelope, InventoryStatusReply, ReconcileReply, RpcSubjects, Settings, Subjects, withDefaults,
} from '@bogholder/contracts';
import type { HandlerContext } from '@bogholder/messaging';
import { OnEvent, OnRpc, ShopDirectory } from '@bogholder/service-kit';
import { validRequest } from '../../common/validate';
import { EconomicReaderService } from '../economic/economic-reader.service';
import { ShopScopedDto } from '../mismatches/dto/mismatches.dto';
import { RefreshQueueService } from '../refresh/refresh-queue.service';
import { SyncStateService } from '../shops/sync-state.service';
import { EconomicWebhooksService } from './economic-webhooks.service';
import { ReconcileService } from './reconcile.service';
import { StatusService } from './status.service';

/** e-conomic's webhooks (via the gateway), shop connection and settings changes, and the status call. */
@Injectable()
export class StockHandler implements OnModuleInit {
  constructor(
    private readonly directory: ShopDirectory,
    private readonly reader: EconomicReaderService,
    private readonly refresh: RefreshQueueService,
    private readonly sync: SyncStateService,
    private readonly webhooks: EconomicWebhooksService,
    private readonly statusService: StatusService,
    private readonly reconciler: ReconcileService,
  ) {}

  /** Connections and settings arrive through the kit's ShopDirectory (it owns those consumers). */
  onModuleInit(): void {
    this.directory.on('settings', async (shopId, env, manager) => {
      if (withDefaults(env.data as Partial<Settings>).stockSync) await this.sync.dueNow(manager, shopId);
      else await this.refresh.drop(shopId, manager);
    });
    this.directory.on('connected', async (shopId, env, manager) => {
      this.reader.forget((env.data as EconomicConnectedData).agreementNumber);
      await this.sync.dueNow(manager, shopId);
    });
    this.directory.on('disconnected', async (shopId, _env, manager) => {
      await this.refresh.drop(shopId, manager);
    });
  }

  @OnEvent(Subjects.EconomicWebhookReceived, { concurrency: 8 })
  async webhook(env: EventEnvelope<EconomicWebhookReceivedData>, ctx: HandlerContext): Promise<void> {
    await this.webhooks.received(ctx.manager, env);
  }

  /** Admin action: reconcile a shop now, whether or not it is due. */
  @OnRpc(RpcSubjects.InventoryReconcile)
  async reconcile(request: unknown): Promise<ReconcileReply> {
    const { outcome, message, changes, productsRead } = await this.reconciler.reconcileNow(validRequest(ShopScopedDto, request).shopId);
    return { outcome, message, changes, productsRead };
  }

  @OnRpc(RpcSubjects.InventoryStatus)
  async status(request: unknown): Promise<InventoryStatusReply> {
    return await this.statusService.status(validRequest(ShopScopedDto, request).shopId);
  }
}
