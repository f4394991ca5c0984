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
