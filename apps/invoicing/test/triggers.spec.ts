import { RpcSubjects, TransferView } from '@bogholder/contracts';
import { eventually, sleep } from '@bogholder/testing';
import { Harness, makeOrder, TestShop } from './support/harness';

const ref = (shop: TestShop, orderId: string) => `bogholder:${shop.shopId}:${orderId}`;

describe('what starts a transfer, in whatever order events arrive', () => {
  const h = new Harness();

  beforeAll(async () => {
    await h.start();
  });

  afterAll(async () => {
    await h.stop();
  });

  it('with transferTrigger shipment, waits for order.shipped and still posts the payment it remembered', async () => {
    const shop = await h.shop({ transferTrigger: 'shipment', postPayments: true, paymentJournalNumber: 2, postingAccountNumber: 5830 });
    const order = makeOrder();
    await h.paid(shop, order, { id: 'pay-1' });
    await h.waitFor(shop.shopId, order.orderId, 'waiting_for_trigger', 10_000, (t) => t.payments.length === 1);
    await sleep(500);
    expect(await h.documents(shop, ref(shop, order.orderId))).toEqual({ drafts: [], booked: [] });

    const shipped = await h.shipped(shop, order);
    const t = await h.waitFor(shop.shopId, order.orderId, 'booked');
    await eventually(() => h.eventsOf('invoice.booked', order.orderId).length > 0);
    expect(h.eventsOf('invoice.booked', order.orderId)[0]!.correlationId).toBe(shipped.id);
    const posted = await h.waitFor(shop.shopId, order.orderId, 'booked', 10_000, (x) => x.payments[0]?.status === 'posted');
    expect(posted.payments).toEqual([{ paymentId: 'pay-1', status: 'posted', voucherNumber: expect.any(Number), amount: 295, lastError: null }]);
    expect(t.bookedInvoiceNumber).not.toBeNull();
  });

  it('books the newest order even when order.shipped arrives before order.paid', async () => {
    const shop = await h.shop();
    const original = makeOrder();
    const newer = { ...original, lines: [{ ...original.lines[0]!, quantity: 5 }] };
    const t0 = Date.now();
    await h.shipped(shop, newer, { occurredAt: new Date(t0) });
    await h.waitFor(shop.shopId, original.orderId, 'waiting_for_trigger');
    const paid = await h.paid(shop, original, {}, { occurredAt: new Date(t0 - 60_000) }); // older event, older content

    const t = await h.waitFor(shop.shopId, original.orderId, 'booked');
    const [invoice] = (await h.documents(shop, ref(shop, original.orderId))).booked;
    expect(invoice!.lines.map((l) => [l.product?.productNumber, l.quantity])).toEqual([['VARE-1', 5]]);
    expect(t.attempts).toBe(1);
    await eventually(() => h.eventsOf('invoice.booked', original.orderId).length > 0);
    expect(h.eventsOf('invoice.booked', original.orderId)[0]!.correlationId).toBe(paid.id);
  });

  it('keeps orders of a shop that is not connected waiting, and books them with their own correlation id once it connects', async () => {
    const shop = await h.shop({}, { connect: false });
    const orders = [makeOrder(), makeOrder()];
    const webhooks = [await h.paid(shop, orders[0]!), await h.paid(shop, orders[1]!)];
    for (const o of orders) await h.waitFor(shop.shopId, o.orderId, 'waiting_for_connection');
    await sleep(500);
    expect((await h.state(shop)).drafts).toHaveLength(0);

    await h.connect(shop);
    for (const o of orders) await h.waitFor(shop.shopId, o.orderId, 'booked');
    await eventually(() => orders.every((o) => h.eventsOf('invoice.booked', o.orderId).length === 1));
    orders.forEach((o, i) => expect(h.eventsOf('invoice.booked', o.orderId)[0]!.correlationId).toBe(webhooks[i]!.id));

    // Disconnected again: new orders wait, and go out after the next connect.
    await h.disconnect(shop);
    const later = makeOrder();
    await h.paid(shop, later);
    await h.waitFor(shop.shopId, later.orderId, 'waiting_for_connection');
    await h.connect(shop);
    await h.waitFor(shop.shopId, later.orderId, 'booked');
  });

  it('re-evaluates waiting orders when the trigger setting changes', async () => {
    const shop = await h.shop({ transferTrigger: 'shipment' });
    const order = makeOrder();
    await h.paid(shop, order);
    await h.waitFor(shop.shopId, order.orderId, 'waiting_for_trigger');
    await h.setSettings(shop, { transferTrigger: 'payment' });
    await h.waitFor(shop.shopId, order.orderId, 'booked');
  });

  it('writes order.updated into the draft before booking, and ignores (but logs) it after booking', async () => {
    const shop = await h.shop({ bookingMode: 'draft' });
    const order = makeOrder();
    await h.paid(shop, order);
    const drafted = await h.waitFor(shop.shopId, order.orderId, 'drafted');

    const changed = { ...order, lines: [...order.lines, { sku: 'VARE-1', description: 'Ekstra kaffe', quantity: 1, unitNetPrice: 100, vatRate: 25 }] };
    await h.updated(shop, changed);
    await eventually(() => h.eventsOf('invoice.drafted', order.orderId).length === 2);
    const again = await h.waitFor(shop.shopId, order.orderId, 'drafted');
    expect(again.draftInvoiceNumber).toBe(drafted.draftInvoiceNumber);
    const { drafts } = await h.documents(shop, ref(shop, order.orderId));
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.lines.map((l) => l.description)).toEqual(['Kaffe', 'Kop', 'Ekstra kaffe']);
    expect(h.eventsOf('invoice.drafted', order.orderId)[1]!.data).toMatchObject({ draftInvoiceNumber: drafted.draftInvoiceNumber, netAmount: 336, grossAmount: 420 });

    // Switching to booking and retrying books that same draft.
    await h.setSettings(shop, { bookingMode: 'book' });
    await h.rpc.request<TransferView>(RpcSubjects.InvoicingTransferRetry, { shopId: shop.shopId, orderId: order.orderId, correlationId: 'admin' });
    const booked = await h.waitFor(shop.shopId, order.orderId, 'booked');

    await h.updated(shop, { ...changed, lines: changed.lines.slice(0, 1) });
    const noted = await h.waitFor(shop.shopId, order.orderId, 'booked', 10_000, (t) => t.lastError !== null);
    expect(noted.lastError).toEqual({ code: 'update_ignored_already_booked', message: expect.stringMatching(new RegExp(`^update ignored: already booked as #${booked.bookedInvoiceNumber}`)) });
    const docs = await h.documents(shop, ref(shop, order.orderId));
    expect(docs.booked).toHaveLength(1);
    expect(docs.booked[0]!.lines).toHaveLength(3);
    expect(docs.drafts).toHaveLength(0);
    expect(h.eventsOf('invoice.booked', order.orderId)).toHaveLength(1);
  });

  it('waits for a new connection when e-conomic rejects the grant (401), then resumes', async () => {
    const shop = await h.shop();
    expect((await h.control(shop, 'DELETE', `grants/${encodeURIComponent(shop.grantToken)}`)).status).toBe(204);
    const order = makeOrder();
    await h.paid(shop, order);
    const waiting = await h.waitFor(shop.shopId, order.orderId, 'waiting_for_connection');
    expect(waiting.lastError).toEqual({ code: 'economic_grant_rejected', message: expect.stringMatching(/^e-conomic rejected the shop's grant token \(401.*connect the shop to e-conomic again/) });

    const res = await h.control(shop, 'POST', 'grants', { agreementNumber: shop.agreementNumber });
    shop.grantToken = ((await res.json()) as { grantToken: string }).grantToken;
    await h.connect(shop);
    const booked = await h.waitFor(shop.shopId, order.orderId, 'booked');
    expect(booked.lastError).toBeNull();
    expect((await h.documents(shop, ref(shop, order.orderId))).booked).toHaveLength(1);
  });
});
