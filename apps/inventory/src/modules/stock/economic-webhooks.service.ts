import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { EconomicWebhookReceivedData, EventEnvelope } from '@bogholder/contracts';
import { PermanentError } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger, ShopDirectory } from '@bogholder/service-kit';
import { InventoryEnv } from '../../config/env';
import { EconomicReaderService } from '../economic/economic-reader.service';
import { ShopSkusService } from '../mismatches/shop-skus.service';
import { RefreshQueueService } from '../refresh/refresh-queue.service';

/**
 * e-conomic's own webhooks (CONTRACT.md §3b), queued by the gateway: a product webhook re-reads that
 * product after a short window (a burst is read once); an invoice webhook re-reads the products on that
 * booked invoice (a sale lowers their stock).
 */
@Injectable()
export class EconomicWebhooksService {
  private readonly logger;

  constructor(
    private readonly directory: ShopDirectory,
    private readonly reader: EconomicReaderService,
    private readonly refresh: RefreshQueueService,
    private readonly skus: ShopSkusService,
    @Inject(InventoryEnv) private readonly env: InventoryEnv,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'stock' });
  }

  async received(manager: EntityManager, env: EventEnvelope<EconomicWebhookReceivedData>): Promise<void> {
    const { kind, number, oldNumber } = env.data;
    const shop = await this.directory.get(env.shopId, manager);
    const syncing = shop.connected && shop.grantTokenEncrypted !== null && shop.settings.stockSync;
    if (kind === 'product') {
      const skus = [...new Set([number, oldNumber].filter((s): s is string => typeof s === 'string' && s.length > 0))];
      await this.skus.forget(manager, env.shopId, skus); // what we knew about them may be out of date
      if (syncing) await this.refresh.request(manager, env.shopId, skus, env.correlationId, this.env.INVENTORY_COALESCE_MS);
      return;
    }
    if (!syncing) return;
    const invoiceNumber = Number(number);
    if (!Number.isInteger(invoiceNumber) || invoiceNumber < 1) {
      throw new PermanentError('invalid_invoice_number', `the invoice webhook named "${number}", which is not a booked invoice number: the webhook URL in e-conomic must use [INVOICENO]`);
    }
    const skus = await this.reader.bookedInvoiceSkus({ agreementNumber: shop.agreementNumber, grantTokenEncrypted: shop.grantTokenEncrypted! }, invoiceNumber);
    if (skus === null) {
      this.logger.warn({ shopId: env.shopId, invoiceNumber }, 'an invoice webhook named a booked invoice e-conomic does not have; nothing to re-read');
      return;
    }
    await this.refresh.request(manager, env.shopId, skus, env.correlationId, this.env.INVENTORY_COALESCE_MS);
  }
}
