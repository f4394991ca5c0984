import type { OrderCustomer } from '../events/order';

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

