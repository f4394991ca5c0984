import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { errorMessage, Outbox, runWithCorrelation } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger, ShopDirectory } from '@bogholder/service-kit';
import { fromEconomicError, NoInventoryModuleError } from '../../common/errors';
import { InventoryEnv } from '../../config/env';
import { DeliveryWorker } from '../deliveries/delivery-worker.service';
import { EconomicReaderService } from '../economic/economic-reader.service';
import { MismatchesService } from '../mismatches/mismatches.service';
import { ShopSkusService } from '../mismatches/shop-skus.service';
import { RefreshQueueService } from '../refresh/refresh-queue.service';
import { DueShop, SyncStateService } from '../shops/sync-state.service';
import { StockService } from './stock.service';

export interface ReconcileResult {
  /** `busy`: another runner (this or another replica) is reconciling the shop or its agreement right now. */
  outcome: 'done' | 'busy' | 'skipped' | 'no-inventory-module' | 'failed';
  message: string;
  changes?: number;
  productsRead?: number;
  /** e-conomic requests the product listing cost. */
  calls?: number;
}

const SECONDS_PER_DAY = 86_400;

/**
 * Reconciliation: reads `available` of every product in the inventory-enabled groups (one request per
 * 1000 products) and emits stock.changed for every SKU that moved since it was last sent. One runner per
 * shop and per agreement at a time across replicas (PostgreSQL advisory locks, skipped when taken).
 */
@Injectable()
export class ReconcileService {
  private readonly logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: ShopDirectory,
    private readonly reader: EconomicReaderService,
    private readonly stock: StockService,
    private readonly skus: ShopSkusService,
    private readonly mismatches: MismatchesService,
    private readonly refresh: RefreshQueueService,
    private readonly sync: SyncStateService,
    private readonly outbox: Outbox,
    private readonly deliveries: DeliveryWorker,
    @Inject(InventoryEnv) private readonly env: InventoryEnv,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'reconcile' });
  }

  /**
   * Shops reconciled at once by this replica. Each run holds one database connection for its locks,
   * so at most half the pool, leaving the rest to consumers and workers.
   */
  get concurrency(): number {
    return Math.max(1, Math.min(this.env.INVENTORY_RECONCILE_CONCURRENCY, Math.floor(this.env.DATABASE_POOL_SIZE / 2)));
  }

  /** One scheduler tick: reconciles the shops that are due; true when more may be due. */
  async runDue(): Promise<boolean> {
    const limit = this.concurrency * 4;
    const due = await this.sync.dueShops(limit);
    // Shops of one agreement run one after the other (they share its request budget).
    const byAgreement = new Map<string, DueShop[]>();
    for (const shop of due) {
      const key = shop.agreementNumber === null ? `shop:${shop.shopId}` : `agreement:${shop.agreementNumber}`;
      const group = byAgreement.get(key);
      if (group) group.push(shop);
      else byAgreement.set(key, [shop]);
    }
    const groups = [...byAgreement.values()];
    let busy = 0;
    await Promise.all(
      Array.from({ length: Math.min(this.concurrency, groups.length) }, async () => {
        for (let group = groups.shift(); group; group = groups.shift()) {
          for (const shop of group) if ((await this.reconcile(shop)).outcome === 'busy') busy++;
        }
      }),
    );
    return due.length === limit && busy < due.length;
  }

  /** Reconciles one shop now, whether or not it is due (admin action, tests). */
  async reconcileNow(shopId: string): Promise<ReconcileResult> {
    const shop = await this.directory.get(shopId);
    if (!shop.connected || !shop.grantTokenEncrypted) return { outcome: 'skipped', message: `shop ${shopId} is not connected to e-conomic` };
    if (!shop.settings.stockSync) return { outcome: 'skipped', message: `stock sync is off for shop ${shopId}` };
    return await this.reconcile({ shopId, agreementNumber: shop.agreementNumber, grantTokenEncrypted: shop.grantTokenEncrypted, intervalSeconds: shop.settings.stockSyncIntervalSeconds });
  }

  async reconcile(shop: DueShop): Promise<ReconcileResult> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      if (!(await this.tryLock(runner, `shop:${shop.shopId}`))) return { outcome: 'busy', message: `shop ${shop.shopId} is being reconciled by another runner` };
      try {
        const agreementKey = `agreement:${shop.agreementNumber ?? shop.shopId}`;
        if (!(await this.tryLock(runner, agreementKey))) return { outcome: 'busy', message: `agreement ${shop.agreementNumber} is being reconciled by another runner` };
        try {
          const startedAt = new Date();
          const correlationId = `reconcile:${shop.shopId}:${startedAt.toISOString()}`;
          return await runWithCorrelation(correlationId, () => this.run(runner, shop, startedAt, correlationId));
        } finally {
          await this.unlock(runner, agreementKey);
        }
      } finally {
        await this.unlock(runner, `shop:${shop.shopId}`);
      }
    } finally {
      await runner.release();
    }
  }

  private async run(runner: QueryRunner, shop: DueShop, startedAt: Date, correlationId: string): Promise<ReconcileResult> {
    const { shopId } = shop;
    const manager = runner.manager;
    try {
      const agreement = await this.reader.agreement(shop);
      if (!agreement.hasInventoryModule) {
        const message = new NoInventoryModuleError(shop.agreementNumber).message;
        // Without stock, SKUs can still be looked up: missing-in-economic keeps working.
        await this.queueUnchecked(manager, shopId, correlationId);
        const previous = await this.sync.recordProblem(shopId, 'no-inventory-module', message, shop.intervalSeconds, false, startedAt, manager);
        if (previous !== 'no-inventory-module') this.logger.warn({ shopId, agreementNumber: shop.agreementNumber }, message);
        return { outcome: 'no-inventory-module', message };
      }
      if (!agreement.inventoryGroups.length) {
        const message = `the e-conomic agreement${shop.agreementNumber ? ` ${shop.agreementNumber}` : ''} has the inventory module, but no product group has inventory enabled, so no product has stock: enable inventory on the product groups of your stock items in e-conomic`;
        const previous = await this.sync.recordProblem(shopId, 'error', message, shop.intervalSeconds, false, startedAt, manager);
        if (previous !== 'error') this.logger.warn({ shopId, agreementNumber: shop.agreementNumber }, message);
        return { outcome: 'failed', message };
      }
      const listing = await this.reader.inventoryProducts(shop, agreement.inventoryGroups);
      let changes = 0;
      await runner.startTransaction();
      try {
        changes = (await this.stock.apply(manager, shopId, listing.reads, startedAt, correlationId)).length;
        const gone = await this.stock.forgetUnlisted(manager, shopId, listing.reads.map((r) => r.sku), startedAt);
        await this.skus.markChecked(manager, shopId, listing.reads.map((r) => ({ sku: r.sku, exists: true })));
        await this.skus.forget(manager, shopId, gone);
        await this.queueUnchecked(manager, shopId, correlationId);
        await this.mismatches.evaluate(manager, shopId, correlationId);
        await runner.commitTransaction();
      } catch (err) {
        await runner.rollbackTransaction();
        throw err;
      }
      this.outbox.notify();
      this.deliveries.wake();
      // Every shop on the agreement spends its requests: together they stay within the daily share.
      const sharing = await this.sync.shopsSharing(shop.agreementNumber);
      const budgetSeconds = Math.ceil((listing.calls * sharing * SECONDS_PER_DAY) / this.env.INVENTORY_DAILY_RECONCILE_CALLS);
      const effective = Math.max(shop.intervalSeconds, budgetSeconds);
      const stretched = effective > shop.intervalSeconds
        ? `; reconciling every ${effective} s instead of every ${shop.intervalSeconds} s, so that the ${listing.calls} request(s) a run costs${sharing > 1 ? ` (for each of the ${sharing} shops on this agreement)` : ''} stay within ${this.env.INVENTORY_DAILY_RECONCILE_CALLS} requests a day for the agreement (e-conomic's fair use is about 50,000; webhooks still update stock within seconds)`
        : '';
      const message = `stock reconciled: ${listing.reads.length} products of the inventory-enabled product groups read with ${listing.calls} request(s), ${changes} stock change(s) sent${stretched}`;
      const previous = await this.sync.recordSuccess(shopId, { productsRead: listing.reads.length, changesSent: changes, effectiveIntervalSeconds: effective, message, startedAt }, manager);
      if (previous === 'error' || previous === 'no-inventory-module') this.logger.info({ shopId }, 'stock sync works again');
      return { outcome: 'done', message, changes, productsRead: listing.reads.length, calls: listing.calls };
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      const e = fromEconomicError(err, 'reconciling stock');
      const failures = (await this.sync.get(shopId, manager))?.consecutiveFailures ?? 0;
      const retryIn = e.retryable ? Math.min(shop.intervalSeconds, 5 * 2 ** failures) : shop.intervalSeconds;
      const previous = await this.sync.recordProblem(shopId, 'error', e.message, retryIn, true, startedAt, manager).catch((dbErr: unknown) => {
        this.logger.error({ shopId, err: errorMessage(dbErr) }, 'could not record the reconciliation failure');
        return 'error' as const;
      });
      if (previous !== 'error') this.logger.warn({ shopId, code: e.code, err: e.message, retryInSeconds: retryIn }, 'stock reconciliation failed');
      else this.logger.debug({ shopId, code: e.code, err: e.message, retryInSeconds: retryIn }, 'stock reconciliation failed again');
      return { outcome: 'failed', message: e.message };
    }
  }

  /** SKUs the shop sells that were not looked up in e-conomic yet go to the refresh queue. */
  private async queueUnchecked(manager: EntityManager, shopId: string, correlationId: string): Promise<void> {
    const unchecked = await this.skus.unchecked(manager, shopId);
    if (unchecked.length) await this.refresh.request(manager, shopId, unchecked, correlationId, 0);
  }

  private async tryLock(runner: QueryRunner, key: string): Promise<boolean> {
    const [row] = await runner.query(`SELECT pg_try_advisory_lock(hashtext(current_schema() || ':inventory-reconcile'), hashtext($1)) AS ok`, [key]);
    return row?.ok === true;
  }

  private async unlock(runner: QueryRunner, key: string): Promise<void> {
    await runner.query(`SELECT pg_advisory_unlock(hashtext(current_schema() || ':inventory-reconcile'), hashtext($1))`, [key]);
  }
}
