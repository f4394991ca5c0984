import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { errorMessage } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger } from '@bogholder/service-kit';
import { Pump } from '../../common/pump';
import { InventoryEnv } from '../../config/env';
import { ReconcileService } from './reconcile.service';

/** The scheduler tick (@nestjs/schedule): every few seconds, reconcile the shops that are due. */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly pump: Pump;
  private readonly intervalName = `inventory-reconcile-${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly reconcile: ReconcileService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(InventoryEnv) private readonly env: InventoryEnv,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    const log = logger.child({ component: 'reconcile' });
    this.pump = new Pump(() => this.reconcile.runDue(), (err) => log.warn({ err: errorMessage(err) }, 'the reconciliation tick failed; the next tick tries again'));
  }

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(this.intervalName, setInterval(() => this.pump.trigger(), this.env.INVENTORY_RECONCILE_TICK_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', this.intervalName)) this.scheduler.deleteInterval(this.intervalName);
    await this.pump.stop();
  }
}
