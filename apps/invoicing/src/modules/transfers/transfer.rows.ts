import { Order, Settings, withDefaults } from '@bogholder/contracts';
import type { ShopConfig } from '@bogholder/service-kit';
import { Queryable, rowsOf } from '../../database/sql';
import { TransferEntity } from './entities/transfer.entity';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

/** A `transfers` row (snake_case, as PostgreSQL returns it) as the entity the services work with. */
export function toTransfer(r: Record<string, unknown>): TransferEntity {
  return Object.assign(new TransferEntity(), {
    shopId: r.shop_id as string,
    orderId: r.order_id as string,
    orderNumber: num(r.order_number),
    order: (r.order_data as Order | null) ?? null,
    orderOccurredAt: date(r.order_occurred_at),
    orderVersion: Number(r.order_version),
    paid: r.paid as boolean,
    shipped: r.shipped as boolean,
    status: r.status as TransferEntity['status'],
    correlationId: r.correlation_id as string,
    customerNumber: num(r.customer_number),
    contactNumber: num(r.contact_number),
    draftInvoiceNumber: num(r.draft_invoice_number),
    draftOrderVersion: num(r.draft_order_version),
    draftRevision: Number(r.draft_revision),
    bookedInvoiceNumber: num(r.booked_invoice_number),
    netAmount: num(r.net_amount),
    vatAmount: num(r.vat_amount),
    grossAmount: num(r.gross_amount),
    currency: (r.currency as string | null) ?? null,
    invoiceDate: r.invoice_date instanceof Date ? r.invoice_date.toISOString().slice(0, 10) : ((r.invoice_date as string | null) ?? null),
    sentByEan: r.sent_by_ean as boolean,
    intent: (r.intent as TransferEntity['intent']) ?? null,
    intentAt: date(r.intent_at),
    attempts: Number(r.attempts),
    economicCalls: Number(r.economic_calls),
    lastErrorCode: (r.last_error_code as string | null) ?? null,
    lastErrorMessage: (r.last_error_message as string | null) ?? null,
    nextAttemptAt: date(r.next_attempt_at),
    firstFailedAt: date(r.first_failed_at),
    failureSeq: Number(r.failure_seq),
    bookedAt: date(r.booked_at),
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
  });
}

/** Reads a transfer (optionally locking it for the rest of the transaction). */
export async function loadTransfer(db: Queryable, shopId: string, orderId: string, lock: '' | 'FOR UPDATE' | 'FOR SHARE' = ''): Promise<TransferEntity | null> {
  const rows = await rowsOf<Record<string, unknown>>(db, `SELECT * FROM transfers WHERE shop_id = $1 AND order_id = $2 ${lock}`, [shopId, orderId]);
  return rows[0] ? toTransfer(rows[0]) : null;
}

/**
 * A transfer with its shop's connection and settings, in one round trip (the same view of the shop
 * as `ShopDirectory.get`: the grant token only while connected, settings with their defaults).
 */
export async function loadTransferWithShop(db: Queryable, shopId: string, orderId: string): Promise<{ transfer: TransferEntity; shop: ShopConfig } | null> {
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    `SELECT t.*, sc.connected AS shop_connected, sc.agreement_number AS shop_agreement_number, sc.company_name AS shop_company_name,
            sc.grant_token_encrypted AS shop_grant_token_encrypted, sc.settings AS shop_settings
     FROM transfers t LEFT JOIN shop_config sc ON sc.shop_id = t.shop_id
     WHERE t.shop_id = $1 AND t.order_id = $2`,
    [shopId, orderId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    transfer: toTransfer(r),
    shop: toShopConfig(shopId, {
      connected: r.shop_connected, agreement_number: r.shop_agreement_number, company_name: r.shop_company_name,
      grant_token_encrypted: r.shop_grant_token_encrypted, settings: r.shop_settings,
    }),
  };
}

/** A `shop_config` row (or none) as `ShopDirectory.get` presents it. */
export function toShopConfig(shopId: string, r: Record<string, unknown> | null): ShopConfig {
  const connected = r?.connected === true;
  return {
    shopId,
    connected,
    agreementNumber: num(r?.agreement_number),
    companyName: (r?.company_name as string | null) ?? null,
    grantTokenEncrypted: connected ? ((r?.grant_token_encrypted as string | null) ?? null) : null,
    settings: withDefaults((r?.settings as Settings | null) ?? null),
  };
}
