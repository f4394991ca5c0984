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

export interface InvoicePreviewRequest {
  shopId: string;
  orderId: string;
}

export interface InvoicePreviewReply {
  /** Exactly the body that would be POSTed to `/invoices/drafts`. */
  body: Record<string, unknown>;
}

