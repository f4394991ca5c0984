// ---- inventory ------------------------------------------------------------------------------

export interface ShopScopedRequest {
  shopId: string;
}

/** `rpc.inventory.mismatches`: a `ShopScopedRequest`, optionally paged (default limit 500, max 500). */
export interface InventoryMismatchesRequest extends ShopScopedRequest {
  limit?: number;
  offset?: number;
}

export interface InventoryMismatchView {
  sku: string;
  kind: 'missing-in-economic' | 'stock-differs';
  shopQuantity: number | null;
  economicQuantity: number | null;
  /** When the mismatch was first seen (ISO 8601). */
  detectedAt?: string;
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
  /** When the next scheduled reconciliation is due (null when none is scheduled). */
  nextReconcileAt?: string | null;
  /** The interval actually used: `stockSyncIntervalSeconds`, or longer when a large catalogue would exceed the request budget. */
  effectiveIntervalSeconds?: number | null;
  /** Whether stock.changed is also POSTed to the shop (it has a callbackUrl). */
  callbackConfigured?: boolean;
  pendingDeliveries?: number;
  deadDeliveries?: number;
  openMismatches?: number;
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
  /** The `stock.changed` event id, also the `webhook-id` header (equal to `id`). */
  eventId?: string;
  /** HTTP status of the last attempt (null: no answer). */
  lastStatusCode?: number | null;
  /** The event's data as POSTed. */
  data?: { sku: string; available: number; previous: number | null };
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

/** `rpc.inventory.reconcile`: read the shop's stock from e-conomic now (admin action). */
export interface ReconcileReply {
  outcome: 'done' | 'busy' | 'skipped' | 'no-inventory-module' | 'failed';
  message: string;
  /** SKUs whose stock.changed went out. */
  changes?: number;
  productsRead?: number;
}
