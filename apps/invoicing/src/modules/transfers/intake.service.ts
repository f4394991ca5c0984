import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  EventEnvelope, Order, OrderPaidData, OrderRefundedData, OrderShippedData, OrderUpdatedData, Settings, TransferStatus, withDefaults,
} from '@bogholder/contracts';
import { ROOT_LOGGER, RootLogger, ShopDirectory } from '@bogholder/service-kit';
import { raw, rowsOf, updateStatement } from '../../database/sql';
import { InvoicingErrorCode } from '../economic/invoicing-errors';
import { QueueService } from '../queue/queue.service';
import { DependentsService } from './dependents.service';
import { TransferEntity } from './entities/transfer.entity';
import { toTransfer } from './transfer.rows';

const isTriggered = (t: Pick<TransferEntity, 'order' | 'paid' | 'shipped'>, settings: Settings): boolean =>
  t.order !== null && (settings.transferTrigger === 'payment' ? t.paid : t.shipped);

/**
 * Intake of the shop's order events, in the consumer's transaction (its inbox row commits with it):
 * keeps each order's newest version and flags, payment and refund rows, decides the transfer's status
 * and schedules work. No e-conomic calls here, so intake never waits for e-conomic. Every decision
 * depends only on what has arrived, never on the order it arrived in.
 */
@Injectable()
export class IntakeService {
  private readonly logger: RootLogger;

  constructor(
    private readonly directory: ShopDirectory,
    private readonly queue: QueueService,
    private readonly dependents: DependentsService,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'intake' });
  }

  async orderPaid(env: EventEnvelope<OrderPaidData>, m: EntityManager): Promise<void> {
    const { order, payment } = env.data;
    // The transfer row (created or locked) and the payment row in one round trip.
    const { transfer, shop, decided } = await this.lockOrCreate(m, env.shopId, order.orderId, env.correlationId, order, env.occurredAt, 'paid', {
      sql: `INSERT INTO payments (shop_id, order_id, payment_id, amount, currency, paid_at, status, correlation_id)
            VALUES ($1, $2, $9, $10, $11, $12, 'waiting_for_invoice', $7) ON CONFLICT DO NOTHING`,
      params: [payment.id ?? 'payment', payment.amount, payment.currency, payment.paidAt],
    });
    if (!decided) await this.apply(m, transfer, shop, env, order, 'paid');
  }

  async orderShipped(env: EventEnvelope<OrderShippedData>, m: EntityManager): Promise<void> {
    const { transfer, shop, decided } = await this.lockOrCreate(m, env.shopId, env.data.order.orderId, env.correlationId, env.data.order, env.occurredAt, 'shipped');
    if (!decided) await this.apply(m, transfer, shop, env, env.data.order, 'shipped');
  }

  async orderUpdated(env: EventEnvelope<OrderUpdatedData>, m: EntityManager): Promise<void> {
    const { transfer, shop, decided } = await this.lockOrCreate(m, env.shopId, env.data.order.orderId, env.correlationId, env.data.order, env.occurredAt, null);
    if (!decided) await this.apply(m, transfer, shop, env, env.data.order, null);
  }

  async orderRefunded(env: EventEnvelope<OrderRefundedData>, m: EntityManager): Promise<void> {
    const { orderId, refundId, lines, refundedAt } = env.data;
    const { transfer, shop } = await this.lockOrCreate(m, env.shopId, orderId, env.correlationId, null, null, null);
    await m.query(
      `INSERT INTO credit_notes (shop_id, order_id, refund_id, lines, refunded_at, status, correlation_id)
       VALUES ($1, $2, $3, $4::jsonb, $5, 'waiting_for_invoice', $6) ON CONFLICT DO NOTHING`,
      [env.shopId, orderId, refundId, JSON.stringify(lines), refundedAt, env.correlationId],
    );
    if (this.invoiceReady(transfer, shop.settings)) {
      await m.query(`UPDATE credit_notes SET status = 'in_progress', updated_at = now() WHERE shop_id = $1 AND order_id = $2 AND refund_id = $3 AND status = 'waiting_for_invoice'`, [env.shopId, orderId, refundId]);
      await this.queue.enqueue(m, { shopId: env.shopId, kind: 'creditnote', orderId, subId: refundId });
    }
    this.logger.info({ shopId: env.shopId, orderId, refundId }, 'refund recorded');
  }

  /** `economic.connected`: every transfer, credit note and payment that waited for the connection runs now. */
  async shopConnected(shopId: string, m: EntityManager): Promise<void> {
    const transfers: { order_id: string }[] = await rowsOf(m, `UPDATE transfers SET status = 'in_progress', updated_at = now() WHERE shop_id = $1 AND status = 'waiting_for_connection' RETURNING order_id`,
      [shopId],
    );
    await this.queue.enqueueMany(m, shopId, 'invoice', transfers.map((t) => ({ orderId: t.order_id })));
    const notes: { order_id: string; refund_id: string }[] = await rowsOf(m, `UPDATE credit_notes SET status = 'in_progress', updated_at = now() WHERE shop_id = $1 AND status = 'waiting_for_connection' RETURNING order_id, refund_id`,
      [shopId],
    );
    await this.queue.enqueueMany(m, shopId, 'creditnote', notes.map((n) => ({ orderId: n.order_id, subId: n.refund_id })));
    const payments: { order_id: string; payment_id: string }[] = await rowsOf(m, `UPDATE payments SET status = 'in_progress', updated_at = now() WHERE shop_id = $1 AND status = 'waiting_for_connection' RETURNING order_id, payment_id`,
      [shopId],
    );
    await this.queue.enqueueMany(m, shopId, 'payment', payments.map((p) => ({ orderId: p.order_id, subId: p.payment_id })));
    this.logger.info({ shopId, transfers: transfers.length, creditNotes: notes.length, payments: payments.length }, 'shop connected: released waiting work');
  }

  /** `economic.disconnected`: transfers that have not written anything to e-conomic yet go back to waiting. */
  async shopDisconnected(shopId: string, m: EntityManager): Promise<void> {
    const rows: { order_id: string }[] = await rowsOf(m, `UPDATE transfers SET status = 'waiting_for_connection', next_attempt_at = NULL, updated_at = now()
       WHERE shop_id = $1 AND status IN ('in_progress', 'failed') AND draft_invoice_number IS NULL AND intent IS NULL AND booked_invoice_number IS NULL
       RETURNING order_id`,
      [shopId],
    );
    await this.queue.cancel(m, shopId, 'invoice', rows.map((r) => r.order_id));
    this.logger.info({ shopId, waiting: rows.length }, 'shop disconnected: transfers not yet started wait for the connection');
  }

  /** `settings.updated`: orders whose trigger is now satisfied start; orders no longer triggered (and untouched) wait again. */
  async settingsChanged(shopId: string, m: EntityManager): Promise<void> {
    const shop = await this.directory.get(shopId, m);
    const flag = shop.settings.transferTrigger === 'payment' ? 'paid' : 'shipped';
    const started: { order_id: string }[] = await rowsOf(m, `UPDATE transfers SET status = $2, updated_at = now()
       WHERE shop_id = $1 AND status = 'waiting_for_trigger' AND order_data IS NOT NULL AND ${flag}
       RETURNING order_id`,
      [shopId, shop.connected ? 'in_progress' : 'waiting_for_connection'],
    );
    if (shop.connected) await this.queue.enqueueMany(m, shopId, 'invoice', started.map((r) => ({ orderId: r.order_id })));
    await m.query(
      `UPDATE transfers SET status = 'waiting_for_trigger', updated_at = now()
       WHERE shop_id = $1 AND status = 'waiting_for_connection' AND NOT ${flag} AND draft_invoice_number IS NULL AND intent IS NULL`,
      [shopId],
    );
    if (started.length) this.logger.info({ shopId, started: started.length, trigger: shop.settings.transferTrigger }, 'settings changed: waiting orders started');
  }

  /** Whether the order's invoice exists, so its credit notes may follow (drafted is enough in draft mode). */
  private invoiceReady(t: TransferEntity, settings: Settings): boolean {
    return t.bookedInvoiceNumber !== null || (t.status === 'drafted' && settings.bookingMode === 'draft');
  }

  /**
   * Locks the transfer row, or creates it when this is the order's first event, and reads the shop's
   * connection and settings — one statement. A new transfer gets its status (and its job) right here:
   * waiting for its trigger, waiting for the connection, or in progress. The no-op update on conflict
   * locks an existing transfer and returns it for `apply`. The shop's row is share-locked (created when
   * missing), so a concurrent `economic.connected` or `settings.updated` waits for this decision and
   * then re-evaluates it: an order is never left waiting for a connection that has already arrived.
   * `also` runs one more insert in the same statement (its parameters follow: $9…; $1 shop, $2 order,
   * $7 correlation id are shared).
   */
  private async lockOrCreate(
    m: EntityManager, shopId: string, orderId: string, correlationId: string, order: Order | null, occurredAt: string | null,
    flag: 'paid' | 'shipped' | null, also?: { sql: string; params: unknown[] },
  ): Promise<{ transfer: TransferEntity; shop: { connected: boolean; settings: Settings }; decided: boolean }> {
    const rows = await rowsOf<Record<string, unknown>>(
      m,
      `WITH new_shop AS (INSERT INTO shop_config (shop_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING connected, settings),
       old_shop AS (SELECT connected, settings FROM shop_config WHERE shop_id = $1 FOR SHARE),
       shop AS (
         SELECT COALESCE((SELECT connected FROM new_shop), (SELECT connected FROM old_shop), false) AS connected,
                COALESCE((SELECT settings FROM new_shop), (SELECT settings FROM old_shop)) AS settings,
                EXISTS (SELECT 1 FROM new_shop) OR EXISTS (SELECT 1 FROM old_shop) AS seen
       ),
       t AS (
         INSERT INTO transfers (shop_id, order_id, order_number, order_data, order_occurred_at, order_version, paid, shipped, status, correlation_id)
         SELECT $1, $2, $3, $4::jsonb, $5, $6, $8 = 'paid', $8 = 'shipped',
                CASE WHEN $4::jsonb IS NULL OR $8 <> (CASE COALESCE(shop.settings->>'transferTrigger', 'payment') WHEN 'payment' THEN 'paid' ELSE 'shipped' END) THEN 'waiting_for_trigger'
                     WHEN NOT shop.connected THEN 'waiting_for_connection'
                     ELSE 'in_progress' END,
                $7
         FROM shop
         ON CONFLICT (shop_id, order_id) DO UPDATE SET shop_id = EXCLUDED.shop_id
         RETURNING *, (xmax = 0) AS inserted
       ),
       j AS (
         INSERT INTO jobs (shop_id, kind, order_id) SELECT t.shop_id, 'invoice', t.order_id FROM t, shop WHERE t.inserted AND shop.seen AND t.status = 'in_progress'
         ON CONFLICT (shop_id, kind, order_id, sub_id) DO UPDATE SET run_at = LEAST(jobs.run_at, EXCLUDED.run_at), generation = jobs.generation + 1
       )
       ${also ? `, a AS (${also.sql})` : ''}
       SELECT t.*, shop.connected AS shop_connected, shop.settings AS shop_settings, shop.seen AS shop_seen FROM t, shop`,
      [shopId, orderId, order?.orderNumber ?? null, order ? JSON.stringify(order) : null, occurredAt, order ? 1 : 0, correlationId, flag ?? '', ...(also?.params ?? [])],
    );
    const row = rows[0]!;
    const transfer = toTransfer(row);
    let shop = { connected: row.shop_connected === true, settings: (row.shop_settings as Settings | null) ?? null };
    if (row.shop_seen !== true) {
      // Another transaction created the shop's row after this statement began: read (and share-lock) it now.
      const again = await rowsOf<{ connected: boolean; settings: Settings | null }>(m, `SELECT connected, settings FROM shop_config WHERE shop_id = $1 FOR SHARE`, [shopId]);
      shop = { connected: again[0]?.connected === true, settings: again[0]?.settings ?? null };
    }
    const decided = row.inserted === true && row.shop_seen === true;
    if (decided && transfer.status === 'in_progress') this.queue.wakeAfterCommit(m);
    return { transfer, shop: { connected: shop.connected, settings: withDefaults(shop.settings) }, decided };
  }

  /**
   * Applies an order event: keeps the order if it is newer than the one we have (by event time), sets
   * the paid/shipped flag, and decides what happens next from everything that has arrived so far — in
   * one UPDATE. After booking the order is kept as booked; a changed `order.updated` is noted in the log.
   */
  private async apply(m: EntityManager, t: TransferEntity, shop: { connected: boolean; settings: Settings }, env: EventEnvelope, order: Order | null, flag: 'paid' | 'shipped' | null): Promise<void> {
    const set: Record<string, unknown> = {};
    const next = { ...t };
    if (flag === 'paid' && !t.paid) set.paid = next.paid = true;
    if (flag === 'shipped' && !t.shipped) set.shipped = next.shipped = true;
    let orderChanged = false;
    if (order) {
      const newer = t.orderOccurredAt === null || new Date(env.occurredAt).getTime() >= t.orderOccurredAt.getTime();
      const differs = t.order === null || !isDeepStrictEqual(t.order, order);
      if (newer && differs) {
        if (t.bookedInvoiceNumber !== null) {
          if (flag === null) {
            set.last_error_code = InvoicingErrorCode.UpdateIgnored;
            set.last_error_message = `update ignored: already booked as #${t.bookedInvoiceNumber}. The shop changed the order (order.updated at ${env.occurredAt}) after its invoice was booked in e-conomic; ` +
              'a booked invoice cannot change: refund the difference in the shop (a credit note follows) or correct it in e-conomic by hand.';
            this.logger.warn({ shopId: t.shopId, orderId: t.orderId, bookedInvoiceNumber: t.bookedInvoiceNumber }, 'order.updated after booking: ignored');
          }
        } else {
          set.order_data = next.order = order;
          set.order_number = next.orderNumber = order.orderNumber;
          set.order_occurred_at = next.orderOccurredAt = new Date(env.occurredAt);
          set.order_version = next.orderVersion = t.orderVersion + 1;
          orderChanged = t.order !== null;
        }
      }
    }
    if (t.bookedInvoiceNumber !== null) {
      if (Object.keys(set).length) await this.update(m, t, set);
      await this.dependents.release(m, t.shopId, t.orderId, { booked: true, postPayments: shop.settings.postPayments });
      return;
    }
    let schedule = false;
    if (t.status === 'waiting_for_trigger' || t.status === 'waiting_for_connection') {
      let status: TransferStatus;
      if (!isTriggered(next, shop.settings) && t.draftInvoiceNumber === null && t.intent === null) status = 'waiting_for_trigger';
      else if (!shop.connected) status = 'waiting_for_connection';
      else {
        status = 'in_progress';
        schedule = true;
      }
      if (status !== t.status) set.status = status;
      // The event that started the transfer gives the correlation id everything after it carries.
      if (t.status === 'waiting_for_trigger' && status !== 'waiting_for_trigger' && env.correlationId !== t.correlationId) set.correlation_id = env.correlationId;
    } else if (orderChanged) {
      // in progress, drafted, failed or parked: the newer order is written to the draft (or tried again).
      schedule = true;
      if (t.status !== 'in_progress') {
        set.status = 'in_progress';
        set.next_attempt_at = null;
      }
    }
    if (Object.keys(set).length) await this.update(m, t, set, schedule);
    else if (schedule) await this.queue.enqueue(m, { shopId: t.shopId, kind: 'invoice', orderId: t.orderId });
    if (t.status === 'drafted' && shop.settings.bookingMode === 'draft') await this.dependents.release(m, t.shopId, t.orderId, { booked: false, postPayments: false });
  }

  /** Writes the transfer's changes; with `schedule`, also requests its invoice job (same statement). */
  private async update(m: EntityManager, t: TransferEntity, set: Record<string, unknown>, schedule = false): Promise<void> {
    const { sql, params } = updateStatement('transfers', { ...set, updated_at: raw('now()') }, { shop_id: t.shopId, order_id: t.orderId });
    if (!schedule) {
      await m.query(sql, params);
      return;
    }
    const job = this.queue.enqueueStatement({ shopId: t.shopId, kind: 'invoice', orderId: t.orderId }, params.length);
    await m.query(`WITH u AS (${sql}), j AS (${job.sql}) SELECT 1`, [...params, ...job.params]);
    this.queue.wakeAfterCommit(m);
  }
}
