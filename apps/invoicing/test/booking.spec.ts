import { InvoicePreviewReply, RpcSubjects, TransferView } from '@bogholder/contracts';
import { EconomicClient } from '@bogholder/economic-client';
import request from 'supertest';
import { eventually, sleep } from '@bogholder/testing';
import { grossOf, Harness, makeOrder, TestShop } from './support/harness';

const ref = (shop: TestShop, orderId: string) => `bogholder:${shop.shopId}:${orderId}`;

/** Books an invoice in e-conomic by hand (not through the service), e.g. to take an invoice number. */
async function bookForeignInvoice(economic: EconomicClient, customerNumber: number, bookWithNumber: number, date: string): Promise<void> {
  const draft = await economic.invoices.drafts.create({
    date, currency: 'DKK', customer: { customerNumber }, paymentTerms: { paymentTermsNumber: 1 }, layout: { layoutNumber: 19 },
    recipient: { name: 'Manual', vatZone: { vatZoneNumber: 1 } }, references: { other: 'booked by hand' },
    lines: [{ product: { productNumber: 'VARE-1' }, description: 'manual', quantity: 1, unitNetPrice: 10 }],
  });
  await economic.invoices.booked.book({ draftInvoiceNumber: draft.draftInvoiceNumber, bookWithNumber });
}

describe('booking orders into e-conomic', () => {
  const h = new Harness();

  beforeAll(async () => {
    await h.start();
  });

  afterAll(async () => {
    await h.stop();
  });

  it('books a paid order as exactly one invoice tied to the order and announces it with the contract payload', async () => {
    const shop = await h.shop();
    const order = makeOrder();
    const webhook = await h.paid(shop, order);

    const t = await h.waitFor(shop.shopId, order.orderId, 'booked');
    expect(t).toMatchObject({ orderNumber: order.orderNumber, attempts: 1, lastError: null, nextAttemptAt: null });
    const docs = await h.documents(shop, ref(shop, order.orderId));
    expect(docs.drafts).toHaveLength(0);
    expect(docs.booked).toHaveLength(1);
    const invoice = docs.booked[0]!;
    expect(invoice.bookedInvoiceNumber).toBe(t.bookedInvoiceNumber);
    expect(invoice.customer.customerNumber).toBe(t.customerNumber);
    expect(invoice.notes?.heading).toBe(`Order #${order.orderNumber}`);
    expect(invoice.date).toBe(order.date);
    // No layout / payment terms in the settings: the agreement's first ones.
    expect(invoice.layout.layoutNumber).toBe(19);
    expect(invoice.paymentTerms.paymentTermsNumber).toBe(1);
    expect(invoice.recipient).toMatchObject({ name: order.customer.name, vatZone: { vatZoneNumber: 1 } });
    expect(invoice.lines.map((l) => [l.product?.productNumber, l.description, l.quantity, l.unitNetPrice, l.discountPercentage ?? 0])).toEqual([
      ['VARE-1', 'Kaffe', 2, 100, 0],
      ['VARE-2', 'Kop', 1, 40, 10],
    ]);
    expect(invoice.grossAmount).toBe(grossOf(order));

    await eventually(() => h.eventsOf('invoice.booked', order.orderId).length > 0);
    const [event] = h.eventsOf('invoice.booked', order.orderId);
    expect(event!.correlationId).toBe(webhook.id);
    expect(event!.data).toEqual({
      orderId: order.orderId,
      draftInvoiceNumber: t.draftInvoiceNumber,
      bookedInvoiceNumber: t.bookedInvoiceNumber,
      customerNumber: t.customerNumber,
      netAmount: 236,
      vatAmount: 59,
      grossAmount: 295,
      currency: 'DKK',
      date: order.date,
      sentByEan: false,
    });
  });

  it('costs exactly two e-conomic calls per booked order for a returning customer', async () => {
    const shop = await h.shop();
    const first = makeOrder();
    await h.paid(shop, first);
    await h.waitFor(shop.shopId, first.orderId, 'booked');
    await h.clearRequests(shop);

    const orders = [0, 1, 2, 3].map(() => makeOrder({ customer: first.customer }));
    for (const o of orders) await h.paid(shop, o);
    for (const o of orders) await h.waitFor(shop.shopId, o.orderId, 'booked');

    const calls = (await h.requests(shop)).map((r) => `${r.method} ${r.path}`).sort();
    expect(calls).toEqual([...Array(4).fill('POST /invoices/booked'), ...Array(4).fill('POST /invoices/drafts')]);
    const customers = await Promise.all(orders.map(async (o) => (await h.transfer(shop.shopId, o.orderId))!.customerNumber));
    expect(new Set(customers).size).toBe(1);
  });

  it('stops at the draft in draft mode and announces invoice.drafted', async () => {
    const shop = await h.shop({ bookingMode: 'draft', layoutNumber: 21, paymentTermsNumber: 5 });
    const order = makeOrder();
    await h.paid(shop, order);

    const t = await h.waitFor(shop.shopId, order.orderId, 'drafted');
    expect(t.bookedInvoiceNumber).toBeNull();
    const docs = await h.documents(shop, ref(shop, order.orderId));
    expect(docs.booked).toHaveLength(0);
    expect(docs.drafts).toHaveLength(1);
    expect(docs.drafts[0]).toMatchObject({ draftInvoiceNumber: t.draftInvoiceNumber, layout: { layoutNumber: 21 }, paymentTerms: { paymentTermsNumber: 5 } });
    await eventually(() => h.eventsOf('invoice.drafted', order.orderId).length > 0);
    expect(h.eventsOf('invoice.drafted', order.orderId)[0]!.data).toEqual({
      orderId: order.orderId, draftInvoiceNumber: t.draftInvoiceNumber, customerNumber: t.customerNumber, netAmount: 236, vatAmount: 59, grossAmount: 295, currency: 'DKK',
    });
    expect(h.eventsOf('invoice.booked', order.orderId)).toHaveLength(0);
  });

  it('exposes transfers by status, queue depth and e-conomic calls per document at /metrics', async () => {
    const shop = await h.shop();
    const first = makeOrder();
    const second = makeOrder({ customer: first.customer });
    await h.paid(shop, first);
    await h.waitFor(shop.shopId, first.orderId, 'booked');
    await h.paid(shop, second);
    await h.waitFor(shop.shopId, second.orderId, 'booked');
    const res = await request(h.app.getHttpServer()).get('/metrics').expect(200);
    const metric = (name: string, ...labels: string[]) => new RegExp(`^${name}\\{${labels.map((l) => `(?=[^}]*${l})`).join('')}[^}]*\\} ([0-9.]+)$`, 'm');
    expect(Number(metric('bogholder_invoicing_transfers', 'status="booked"').exec(res.text)?.[1])).toBeGreaterThan(0);
    // The second order (a returning customer) cost exactly 2 calls.
    expect(Number(metric('bogholder_invoicing_economic_calls_per_document_bucket', 'le="2"', 'kind="invoice"').exec(res.text)?.[1])).toBeGreaterThan(0);
    expect(Number(metric('bogholder_invoicing_jobs_total', 'kind="invoice"', 'outcome="done"').exec(res.text)?.[1])).toBeGreaterThan(0);
    expect(res.text).toContain('bogholder_invoicing_queue_oldest_due_seconds');
  });

  it('books with invoiceNumberOffset + orderNumber; a number already used parks with a clear message, and retry after raising the offset books it', async () => {
    const shop = await h.shop({ bookingMode: 'bookWithNumber', invoiceNumberOffset: 50_000 });
    const order = makeOrder();
    await h.paid(shop, order);
    const booked = await h.waitFor(shop.shopId, order.orderId, 'booked');
    expect(booked.bookedInvoiceNumber).toBe(50_000 + order.orderNumber);

    // Someone booked an invoice under the number the next order would get.
    const next = makeOrder({ customer: order.customer });
    await bookForeignInvoice(shop.economic, booked.customerNumber!, 50_000 + next.orderNumber, next.date);
    await h.paid(shop, next);
    const parked = await h.waitFor(shop.shopId, next.orderId, 'parked');
    expect(parked.lastError!.code).toBe('invoice_number_taken');
    expect(parked.lastError!.message).toMatch(new RegExp(`^invoice number ${50_000 + next.orderNumber} is already used in e-conomic.*: raise invoiceNumberOffset or book this order with bookingMode book`));
    expect(parked.draftInvoiceNumber).not.toBeNull();
    await eventually(() => h.eventsOf('invoice.failed', next.orderId).length > 0);
    expect(h.eventsOf('invoice.failed', next.orderId)[0]!.data).toMatchObject({ code: 'invoice_number_taken', retryable: false });

    await h.setSettings(shop, { bookingMode: 'bookWithNumber', invoiceNumberOffset: 60_000 });
    const retried = await h.rpc.request<TransferView>(RpcSubjects.InvoicingTransferRetry, { shopId: shop.shopId, orderId: next.orderId, correlationId: 'admin-retry-1' });
    expect(retried.status).toBe('in_progress');
    const done = await h.waitFor(shop.shopId, next.orderId, 'booked');
    expect(done.bookedInvoiceNumber).toBe(60_000 + next.orderNumber);
    expect(done.attempts).toBe(2);
    expect(done.lastError).toBeNull();
    const docs = await h.documents(shop, ref(shop, next.orderId));
    expect(docs.booked).toHaveLength(1);
    expect(docs.drafts).toHaveLength(0);
  });

  it('parks an order whose booking number would exceed 999 999 999, before writing anything', async () => {
    const shop = await h.shop({ bookingMode: 'bookWithNumber', invoiceNumberOffset: 999_999_000 });
    const order = makeOrder({ orderNumber: 5000 });
    await h.paid(shop, order);
    const parked = await h.waitFor(shop.shopId, order.orderId, 'parked');
    expect(parked.lastError).toEqual({
      code: 'invoice_number_out_of_range',
      message: expect.stringMatching(/^bookWithNumber would give invoice number 1000004000 \(invoiceNumberOffset 999999000 \+ order number 5000\), above e-conomic's maximum 999999999: lower invoiceNumberOffset or use bookingMode "book"/),
    });
    expect(parked.draftInvoiceNumber).toBeNull();
    expect(await h.documents(shop, ref(shop, order.orderId))).toEqual({ drafts: [], booked: [] });
  });

  it('turns duplicate and re-sent events into one invoice', async () => {
    const shop = await h.shop();
    const order = makeOrder();
    const first = await h.paid(shop, order);
    await h.paid(shop, order, {}, { webhookId: first.id }); // the same webhook delivered twice
    await h.paid(shop, order); // the shop re-sent it under a new webhook id
    await h.shipped(shop, order);
    await h.waitFor(shop.shopId, order.orderId, 'booked');
    await sleep(1500);
    const t = (await h.transfer(shop.shopId, order.orderId))!;
    expect(t.attempts).toBe(1);
    expect(t.payments).toHaveLength(1);
    const docs = await h.documents(shop, ref(shop, order.orderId));
    expect(docs.booked).toHaveLength(1);
    expect(docs.drafts).toHaveLength(0);
    expect(h.eventsOf('invoice.booked', order.orderId)).toHaveLength(1);
  });

  it('lists the transfer log newest first with status filter and paging, and answers retry and preview', async () => {
    const shop = await h.shop();
    const good = makeOrder();
    const bad = makeOrder({ lines: [{ sku: 'UNKNOWN-SKU', description: 'Ukendt', quantity: 1, unitNetPrice: 10, vatRate: 25 }] });
    await h.paid(shop, good);
    await h.waitFor(shop.shopId, good.orderId, 'booked');
    await h.paid(shop, bad);
    await h.waitFor(shop.shopId, bad.orderId, 'parked');

    const all = await h.transfers(shop.shopId);
    expect(all.total).toBe(2);
    expect(all.items.map((i) => i.orderId)).toEqual([bad.orderId, good.orderId]);
    const parked = await h.transfers(shop.shopId, { status: 'parked' });
    expect(parked).toMatchObject({ total: 1, items: [{ orderId: bad.orderId, status: 'parked', lastError: { code: 'products_missing' } }] });
    const page2 = await h.transfers(shop.shopId, { limit: 1, offset: 1 });
    expect(page2.total).toBe(2);
    expect(page2.items.map((i) => i.orderId)).toEqual([good.orderId]);
    expect((await h.transfers('another-shop')).total).toBe(0);
    await expect(h.transfers(shop.shopId, { limit: 1000 })).rejects.toMatchObject({ code: 'invalid_request', status: 400 });

    await expect(h.rpc.request(RpcSubjects.InvoicingTransferRetry, { shopId: shop.shopId, orderId: 'nope', correlationId: 'c' }))
      .rejects.toMatchObject({ code: 'transfer_not_found', status: 404, message: expect.stringMatching(/^order nope is not known for this shop/) });
    await expect(h.rpc.request(RpcSubjects.InvoicingTransferRetry, { shopId: shop.shopId, orderId: good.orderId, correlationId: 'c' }))
      .rejects.toMatchObject({ code: 'already_booked', status: 409, message: expect.stringMatching(/already booked as invoice #\d+/) });
    await expect(h.rpc.request(RpcSubjects.InvoicingPreview, { shopId: shop.shopId, orderId: 'nope' })).rejects.toMatchObject({ code: 'transfer_not_found', status: 404 });

    // The preview is the body that was posted (same settings), and creates nothing.
    await h.clearRequests(shop);
    const preview = await h.rpc.request<InvoicePreviewReply>(RpcSubjects.InvoicingPreview, { shopId: shop.shopId, orderId: good.orderId });
    const booked = (await h.documents(shop, ref(shop, good.orderId))).booked[0]!;
    expect(preview.body).toMatchObject({
      date: good.date,
      currency: 'DKK',
      customer: { customerNumber: booked.customer.customerNumber },
      layout: { layoutNumber: 19 },
      paymentTerms: { paymentTermsNumber: 1 },
      references: { other: ref(shop, good.orderId) },
      notes: { heading: `Order #${good.orderNumber}` },
      recipient: { name: good.customer.name, vatZone: { vatZoneNumber: 1 } },
      lines: booked.lines.map((l) => ({ product: { productNumber: l.product!.productNumber }, description: l.description, quantity: l.quantity, unitNetPrice: l.unitNetPrice, ...(l.discountPercentage ? { discountPercentage: l.discountPercentage } : {}) })),
    });
    expect((await h.requests(shop)).filter((r) => r.method !== 'GET')).toEqual([]);
    // A customer the customers service does not know yet: null.
    const unknown = await h.rpc.request<InvoicePreviewReply>(RpcSubjects.InvoicingPreview, { shopId: shop.shopId, orderId: bad.orderId });
    expect(unknown.body.customer).toEqual({ customerNumber: null });
  });
});
