// ---- invoicing ------------------------------------------------------------------------------

export const TRANSFER_STATUSES = [
  'waiting_for_trigger', 'waiting_for_connection', 'in_progress', 'drafted', 'booked', 'failed', 'parked',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface TransferView {
  orderId: string;
  orderNumber: number | null;
  status: TransferStatus;
  draftInvoiceNumber: number | null;
  bookedInvoiceNumber: number | null;
  customerNumber: number | null;
  attempts: number;
  lastError: { code: string; message: string } | null;
  nextAttemptAt: string | null;
  creditNotes: { refundId: string; status: string; bookedInvoiceNumber: number | null; draftInvoiceNumber: number | null; lastError: { code: string; message: string } | null }[];
  payments: { paymentId: string; status: string; voucherNumber: number | null; amount: number; lastError: { code: string; message: string } | null }[];
  updatedAt: string;
}

export interface TransfersListRequest {
  shopId: string;
  status?: TransferStatus;
  orderId?: string;
  limit: number;
  offset: number;
}

export interface TransfersListReply {
  items: TransferView[];
  total: number;
}

export interface TransferRetryRequest {
  shopId: string;
  orderId: string;
  correlationId: string;
}

/** Retry every parked or failed transfer of a shop (optionally only those with one error code) — after fixing a common cause. */
export interface TransfersRetryManyRequest {
  shopId: string;
  /** Which to retry: `parked`, `failed` or both (default both). Credit notes and payments in these states count too. */
  statuses?: ('parked' | 'failed')[];
  /** Only those whose last error has this code (e.g. `products_missing`). */
  code?: string;
  correlationId: string;
}

export interface TransfersRetryManyReply {
  /** How many orders were started again (at most `RETRY_MANY_LIMIT` per request). */
  retried: number;
  orderIds: string[];
  /** More matched than one request retries: send it again. */
  more: boolean;
}

/** What an error code (`lastError.code`) looks like, to filter a bulk retry by. */
export const ERROR_CODE_PATTERN = /^[a-z0-9_-]{1,64}$/;
export const ERROR_CODE_MESSAGE = 'code must be an error code as the transfer log shows it, e.g. products_missing';

/** Orders one bulk retry starts again at most (each is its own small transaction). */
export const RETRY_MANY_LIMIT = 500;

export interface InvoicePreviewRequest {
  shopId: string;
  orderId: string;
}

export interface InvoicePreviewReply {
  /** Exactly the body that would be POSTed to `/invoices/drafts`. */
  body: Record<string, unknown>;
}

