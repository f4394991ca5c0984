import {
  createEnvelope, CreditNoteBookedData, EventEnvelope, InvoiceBookedData, InvoiceDraftedData, InvoiceFailedData, PaymentPostedData, Subjects,
} from '@bogholder/contracts';

/**
 * The events of a transfer, with deterministic envelope ids: a document is announced once even if the
 * step that announces it runs twice (JetStream's duplicate window and the outbox's unique id).
 */
export const TransferEvents = {
  invoiceBooked: (shopId: string, correlationId: string, data: InvoiceBookedData): EventEnvelope<InvoiceBookedData> =>
    createEnvelope(Subjects.InvoiceBooked, shopId, data, correlationId, { id: `invoice.booked:${shopId}:${data.orderId}` }),
  invoiceDrafted: (shopId: string, correlationId: string, revision: number, data: InvoiceDraftedData): EventEnvelope<InvoiceDraftedData> =>
    createEnvelope(Subjects.InvoiceDrafted, shopId, data, correlationId, { id: `invoice.drafted:${shopId}:${data.orderId}:${data.draftInvoiceNumber}:${revision}` }),
  invoiceFailed: (shopId: string, correlationId: string, sequence: number, data: InvoiceFailedData): EventEnvelope<InvoiceFailedData> =>
    createEnvelope(Subjects.InvoiceFailed, shopId, { ...data, message: data.message.slice(0, 2000) }, correlationId, { id: `invoice.failed:${shopId}:${data.orderId}:${sequence}` }),
  creditNoteBooked: (shopId: string, correlationId: string, data: CreditNoteBookedData): EventEnvelope<CreditNoteBookedData> =>
    createEnvelope(Subjects.CreditNoteBooked, shopId, data, correlationId, { id: `creditnote.booked:${shopId}:${data.orderId}:${data.refundId}` }),
  paymentPosted: (shopId: string, correlationId: string, paymentId: string, data: PaymentPostedData): EventEnvelope<PaymentPostedData> =>
    createEnvelope(Subjects.PaymentPosted, shopId, data, correlationId, { id: `payment.posted:${shopId}:${data.orderId}:${paymentId}` }),
};
