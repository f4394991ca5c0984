import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { Product } from '@bogholder/economic-client';
import { errorMessage, Outbox, runWithCorrelation } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger, ShopDirectory } from '@bogholder/service-kit';
import { fromEconomicError, NoInventoryModuleError } from '../../common/errors';
import { Pump } from '../../common/pump';
import { InventoryEnv } from '../../config/env';
import { DeliveryWorker } from '../deliveries/delivery-worker.service';
import { AgreementInventory, EconomicReaderService, EconomicShop, stockOf } from '../economic/economic-reader.service';
import { MismatchesService } from '../mismatches/mismatches.service';
import { ShopSkusService } from '../mismatches/shop-skus.service';
import { ClaimedRefresh, RefreshQueueService } from '../refresh/refresh-queue.service';
import { SyncStateService } from '../shops/sync-state.service';
import { StockReading, StockService } from './stock.service';

const SHOPS_PER_ROUND = 10;
/** A whole snapshot (at most 100,000 items) is read in one round: one product list instead of one per batch. */
const MAX_CLAIM = 100_000;
const LEASE_MS = 120_000;
/** Single-product reads of one shop in flight at once (the agreement's budget paces them further). */
const READ_CONCURRENCY = 4;

/**
 * The fast path: reads queued products (product webhooks, booked invoices, new shop SKUs) once their
 * coalescing window has passed — one GET per SKU, or one paged product list when many SKUs of a shop
 * are queued — and emits what moved.
 */
@Injectable()
export class RefreshWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly pump: Pump;
  private readonly logger;
  private readonly intervalName = `inventory-refresh-${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: RefreshQueueService,
    private readonly directory: ShopDirectory,
    private readonly reader: EconomicReaderService,
    private readonly stock: StockService,
    private readonly skus: ShopSkusService,
    private readonly mismatches: MismatchesService,
    private readonly sync: SyncStateService,
    private readonly outbox: Outbox,
    private readonly deliveries: DeliveryWorker,
    private readonly scheduler: SchedulerRegistry,
    @Inject(InventoryEnv) private readonly env: InventoryEnv,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'refresh' });
    this.pump = new Pump(() => this.processDue(), (err) => this.logger.warn({ err: errorMessage(err) }, 'reading queued products failed; will retry'));
  }

  onApplicationBootstrap(): void {
    this.queue.onRequested((delayMs) => this.pump.triggerIn(delayMs + 25));
    this.scheduler.addInterval(this.intervalName, setInterval(() => this.pump.trigger(), this.env.INVENTORY_REFRESH_POLL_MS));
    this.pump.trigger();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', this.intervalName)) this.scheduler.deleteInterval(this.intervalName);
    await this.pump.stop();
  }

  /** One round over the shops with due products; true when there may be more. */
  async processDue(): Promise<boolean> {
    const shops = await this.queue.dueShops(SHOPS_PER_ROUND);
    for (const shopId of shops) await this.processShop(shopId);
    return shops.length === SHOPS_PER_ROUND;
  }

  private async processShop(shopId: string): Promise<void> {
    const config = await this.directory.get(shopId);
    if (!config.connected || !config.grantTokenEncrypted || !config.settings.stockSync) {
      await this.queue.drop(shopId);
      return;
    }
    const claimed = await this.queue.claim(shopId, MAX_CLAIM, LEASE_MS);
    if (!claimed.length) return;
    const shop: EconomicShop = { agreementNumber: config.agreementNumber, grantTokenEncrypted: config.grantTokenEncrypted };
    const readAt = new Date();
    let agreement: AgreementInventory;
    const results = new Map<ClaimedRefresh, Product | null>();
    const failed: ClaimedRefresh[] = [];
    let failure: unknown;
    try {
      agreement = await this.reader.agreement(shop);
      if (claimed.length >= this.env.INVENTORY_BULK_READ_THRESHOLD) {
        const { products } = await this.reader.allProducts(shop);
        for (const c of claimed) results.set(c, products.get(c.sku.toLowerCase()) ?? null);
      } else {
        const queue = [...claimed];
        await Promise.all(
          Array.from({ length: Math.min(READ_CONCURRENCY, queue.length) }, async () => {
            for (let c = queue.shift(); c; c = queue.shift()) {
              try {
                results.set(c, await this.reader.product(shop, c.sku));
              } catch (err) {
                failed.push(c);
                failure = err;
              }
            }
          }),
        );
      }
    } catch (err) {
      await this.fail(shopId, claimed, err);
      return;
    }

    if (results.size) {
      try {
        await this.apply(shopId, agreement, results, readAt);
      } catch (err) {
        await this.fail(shopId, [...results.keys(), ...failed], err);
        return;
      }
    }
    if (!agreement.hasInventoryModule && results.size) {
      const message = new NoInventoryModuleError(config.agreementNumber).message;
      const previous = await this.sync.note(this.dataSource.manager, shopId, 'no-inventory-module', message);
      if (previous !== 'no-inventory-module') this.logger.warn({ shopId, agreementNumber: config.agreementNumber }, message);
    }
    if (failed.length) await this.fail(shopId, failed, failure);
  }

  private async apply(shopId: string, agreement: AgreementInventory, results: Map<ClaimedRefresh, Product | null>, readAt: Date): Promise<void> {
    const byCorrelation = new Map<string, string[]>();
    const readings: StockReading[] = [];
    const untracked: string[] = [];
    const checks: { sku: string; exists: boolean }[] = [];
    for (const [c, product] of results) {
      checks.push({ sku: c.sku, exists: product !== null });
      const available = product ? stockOf(product, agreement) : null;
      if (product && available !== null) readings.push({ sku: product.productNumber, available, correlationId: c.correlationId });
      else untracked.push(product?.productNumber ?? c.sku);
      const group = byCorrelation.get(c.correlationId);
      if (group) group.push(c.sku);
      else byCorrelation.set(c.correlationId, [c.sku]);
    }
    const first = [...results.keys()][0]!.correlationId;
    await runWithCorrelation(first, () =>
      this.outbox.transaction(async (m) => {
        await this.stock.apply(m, shopId, readings, readAt, first);
        await this.stock.forget(m, shopId, untracked, readAt);
        await this.skus.markChecked(m, shopId, checks);
        for (const [correlationId, skus] of byCorrelation) await this.mismatches.evaluate(m, shopId, correlationId, skus);
        await this.queue.done(shopId, [...results.keys()], m);
      }),
    );
    this.deliveries.wake();
  }

  private async fail(shopId: string, items: ClaimedRefresh[], err: unknown): Promise<void> {
    const e = fromEconomicError(err, 'reading products');
    const attempts = Math.max(...items.map((i) => i.attempts));
    const delayMs = e.retryable ? Math.min(60_000, 500 * 2 ** Math.min(attempts, 10)) + (e.retryAfterMs ?? 0) : 300_000;
    await this.queue.retry(shopId, items, delayMs);
    if (!e.retryable) {
      const previous = await this.sync.note(this.dataSource.manager, shopId, 'error', e.message);
      if (previous !== 'error') this.logger.warn({ shopId, code: e.code, err: e.message }, 'cannot read products from e-conomic');
    } else {
      this.logger.warn({ shopId, code: e.code, err: e.message, skus: items.length, retryInMs: delayMs }, 'reading products from e-conomic failed; will retry');
    }
  }
}
