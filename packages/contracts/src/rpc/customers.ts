import type { OrderCustomer } from '../events/order';

// ---- customers ------------------------------------------------------------------------------

export interface CustomersEnsureRequest {
  shopId: string;
  customer: OrderCustomer;
  /** The invoice needs a reference contact ("Deres reference"), e.g. for EAN invoices: `customer.eanContactName`. */
  needContact: boolean;
  correlationId: string;
  /** The order's currency (ISO 4217): the currency a new customer is created in. Default `DKK`. */
  currency?: string;
  /** The reference contact's e-invoice id (printed in `<cbc:ID>` on EAN invoices), when the shop has one. */
  contactEInvoiceId?: string;
  /**
   * Check that the stored customer still exists in e-conomic (one extra call) and find or create it
   * again when it was deleted there, e.g. after e-conomic answered E06000 for the customer.
   */
  verify?: boolean;
}

export interface CustomersEnsureReply {
  customerNumber: number;
  contactNumber?: number;
  /** true when this call created the customer in e-conomic (false: found in our mapping or in e-conomic). */
  created: boolean;
  /** true when this call created the reference contact. */
  contactCreated?: boolean;
  /** true when changed name/address/EAN were written back to e-conomic. */
  updated?: boolean;
}

/** Read-only: what `ensure` would use today, without writing anything anywhere (invoice preview). */
export interface CustomersLookupRequest {
  shopId: string;
  customer: OrderCustomer;
  /** Also look up the reference contact (`customer.eanContactName`). */
  needContact?: boolean;
}

export interface CustomersLookupReply {
  /** null: the customer does not exist yet (ensure would create it). */
  customerNumber: number | null;
  contactNumber?: number | null;
}

/** The stable error codes of `rpc.customers.*` (RpcErrorBody.code). */
export const CustomerErrorCodes = {
  /** The request itself is invalid (400, permanent; `errors` names each field). */
  InvalidRequest: 'invalid_request',
  /** `customerNumbering: "shop"` and the shop's number is not 1–99999999 (permanent). */
  CustomerNumberInvalid: 'customer_number_invalid',
  /** `customerNumbering: "shop"` and e-conomic already has another customer with that number (permanent). */
  CustomerNumberTaken: 'customer_number_taken',
  /** `customerGroupNumber` does not exist in e-conomic (permanent). */
  CustomerGroupMissing: 'customer_group_missing',
  /** The customer (or contact) is missing and `createCustomers` is false (permanent). */
  CustomerCreationDisabled: 'customer_creation_disabled',
  /** A reference contact is needed but the order's customer has no `eanContactName` (permanent). */
  ContactNameMissing: 'contact_name_missing',
  /** This service has no e-conomic connection for the shop (yet): retryable. */
  ShopNotConnected: 'shop_not_connected',
  /** e-conomic is down, rate limiting, or the outcome of a write is still unknown: retryable. */
  EconomicUnavailable: 'economic_unavailable',
  /** e-conomic answered 401: the grant was revoked (permanent until the shop is reconnected). */
  EconomicTokenRejected: 'economic_token_rejected',
  /** e-conomic refused the request for another reason; `errors` carries its field messages (permanent). */
  EconomicRejected: 'economic_rejected',
  /** Another request for the same customer held it too long: retryable. */
  CustomerBusy: 'customer_busy',
} as const;
export type CustomerErrorCode = (typeof CustomerErrorCodes)[keyof typeof CustomerErrorCodes];
