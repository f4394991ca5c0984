/**
 * Every subject on the bus. A subject equals the event `type` of CONTRACT.md §4; request/reply
 * subjects live under `rpc.` so that no stream captures them.
 */
export const Subjects = {
  ShopOrderPaid: 'shop.order.paid',
  ShopOrderShipped: 'shop.order.shipped',
  ShopOrderUpdated: 'shop.order.updated',
  ShopOrderRefunded: 'shop.order.refunded',
  ShopStockSnapshot: 'shop.stock.snapshot',
  /** Internal: a shop was created or changed (name, callbackUrl, encrypted webhook secret). */
  ShopProfileUpdated: 'shop.profile.updated',
  EconomicConnected: 'economic.connected',
  EconomicDisconnected: 'economic.disconnected',
  /** Internal: a call from e-conomic's own webhooks (CONTRACT.md §3b), queued by the gateway. */
  EconomicWebhookReceived: 'economic.webhook.received',
  SettingsUpdated: 'settings.updated',
  CustomerCreated: 'customer.created',
  InvoiceDrafted: 'invoice.drafted',
  InvoiceBooked: 'invoice.booked',
  InvoiceFailed: 'invoice.failed',
  CreditNoteBooked: 'creditnote.booked',
  PaymentPosted: 'payment.posted',
  StockChanged: 'stock.changed',
  InventoryMismatch: 'inventory.mismatch',
} as const;

export type Subject = (typeof Subjects)[keyof typeof Subjects];
export const ALL_SUBJECTS: readonly Subject[] = Object.values(Subjects);

/** The webhook `type`s a shop may send (CONTRACT.md §3); each is published as `shop.<type>`. */
export const SHOP_WEBHOOK_TYPES = ['order.paid', 'order.shipped', 'order.updated', 'order.refunded', 'stock.snapshot'] as const;
export type ShopWebhookType = (typeof SHOP_WEBHOOK_TYPES)[number];
export const shopSubjectFor = (type: ShopWebhookType): Subject => `shop.${type}` as Subject;

/** Request/reply subjects (core NATS, never stored in a stream). */
export const RpcSubjects = {
  CustomersEnsure: 'rpc.customers.ensure',
  CustomersLookup: 'rpc.customers.lookup',
  InvoicingTransfersList: 'rpc.invoicing.transfers.list',
  InvoicingTransferRetry: 'rpc.invoicing.transfers.retry',
  InvoicingTransfersRetryMany: 'rpc.invoicing.transfers.retry-many',
  InvoicingPreview: 'rpc.invoicing.preview',
  InventoryMismatches: 'rpc.inventory.mismatches',
  InventoryStatus: 'rpc.inventory.status',
  InventoryDeliveries: 'rpc.inventory.deliveries.list',
  InventoryRedeliver: 'rpc.inventory.deliveries.redeliver',
  InventoryReconcile: 'rpc.inventory.reconcile',
} as const;
export type RpcSubject = (typeof RpcSubjects)[keyof typeof RpcSubjects];
