import type { OrderCustomer } from '../events/order';
import type { FieldError } from '../validation';

/** Every request/reply answer: either data or a typed error the caller can act on. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: RpcErrorBody };

export interface RpcErrorBody {
  code: string;
  message: string;
  /** true when trying again later may succeed (e-conomic down, rate limited, …). */
  retryable: boolean;
  /** Suggested HTTP status when the gateway relays the error. */
  status?: number;
  errors?: FieldError[];
}

// ---- customers ------------------------------------------------------------------------------

export interface CustomersEnsureRequest {
  shopId: string;
  customer: OrderCustomer;
  /** The invoice needs a reference contact ("Deres reference"), e.g. for EAN invoices. */
  needContact: boolean;
  correlationId: string;
}

export interface CustomersEnsureReply {
  customerNumber: number;
  contactNumber?: number;
  created: boolean;
}

export interface CustomersLookupRequest {
  shopId: string;
  customer: OrderCustomer;
}

export interface CustomersLookupReply {
  customerNumber: number | null;
  contactNumber?: number | null;
}

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

// ---- inventory ------------------------------------------------------------------------------

export interface ShopScopedRequest {
  shopId: string;
}

export interface InventoryMismatchView {
  sku: string;
  kind: 'missing-in-economic' | 'stock-differs';
  shopQuantity: number | null;
  economicQuantity: number | null;
}

export interface InventoryMismatchesReply {
  items: InventoryMismatchView[];
  total: number;
}

export interface InventoryStatusReply {
  stockSync: boolean;
  status: 'off' | 'ok' | 'not-connected' | 'no-inventory-module' | 'error';
  message: string;
  lastReconciledAt: string | null;
  skusTracked: number;
}

export interface DeliveryView {
  id: string;
  sku: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface DeliveriesListRequest {
  shopId: string;
  status?: DeliveryView['status'];
  limit: number;
  offset: number;
}

export interface DeliveriesListReply {
  items: DeliveryView[];
  total: number;
}

export interface RedeliverRequest {
  shopId: string;
  deliveryId: string;
}
