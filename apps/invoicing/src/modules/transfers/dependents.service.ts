import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOf } from '../../database/sql';
import { QueueService } from '../queue/queue.service';

/**
 * What waits for an order's invoice: its payments (posted once it is booked, or skipped without
 * `postPayments`) and its credit notes (once it is booked, or drafted in draft mode). Called in the
 * transaction that books or drafts the invoice, and by intake when a payment or refund arrives later.
 */
@Injectable()
export class DependentsService {
  constructor(private readonly queue: QueueService) {}

  async release(m: EntityManager, shopId: string, orderId: string, options: { booked: boolean; postPayments: boolean }): Promise<void> {
    // One round trip for both tables; payments move only once the invoice is booked.
    const rows = await rowsOf<{ kind: 'payment' | 'creditnote'; sub_id: string }>(
      m,
      `WITH p AS (
         UPDATE payments SET status = $4, updated_at = now()
         WHERE $3 AND shop_id = $1 AND order_id = $2 AND status = 'waiting_for_invoice' RETURNING payment_id
       ), c AS (
         UPDATE credit_notes SET status = 'in_progress', updated_at = now()
         WHERE shop_id = $1 AND order_id = $2 AND status = 'waiting_for_invoice' RETURNING refund_id
       )
       SELECT 'payment' AS kind, payment_id AS sub_id FROM p UNION ALL SELECT 'creditnote', refund_id FROM c`,
      [shopId, orderId, options.booked, options.postPayments ? 'in_progress' : 'skipped'],
    );
    const payments = options.postPayments ? rows.filter((r) => r.kind === 'payment') : [];
    const notes = rows.filter((r) => r.kind === 'creditnote');
    await this.queue.enqueueMany(m, shopId, 'payment', payments.map((p) => ({ orderId, subId: p.sub_id })));
    await this.queue.enqueueMany(m, shopId, 'creditnote', notes.map((n) => ({ orderId, subId: n.sub_id })));
  }
}
