import { ClassConstructor } from 'class-transformer';
import { EventEnvelope } from './envelope';
import {
  CreditNoteBookedData, CustomerCreatedData, InventoryMismatchData, InvoiceBookedData, InvoiceDraftedData, InvoiceFailedData,
  PaymentPostedData, StockChangedData,
} from './events/documents';
import { EconomicConnectedData, EconomicDisconnectedData, EconomicWebhookReceivedData, ShopProfileUpdatedData } from './events/economic';
import { OrderPaidData, OrderRefundedData, OrderShippedData, OrderUpdatedData, StockSnapshotData } from './events/order';
import { Settings } from './events/settings';
import { ALL_SUBJECTS, Subject, Subjects } from './subjects';
import { FieldError, validatePayload } from './validation';

/** Subject → the class its `data` must satisfy. */
export const PAYLOADS: { readonly [S in Subject]: ClassConstructor<object> } = {
  [Subjects.ShopOrderPaid]: OrderPaidData,
  [Subjects.ShopOrderShipped]: OrderShippedData,
  [Subjects.ShopOrderUpdated]: OrderUpdatedData,
  [Subjects.ShopOrderRefunded]: OrderRefundedData,
  [Subjects.ShopStockSnapshot]: StockSnapshotData,
  [Subjects.ShopProfileUpdated]: ShopProfileUpdatedData,
  [Subjects.EconomicConnected]: EconomicConnectedData,
  [Subjects.EconomicDisconnected]: EconomicDisconnectedData,
  [Subjects.EconomicWebhookReceived]: EconomicWebhookReceivedData,
  [Subjects.SettingsUpdated]: Settings,
  [Subjects.CustomerCreated]: CustomerCreatedData,
  [Subjects.InvoiceDrafted]: InvoiceDraftedData,
  [Subjects.InvoiceBooked]: InvoiceBookedData,
  [Subjects.InvoiceFailed]: InvoiceFailedData,
  [Subjects.CreditNoteBooked]: CreditNoteBookedData,
  [Subjects.PaymentPosted]: PaymentPostedData,
  [Subjects.StockChanged]: StockChangedData,
  [Subjects.InventoryMismatch]: InventoryMismatchData,
};

/** Typed `data` per subject, for publishers and handlers. */
export interface PayloadMap {
  'shop.order.paid': OrderPaidData;
  'shop.order.shipped': OrderShippedData;
  'shop.order.updated': OrderUpdatedData;
  'shop.order.refunded': OrderRefundedData;
  'shop.stock.snapshot': StockSnapshotData;
  'shop.profile.updated': ShopProfileUpdatedData;
  'economic.connected': EconomicConnectedData;
  'economic.disconnected': EconomicDisconnectedData;
  'economic.webhook.received': EconomicWebhookReceivedData;
  'settings.updated': Settings;
  'customer.created': CustomerCreatedData;
  'invoice.drafted': InvoiceDraftedData;
  'invoice.booked': InvoiceBookedData;
  'invoice.failed': InvoiceFailedData;
  'creditnote.booked': CreditNoteBookedData;
  'payment.posted': PaymentPostedData;
  'stock.changed': StockChangedData;
  'inventory.mismatch': InventoryMismatchData;
}

export const isSubject = (value: unknown): value is Subject => typeof value === 'string' && (ALL_SUBJECTS as string[]).includes(value);

/** Validates `data` for a subject; paths are prefixed with `prefix` (e.g. `data`). */
export function validateEventData(subject: Subject, data: unknown, prefix = 'data') {
  return validatePayload(PAYLOADS[subject], data, prefix);
}

/** Validates a whole envelope read off the bus. */
export function validateEnvelope(raw: unknown): { ok: true; envelope: EventEnvelope } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (typeof raw !== 'object' || raw === null) return { ok: false, errors: [{ field: '(envelope)', message: 'the envelope must be a JSON object' }] };
  const e = raw as Record<string, unknown>;
  for (const key of ['id', 'shopId', 'occurredAt', 'correlationId'] as const) {
    if (typeof e[key] !== 'string' || (e[key] as string).length === 0) errors.push({ field: key, message: `${key} must be a non-empty string` });
  }
  if (!isSubject(e.type)) errors.push({ field: 'type', message: `type must be one of ${ALL_SUBJECTS.join(', ')}` });
  if (errors.length) return { ok: false, errors };
  const result = validateEventData(e.type as Subject, e.data);
  if (!result.ok) return { ok: false, errors: result.errors };
  return { ok: true, envelope: e as unknown as EventEnvelope };
}
