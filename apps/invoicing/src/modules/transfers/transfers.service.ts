import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  ERROR_CODE_MESSAGE, ERROR_CODE_PATTERN, InvoicePreviewReply, InvoicePreviewRequest, RETRY_MANY_LIMIT, Settings, TRANSFER_STATUSES, TransferRetryRequest, TransfersListReply, TransfersListRequest,
  TransfersRetryManyReply, TransfersRetryManyRequest, TransferStatus, TransferView,
} from '@bogholder/contracts';
import { Outbox, PermanentError, RpcUnavailableError } from '@bogholder/messaging';
import { EconomicClients, ROOT_LOGGER, RootLogger, ShopDirectory } from '@bogholder/service-kit';
import { buildInvoiceDraft, isEanInvoice } from '../documents/draft-builder';
import { CustomersClient } from '../economic/customers.client';
import { InvoicingErrorCode } from '../economic/invoicing-errors';
import { ReferenceDataService } from '../economic/reference-data.service';
import { QueueService } from '../queue/queue.service';
import { CreditNoteEntity } from './entities/credit-note.entity';
import { PaymentEntity } from './entities/payment.entity';
import { TransferEntity } from './entities/transfer.entity';
import { rowsOf } from '../../database/sql';

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
const error = (code: string | null, message: string | null) => (code ? { code, message: message ?? '' } : null);

function badRequest(field: string, message: string): PermanentError {
  return new PermanentError('invalid_request', message, { status: 400, details: [{ field, message }] });
}

function notKnown(orderId: string): PermanentError {
  return new PermanentError(InvoicingErrorCode.TransferNotFound, `order ${orderId} is not known for this shop: no order event for it has reached the invoicing service`, { status: 404 });
}

/** The transfer log as the gateway shows it: list, retry (one or in bulk) and the invoice preview. */
@Injectable()
export class TransfersService {
  private readonly logger: RootLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly queue: QueueService,
    private readonly directory: ShopDirectory,
    private readonly clients: EconomicClients,
    private readonly referenceData: ReferenceDataService,
    private readonly customers: CustomersClient,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'transfers' });
  }

  /** Newest first by `updatedAt`, filtered by status and/or order id; index-backed so it stays fast at 100k+ rows. */
  async list(request: TransfersListRequest): Promise<TransfersListReply> {
    const shopId = this.shopIdOf(request);
    const limit = request.limit === undefined ? 50 : Number(request.limit);
    const offset = request.offset === undefined ? 0 : Number(request.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest('limit', 'limit must be an integer from 1 to 500');
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('offset', 'offset must be an integer ≥ 0');
    if (request.status !== undefined && !(TRANSFER_STATUSES as readonly string[]).includes(request.status)) {
      throw badRequest('status', `status must be one of ${TRANSFER_STATUSES.join(', ')}`);
    }
    const where: { shopId: string; status?: TransferStatus; orderId?: string } = { shopId };
    if (request.status) where.status = request.status;
    if (request.orderId) where.orderId = request.orderId;
    const [rows, total] = await Promise.all([
      this.dataSource.manager.find(TransferEntity, { where, order: { updatedAt: 'DESC', orderId: 'DESC' }, take: limit, skip: offset }),
      this.dataSource.manager.count(TransferEntity, { where }),
    ]);
    return { items: await this.views(shopId, rows), total };
  }

  /**
   * Runs a parked, failed or waiting transfer (and its parked or failed credit notes and payments) now;
   * attempts are kept. A drafted transfer is re-run too (useful after switching bookingMode to book).
   */
  async retry(request: TransferRetryRequest): Promise<TransferView> {
    const shopId = this.shopIdOf(request);
    if (!request.orderId) throw badRequest('orderId', 'orderId is required');
    const { orderId } = request;
    const shop = await this.directory.get(shopId);
    await this.outbox.transaction((m) => this.restart(m, shopId, shop, orderId));
    this.logger.info({ shopId, orderId, requestedBy: request.correlationId }, 'transfer retried by an admin');
    const t = await this.dataSource.manager.findOneOrFail(TransferEntity, { where: { shopId, orderId } });
    return (await this.views(shopId, [t]))[0]!;
  }

  /**
   * Retries every parked or failed order of a shop (transfer, credit note or payment), optionally only
   * those whose last error has one code — after the admin fixed a common cause (a product created, an
   * accounting year opened). Oldest first, at most `RETRY_MANY_LIMIT` per request; `more` says to ask again.
   */
  async retryMany(request: TransfersRetryManyRequest): Promise<TransfersRetryManyReply> {
    const shopId = this.shopIdOf(request);
    const statuses = request.statuses?.length ? request.statuses : ['parked', 'failed'];
    const bad = statuses.find((st) => st !== 'parked' && st !== 'failed');
    if (bad !== undefined) throw badRequest('status', `status must be parked or failed, not ${JSON.stringify(bad)}`);
    if (request.code !== undefined && (typeof request.code !== 'string' || !ERROR_CODE_PATTERN.test(request.code))) throw badRequest('code', ERROR_CODE_MESSAGE);
    const code = request.code ?? null;
    const rows: { order_id: string }[] = await this.dataSource.query(
      `SELECT order_id FROM (
         SELECT order_id, updated_at FROM transfers WHERE shop_id = $1 AND status = ANY($2::text[]) AND ($3::text IS NULL OR last_error_code = $3)
         UNION ALL
         SELECT order_id, updated_at FROM credit_notes WHERE shop_id = $1 AND status = ANY($2::text[]) AND ($3::text IS NULL OR last_error_code = $3)
         UNION ALL
         SELECT order_id, updated_at FROM payments WHERE shop_id = $1 AND status = ANY($2::text[]) AND ($3::text IS NULL OR last_error_code = $3)
       ) matched GROUP BY order_id ORDER BY min(updated_at), order_id LIMIT $4`,
      [shopId, statuses, code, RETRY_MANY_LIMIT + 1],
    );
    const orderIds = rows.slice(0, RETRY_MANY_LIMIT).map((r) => r.order_id);
    const shop = await this.directory.get(shopId);
    for (const orderId of orderIds) await this.outbox.transaction((m) => this.restart(m, shopId, shop, orderId, { quiet: true }));
    this.logger.info({ shopId, statuses, code, retried: orderIds.length, requestedBy: request.correlationId }, 'transfers retried in bulk by an admin');
    return { retried: orderIds.length, orderIds, more: rows.length > RETRY_MANY_LIMIT };
  }

  /**
   * Starts an order's work again in the caller's transaction. `quiet`: an order that is booked with
   * nothing left to retry is skipped instead of refused (it was booked after it was selected).
   */
  private async restart(m: EntityManager, shopId: string, shop: { connected: boolean; settings: Settings }, orderId: string, options: { quiet?: boolean } = {}): Promise<void> {
    const t = await m.findOne(TransferEntity, { where: { shopId, orderId }, lock: { mode: 'pessimistic_write' } });
    if (!t) throw notKnown(orderId);
    const notes: { refund_id: string }[] = await rowsOf(m, `UPDATE credit_notes SET status = 'in_progress', next_attempt_at = NULL, first_failed_at = NULL, updated_at = now()
       WHERE shop_id = $1 AND order_id = $2 AND status IN ('parked', 'failed') RETURNING refund_id`,
      [shopId, orderId],
    );
    const payments: { payment_id: string }[] = await rowsOf(m, `UPDATE payments SET status = 'in_progress', next_attempt_at = NULL, first_failed_at = NULL, updated_at = now()
       WHERE shop_id = $1 AND order_id = $2 AND status IN ('parked', 'failed') RETURNING payment_id`,
      [shopId, orderId],
    );
    await this.queue.enqueueMany(m, shopId, 'creditnote', notes.map((n) => ({ orderId, subId: n.refund_id })));
    await this.queue.enqueueMany(m, shopId, 'payment', payments.map((p) => ({ orderId, subId: p.payment_id })));
    if (t.bookedInvoiceNumber !== null) {
      if (notes.length || payments.length || options.quiet) return;
      throw new PermanentError(
        InvoicingErrorCode.AlreadyBooked,
        `order ${orderId} is already booked as invoice #${t.bookedInvoiceNumber} in e-conomic; there is nothing to retry (a booked invoice cannot be sent again: refund in the shop to credit it)`,
        { status: 409 },
      );
    }
    const triggered = t.order !== null && (shop.settings.transferTrigger === 'payment' ? t.paid : t.shipped);
    const started = triggered || t.draftInvoiceNumber !== null || t.intent !== null;
    if (!started) {
      if (t.status !== 'waiting_for_trigger') await m.update(TransferEntity, { shopId, orderId }, { status: 'waiting_for_trigger', updatedAt: () => 'now()' });
      return;
    }
    if (!shop.connected) {
      await m.update(TransferEntity, { shopId, orderId }, { status: 'waiting_for_connection', nextAttemptAt: null, updatedAt: () => 'now()' });
      return;
    }
    await m.update(TransferEntity, { shopId, orderId }, {
      status: 'in_progress',
      nextAttemptAt: null,
      firstFailedAt: null,
      // An existing draft is written again from the current order and settings (and its totals checked again).
      ...(t.draftInvoiceNumber !== null && t.intent === null ? { draftOrderVersion: null } : {}),
      updatedAt: () => 'now()',
    });
    await this.queue.enqueue(m, { shopId, kind: 'invoice', orderId });
  }

  /** Exactly the body that would be POSTed to `/invoices/drafts` now, from the current settings; creates nothing. */
  async preview(request: InvoicePreviewRequest): Promise<InvoicePreviewReply> {
    const shopId = this.shopIdOf(request);
    if (!request.orderId) throw badRequest('orderId', 'orderId is required');
    const t = await this.dataSource.manager.findOne(TransferEntity, { where: { shopId, orderId: request.orderId } });
    if (!t || !t.order) throw notKnown(request.orderId);
    const shop = await this.directory.get(shopId);
    const { settings } = shop;
    const order = t.order;
    let customerNumber: number | null = null;
    let contactNumber: number | null = null;
    try {
      const found = await this.customers.lookup({ shopId, customer: order.customer });
      customerNumber = found.customerNumber;
      contactNumber = found.contactNumber ?? null;
    } catch (err) {
      if (!(err instanceof RpcUnavailableError)) throw err;
      customerNumber = t.customerNumber;
      contactNumber = t.contactNumber;
    }
    let layoutNumber = settings.layoutNumber;
    let paymentTermsNumber = settings.paymentTermsNumber;
    if ((layoutNumber === null || paymentTermsNumber === null) && shop.connected && shop.grantTokenEncrypted && shop.agreementNumber !== null) {
      const client = this.clients.forEncryptedToken(shop.grantTokenEncrypted);
      layoutNumber = await this.referenceData.layoutNumber(shop.agreementNumber, client, layoutNumber);
      paymentTermsNumber = await this.referenceData.paymentTermsNumber(shop.agreementNumber, client, paymentTermsNumber);
    }
    const body = buildInvoiceDraft({
      shopId,
      order,
      settings,
      customerNumber: customerNumber ?? 0,
      contactNumber: isEanInvoice(order, settings) ? contactNumber : null,
      layoutNumber: layoutNumber ?? 0,
      paymentTermsNumber: paymentTermsNumber ?? 0,
    });
    return {
      body: {
        ...body,
        customer: { customerNumber },
        layout: { layoutNumber },
        paymentTerms: { paymentTermsNumber },
      } as unknown as Record<string, unknown>,
    };
  }

  private shopIdOf(request: { shopId?: unknown }): string {
    if (typeof request?.shopId !== 'string' || !request.shopId) throw badRequest('shopId', 'shopId is required');
    return request.shopId;
  }

  private async views(shopId: string, rows: TransferEntity[]): Promise<TransferView[]> {
    if (!rows.length) return [];
    const orderIds = rows.map((r) => r.orderId);
    const [notes, payments] = await Promise.all([
      this.dataSource.manager.find(CreditNoteEntity, { where: { shopId, orderId: In(orderIds) }, order: { createdAt: 'ASC' } }),
      this.dataSource.manager.find(PaymentEntity, { where: { shopId, orderId: In(orderIds) }, order: { createdAt: 'ASC' } }),
    ]);
    return rows.map((t) => ({
      orderId: t.orderId,
      orderNumber: t.orderNumber,
      status: t.status,
      draftInvoiceNumber: t.draftInvoiceNumber,
      bookedInvoiceNumber: t.bookedInvoiceNumber,
      customerNumber: t.customerNumber,
      attempts: t.attempts,
      lastError: error(t.lastErrorCode, t.lastErrorMessage),
      nextAttemptAt: t.status === 'failed' ? iso(t.nextAttemptAt) : null,
      creditNotes: notes
        .filter((n) => n.orderId === t.orderId)
        .map((n) => ({ refundId: n.refundId, status: n.status, bookedInvoiceNumber: n.bookedInvoiceNumber, draftInvoiceNumber: n.draftInvoiceNumber, lastError: error(n.lastErrorCode, n.lastErrorMessage) })),
      payments: payments
        .filter((p) => p.orderId === t.orderId)
        .map((p) => ({ paymentId: p.paymentId, status: p.status, voucherNumber: p.voucherNumber, amount: p.amount, lastError: error(p.lastErrorCode, p.lastErrorMessage) })),
      updatedAt: new Date(t.updatedAt).toISOString(),
    }));
  }
}
