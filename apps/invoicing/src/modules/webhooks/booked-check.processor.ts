import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { errorMessage } from '@bogholder/messaging';
import { EconomicClients, ROOT_LOGGER, RootLogger, ShopDirectory } from '@bogholder/service-kit';
import { CreditNoteProcessor } from '../credit-notes/credit-note.processor';
import { orderReference } from '../documents/draft-builder';
import { DocumentLookupService } from '../economic/document-lookup.service';
import { classifyFailure } from '../economic/invoicing-errors';
import { InvoiceStateService } from '../invoices/invoice-state.service';
import { ClaimedJob, QueueService } from '../queue/queue.service';
import { JobContext, JobProcessor, WorkerService } from '../queue/worker.service';
import { CreditNoteEntity } from '../transfers/entities/credit-note.entity';
import { TransferEntity } from '../transfers/entities/transfer.entity';

const MAX_ATTEMPTS = 8;

/** Reads an invoice e-conomic says was booked; if it is one of ours that we did not book, records it. */
@Injectable()
export class BookedCheckProcessor implements JobProcessor, OnModuleInit {
  private readonly logger: RootLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly worker: WorkerService,
    private readonly queue: QueueService,
    private readonly directory: ShopDirectory,
    private readonly clients: EconomicClients,
    private readonly lookup: DocumentLookupService,
    private readonly invoices: InvoiceStateService,
    private readonly creditNotes: CreditNoteProcessor,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'economic-webhooks' });
  }

  onModuleInit(): void {
    this.worker.register('booked_check', this);
  }

  async run(job: ClaimedJob, ctx: JobContext): Promise<void> {
    const number = Number(job.subId);
    try {
      await this.check(job.shopId, number, ctx.signal);
      await this.dataSource.transaction((m) => this.queue.complete(m, job, ctx.owner));
    } catch (err) {
      if (ctx.signal.aborted) return;
      const failure = classifyFailure(err);
      const giveUp = failure.disposition !== 'retry' || job.attempts >= MAX_ATTEMPTS;
      this.logger.warn({ shopId: job.shopId, bookedInvoiceNumber: number, err: errorMessage(err), giveUp }, 'could not check a booked invoice from an e-conomic webhook');
      await this.dataSource.transaction((m) => (giveUp ? this.queue.complete(m, job, ctx.owner) : this.queue.retryLater(m, job, ctx.owner, Math.min(2 ** job.attempts * 1000, 600_000))));
    }
  }

  private async check(shopId: string, number: number, signal: AbortSignal): Promise<void> {
    const known: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM transfers WHERE shop_id = $1 AND booked_invoice_number = $2
       UNION ALL SELECT 1 FROM credit_notes WHERE shop_id = $1 AND booked_invoice_number = $2 LIMIT 1`,
      [shopId, number],
    );
    if (known.length) return;
    const shop = await this.directory.get(shopId);
    if (!shop.connected || !shop.grantTokenEncrypted) return;
    const booked = await this.lookup.booked(this.clients.forEncryptedToken(shop.grantTokenEncrypted), number, signal);
    const reference = booked?.references?.other;
    const prefix = `${orderReference(shopId, '')}`;
    if (!booked || !reference?.startsWith(prefix)) return;
    const rest = reference.slice(prefix.length);
    const transfer = await this.dataSource.manager.findOne(TransferEntity, { where: { shopId, orderId: rest } });
    if (transfer) {
      const recorded = await this.invoices.markBooked(shopId, rest, booked, { ref: null, sentByEan: false, postPayments: shop.settings.postPayments, how: 'booked-by-hand' });
      if (recorded) this.logger.info({ shopId, orderId: rest, bookedInvoiceNumber: number }, 'invoice booked by hand in e-conomic: recorded');
      return;
    }
    const refund = /^(.*):refund:([^:]*)$/.exec(rest);
    if (refund) {
      const cn = await this.dataSource.manager.findOne(CreditNoteEntity, { where: { shopId, orderId: refund[1]!, refundId: refund[2]! } });
      if (cn) await this.creditNotes.recordBookedByHand(cn, booked);
    }
  }
}
