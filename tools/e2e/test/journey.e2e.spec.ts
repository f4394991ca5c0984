/**
 * The whole journey through the real processes, driven only through the gateway's HTTP API, NATS
 * subjects and the sandbox's HTTP API.
 */
import { applySettings, collect, connectedShop, E2E, prepareAgreement, sandboxApi, startSystem, transfer, waitFor } from './harness';

let e2e: E2E;
let agreement: { agreementNumber: number; grantToken: string };
let shop: { id: string; webhookSecret: string };
let orderNo = 5000;

const today = new Date().toISOString().slice(0, 10);
const customer = (n: number, extra: Record<string, unknown> = {}) => ({ id: `cust-${n}`, name: `Customer ${n}`, email: `customer${n}@shop.example`, address: 'Vestergade 2', zip: '8000', city: 'Aarhus C', country: 'DK', ...extra });
const line = (sku: string, quantity: number, unitNetPrice: number, extra: Record<string, unknown> = {}) => ({ sku, description: sku, quantity, unitNetPrice, vatRate: 25, ...extra });

function order(lines = [line('MUG', 2, 100)], extra: Record<string, unknown> = {}) {
  const n = ++orderNo;
  return { orderId: `E2E-${n}`, orderNumber: n, currency: 'DKK', date: today, customer: customer(n % 3), lines, ...extra };
}

const paid = (o: ReturnType<typeof order>, amount = 250) => ({ order: o, payment: { amount, currency: 'DKK', paidAt: new Date().toISOString() } });

async function send(type: string, data: unknown, id?: string) {
  const res = await e2e.gateway.sendWebhook(shop.id, shop.webhookSecret, type, data, { id });
  expect([res.status, res.body]).toEqual([202, { id: res.id }]);
  return res.id;
}

const settings = (patch: Record<string, unknown>) => applySettings(e2e, shop.id, patch);

async function until(orderId: string, statuses: string[]) {
  let last: any;
  try {
    return await waitFor(async () => {
      last = await transfer(e2e, shop.id, orderId);
      return last && statuses.includes(last.status) ? last : undefined;
    }, `${orderId} to reach ${statuses.join('/')}`, 90_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`);
  }
}

/** Booked invoices matching a filter, each read in full (collections leave the lines out, as in e-conomic). */
async function booked(filter: string) {
  const res = await sandboxApi(e2e, 'GET', `/invoices/booked?filter=${encodeURIComponent(filter)}`, agreement.grantToken);
  return await Promise.all((res.body.collection as any[]).map(async (b) => (await sandboxApi(e2e, 'GET', `/invoices/booked/${b.bookedInvoiceNumber}`, agreement.grantToken)).body));
}

beforeAll(async () => {
  e2e = await startSystem();
  agreement = await prepareAgreement(e2e, [{ productNumber: 'MUG' }, { productNumber: 'TEA' }, { productNumber: 'FRAGT' }, { productNumber: 'SALG25' }, { productNumber: 'SALG0', productGroup: 2 }]);
  shop = await connectedShop(e2e, agreement.agreementNumber);
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
});

describe('connecting and settings', () => {
  it('shows the connection the grant page made', async () => {
    const c = await e2e.gateway.call('GET', `/api/shops/${shop.id}/economic`);
    expect(c).toMatchObject({ status: 'connected', agreementNumber: agreement.agreementNumber });
  });

  it('refuses settings that name things e-conomic does not have, and says how to fix them', async () => {
    const res = await e2e.gateway.api('PATCH', `/api/shops/${shop.id}/settings`, { customerGroupNumber: 4242, paymentJournalNumber: 77, postPayments: true, postingAccountNumber: 5830 });
    expect(res.status).toBe(422);
    const fields = res.body.errors.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['customerGroupNumber', 'paymentJournalNumber']));
    expect(JSON.stringify(res.body)).toMatch(/4242/);
  });

  it('answers 400 naming each invalid field', async () => {
    const res = await e2e.gateway.api('PATCH', `/api/shops/${shop.id}/settings`, { bookingMode: 'later', stockSyncIntervalSeconds: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.field).sort()).toEqual(['bookingMode', 'stockSyncIntervalSeconds']);
  });
});

describe('orders to invoices', () => {
  it('books a paid order, posts its payment and tells internal subscribers', async () => {
    await settings({ transferTrigger: 'payment', bookingMode: 'book', postPayments: true, paymentJournalNumber: 2, postingAccountNumber: 5830, shippingProductNumber: 'FRAGT' });
    const events = collect(e2e.nc, e2e.subject('invoice.booked'));
    const o = order([line('MUG', 2, 100)], { shipping: { description: 'Shipping', amount: 50, vatRate: 25 } });
    const webhookId = await send('order.paid', paid(o, 312.5));
    const t = await until(o.orderId, ['booked']);
    await waitFor(async () => (await transfer(e2e, shop.id, o.orderId)).payments?.[0]?.status === 'posted', 'the payment to be posted');
    const [invoice] = await booked(`references.other$eq:bogholder:${shop.id}:${o.orderId}`);
    expect(invoice).toMatchObject({ bookedInvoiceNumber: t.bookedInvoiceNumber, grossAmount: 312.5, notes: { heading: `Order #${o.orderNumber}` } });
    expect(invoice.lines.map((l: any) => l.product?.productNumber)).toEqual(['MUG', 'FRAGT']);
    const event = await waitFor(async () => events.messages.find((m) => m.data.orderId === o.orderId), 'invoice.booked on NATS');
    expect(event).toMatchObject({ type: 'invoice.booked', shopId: shop.id, correlationId: webhookId, data: { bookedInvoiceNumber: t.bookedInvoiceNumber, grossAmount: 312.5, currency: 'DKK', sentByEan: false } });
    const after = await sandboxApi(e2e, 'GET', `/invoices/booked/${t.bookedInvoiceNumber}`, agreement.grantToken);
    expect(after.body.remainder).toBe(0);
    events.sub.unsubscribe();
  });

  it('with the shipment trigger, waits for the shipment even when it arrives first or twice', async () => {
    await settings({ transferTrigger: 'shipment', postPayments: false });
    const o = order();
    await send('order.paid', paid(o));
    await until(o.orderId, ['waiting_for_trigger']);
    const shipped = { order: o, shippedAt: new Date().toISOString() };
    const id = await send('order.shipped', shipped);
    const dup = await e2e.gateway.sendWebhook(shop.id, shop.webhookSecret, 'order.shipped', shipped, { id });
    expect([dup.status, dup.body]).toEqual([200, { id, duplicate: true }]);
    await until(o.orderId, ['booked']);
    expect(await booked(`references.other$eq:bogholder:${shop.id}:${o.orderId}`)).toHaveLength(1);
    await settings({ transferTrigger: 'payment' });
  });

  it('books with the shop\'s own number', async () => {
    await settings({ bookingMode: 'bookWithNumber', invoiceNumberOffset: 700000 });
    const o = order();
    await send('order.paid', paid(o));
    const t = await until(o.orderId, ['booked']);
    expect(t.bookedInvoiceNumber).toBe(700000 + o.orderNumber);
    await settings({ bookingMode: 'book', invoiceNumberOffset: 0 });
  });

  it('leaves a draft in draft mode and updates it when the order changes', async () => {
    await settings({ bookingMode: 'draft' });
    const drafted = collect(e2e.nc, e2e.subject('invoice.drafted'));
    const o = order([line('MUG', 1, 100)]);
    await send('order.paid', paid(o));
    const t = await until(o.orderId, ['drafted']);
    await send('order.updated', { order: { ...o, lines: [line('MUG', 3, 100)] } });
    await waitFor(async () => {
      const d = await sandboxApi(e2e, 'GET', `/invoices/drafts/${t.draftInvoiceNumber}`, agreement.grantToken);
      return d.body?.lines?.[0]?.quantity === 3;
    }, 'the draft to be updated');
    await waitFor(async () => drafted.messages.some((m) => m.data.orderId === o.orderId), 'invoice.drafted on NATS');
    drafted.sub.unsubscribe();
    await settings({ bookingMode: 'book' });
  });

  it('puts one total line per VAT rate with the total layout', async () => {
    await settings({ productLayout: 'total', totalLineProducts: { '25': 'SALG25', '0': 'SALG0' } });
    const o = order([line('MUG', 2, 100), line('TEA', 1, 60), line('TEA', 1, 40, { vatRate: 0 })]);
    await send('order.paid', paid(o));
    await until(o.orderId, ['booked']);
    const [invoice] = await booked(`references.other$eq:bogholder:${shop.id}:${o.orderId}`);
    expect(invoice.lines.map((l: any) => [l.product.productNumber, l.quantity, l.unitNetPrice])).toEqual(expect.arrayContaining([['SALG25', 1, 260], ['SALG0', 1, 40]]));
    await settings({ productLayout: 'lines', totalLineProducts: null });
  });

  it('accrues lines that carry a period', async () => {
    await settings({ accrual: true });
    const end = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
    const o = order([line('TEA', 1, 1200, { period: { start: today, end } })]);
    await send('order.paid', paid(o, 1500));
    await until(o.orderId, ['booked']);
    const [invoice] = await booked(`references.other$eq:bogholder:${shop.id}:${o.orderId}`);
    expect(invoice.lines[0].accrual).toEqual({ startDate: today, endDate: end });
    await settings({ accrual: false });
  });

  it('sends an EAN invoice with its reference contact', async () => {
    await settings({ eanInvoicing: true });
    const o = order([line('MUG', 1, 100)], { customer: customer(90, { ean: '5798000363007', eanContactName: 'Mette Jensen', cvr: '29189897' }) });
    await send('order.paid', paid(o, 125));
    const t = await until(o.orderId, ['booked']);
    const [invoice] = await booked(`references.other$eq:bogholder:${shop.id}:${o.orderId}`);
    expect(invoice.references.customerContact).toBeDefined();
    expect(t.bookedInvoiceNumber).toBe(invoice.bookedInvoiceNumber);
    const events = await sandboxApi(e2e, 'GET', '/invoices/booked', agreement.grantToken);
    expect(events.status).toBe(200);
  });

  it('parks an EAN order without a reference contact, saying what is missing', async () => {
    const o = order([line('MUG', 1, 100)], { customer: customer(91, { ean: '5798000363007' }) });
    await send('order.paid', paid(o, 125));
    const t = await until(o.orderId, ['parked']);
    expect(t.lastError.message).toMatch(/Reference contact must be provided/);
    await settings({ eanInvoicing: false });
  });

  it('turns a refund into a booked credit note with negative lines', async () => {
    const events = collect(e2e.nc, e2e.subject('creditnote.booked'));
    const o = order([line('MUG', 3, 100)]);
    await send('order.paid', paid(o, 375));
    await until(o.orderId, ['booked']);
    await send('order.refunded', { orderId: o.orderId, refundId: 'R-1', lines: [line('MUG', 1, 100)], refundedAt: new Date().toISOString() });
    const event = await waitFor(async () => events.messages.find((m) => m.data.orderId === o.orderId), 'creditnote.booked on NATS');
    expect(event.data).toMatchObject({ refundId: 'R-1', grossAmount: -125, currency: 'DKK' });
    const [note] = await booked(`references.other$eq:bogholder:${shop.id}:${o.orderId}:refund:R-1`);
    expect(note.lines[0].quantity).toBe(-1);
    expect(note.grossAmount).toBe(-125);
    events.sub.unsubscribe();
  });

  it('parks an order whose SKU e-conomic does not have, and books it after the product is created and the order retried', async () => {
    const o = order([line('GHOST-1', 1, 100), line('MUG', 1, 100)]);
    await send('order.paid', paid(o));
    const t = await until(o.orderId, ['parked']);
    expect(t.lastError.message).toMatch(/GHOST-1/);
    expect(t.lastError.message).not.toMatch(/\bMUG\b/);
    const created = await sandboxApi(e2e, 'POST', '/products', agreement.grantToken, { productNumber: 'GHOST-1', name: 'Ghost', productGroup: { productGroupNumber: 1 }, inventory: { recommendedCostPrice: 0 } });
    expect(created.status).toBe(201);
    await e2e.gateway.call('POST', `/api/shops/${shop.id}/transfers/${o.orderId}/retry`, undefined, [200, 202]);
    await until(o.orderId, ['booked']);
  });

  it('retries every order one cause parked with one request, once the cause is fixed', async () => {
    const orders = [order([line('GHOST-2', 1, 100)]), order([line('GHOST-2', 2, 100)])];
    for (const o of orders) await send('order.paid', paid(o, o.lines[0]!.quantity * 125));
    for (const o of orders) await until(o.orderId, ['parked']);
    await sandboxApi(e2e, 'POST', '/products', agreement.grantToken, { productNumber: 'GHOST-2', name: 'Ghost 2', productGroup: { productGroupNumber: 1 }, inventory: { recommendedCostPrice: 0 } });
    const reply = await e2e.gateway.call('POST', `/api/shops/${shop.id}/transfers/retry?code=products_missing`, undefined, [200]);
    expect(reply).toEqual({ retried: 2, orderIds: expect.arrayContaining(orders.map((o) => o.orderId)), more: false });
    for (const o of orders) await until(o.orderId, ['booked']);
  });

  it('previews the exact draft body of an order without creating anything', async () => {
    const o = order([line('MUG', 1, 100)]);
    await send('order.paid', paid(o));
    await until(o.orderId, ['booked']);
    const before = (await sandboxApi(e2e, 'GET', '/invoices/drafts', agreement.grantToken)).body.pagination.results;
    const preview = await e2e.gateway.call('GET', `/api/shops/${shop.id}/orders/${o.orderId}/invoice-preview`);
    expect(preview).toMatchObject({ currency: 'DKK', references: { other: `bogholder:${shop.id}:${o.orderId}` }, notes: { heading: `Order #${o.orderNumber}` } });
    expect((await sandboxApi(e2e, 'GET', '/invoices/drafts', agreement.grantToken)).body.pagination.results).toBe(before);
  });

  it('pages the transfer log newest first and filters it by status', async () => {
    const page = await e2e.gateway.call('GET', `/api/shops/${shop.id}/transfers?limit=2&offset=0`);
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(8);
    expect(new Date(page.items[0].updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(page.items[1].updatedAt).getTime());
    const parked = await e2e.gateway.call('GET', `/api/shops/${shop.id}/transfers?status=parked`);
    expect(parked.items.every((t: any) => t.status === 'parked' && t.lastError?.message)).toBe(true);
  });
});
