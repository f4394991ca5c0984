import { eventually, sleep } from '@bogholder/testing';
import { grossOf, Harness, makeOrder, TestShop } from './support/harness';

const ref = (shop: TestShop, orderId: string) => `bogholder:${shop.shopId}:${orderId}`;
const payments = { postPayments: true, paymentJournalNumber: 2, postingAccountNumber: 5830 } as const;

describe('refunds become credit notes, payments become vouchers', () => {
  const h = new Harness();

  beforeAll(async () => {
    await h.start();
  });

  afterAll(async () => {
    await h.stop();
  });

  it('books a credit note per refund with the refunded quantities negated, once', async () => {
    const shop = await h.shop();
    const order = makeOrder();
    await h.paid(shop, order);
    const invoice = await h.waitFor(shop.shopId, order.orderId, 'booked');

    const refundLine = { ...order.lines[0]!, quantity: 1 };
    const first = await h.refunded(shop, order.orderId, 'R-1', [refundLine]);
    const again = await h.publish(first.type, shop.shopId, first.data, { webhookId: `wh_again_${first.id}` }); // re-sent by the shop
    const t = await h.waitFor(shop.shopId, order.orderId, 'booked', 15_000, (x) => x.creditNotes[0]?.status === 'booked');
    expect(t.creditNotes).toEqual([{ refundId: 'R-1', status: 'booked', bookedInvoiceNumber: expect.any(Number), draftInvoiceNumber: expect.any(Number), lastError: null }]);

    const { booked, drafts } = await h.documents(shop, `${ref(shop, order.orderId)}:refund:R-1`);
    expect(drafts).toHaveLength(0);
    expect(booked).toHaveLength(1);
    const note = booked[0]!;
    expect(note.customer.customerNumber).toBe(invoice.customerNumber);
    expect(note.notes).toEqual({ heading: `Order #${order.orderNumber}`, textLine1: `Credit note for invoice ${invoice.bookedInvoiceNumber} (refund R-1)` });
    expect(note.lines.map((l) => [l.product?.productNumber, l.quantity, l.unitNetPrice])).toEqual([['VARE-1', -1, 100]]);
    expect(note.grossAmount).toBe(-125);

    await eventually(() => h.eventsOf('creditnote.booked', order.orderId).length > 0);
    await sleep(500);
    expect(h.eventsOf('creditnote.booked', order.orderId).map((e) => e.data)).toEqual([
      { orderId: order.orderId, refundId: 'R-1', bookedInvoiceNumber: t.creditNotes[0]!.bookedInvoiceNumber, grossAmount: -125, currency: 'DKK' },
    ]);
    // Either delivery of the refund may be the one recorded (they are handled side by side).
    expect([first.id, again.id]).toContain(h.eventsOf('creditnote.booked', order.orderId)[0]!.correlationId);
    // The invoice itself is untouched.
    expect((await h.documents(shop, ref(shop, order.orderId))).booked).toHaveLength(1);
  });

  it('holds a refund that arrives before its invoice, and credits it after the invoice is booked', async () => {
    const shop = await h.shop({ transferTrigger: 'shipment' });
    const order = makeOrder();
    await h.paid(shop, order);
    await h.refunded(shop, order.orderId, 'R-early', [{ ...order.lines[1]! }]);
    await h.waitFor(shop.shopId, order.orderId, 'waiting_for_trigger', 10_000, (t) => t.creditNotes[0]?.status === 'waiting_for_invoice');
    await h.shipped(shop, order);
    const t = await h.waitFor(shop.shopId, order.orderId, 'booked', 15_000, (x) => x.creditNotes[0]?.status === 'booked');
    const [note] = (await h.documents(shop, `${ref(shop, order.orderId)}:refund:R-early`)).booked;
    expect(note!.lines.map((l) => [l.product?.productNumber, l.quantity, l.discountPercentage])).toEqual([['VARE-2', -1, 10]]);
    expect(note!.bookedInvoiceNumber).toBeGreaterThan(t.bookedInvoiceNumber!);
  });

  it('leaves credit notes as drafts in draft mode', async () => {
    const shop = await h.shop({ bookingMode: 'draft' });
    const order = makeOrder();
    await h.paid(shop, order);
    await h.waitFor(shop.shopId, order.orderId, 'drafted');
    await h.refunded(shop, order.orderId, 'R-d', [{ ...order.lines[0]!, quantity: 2 }]);
    await h.waitFor(shop.shopId, order.orderId, 'drafted', 15_000, (x) => x.creditNotes[0]?.status === 'drafted');
    const docs = await h.documents(shop, `${ref(shop, order.orderId)}:refund:R-d`);
    expect(docs.booked).toHaveLength(0);
    expect(docs.drafts[0]!.lines.map((l) => l.quantity)).toEqual([-2]);
  });

  it('posts each payment once as a customer payment voucher that settles the invoice, and announces payment.posted', async () => {
    const shop = await h.shop(payments);
    const order = makeOrder();
    const paid = await h.paid(shop, order, { id: 'pay-A', amount: 200 });
    const resent = await h.paid(shop, order, { id: 'pay-A', amount: 200 }); // re-sent
    const t = await h.waitFor(shop.shopId, order.orderId, 'booked', 15_000, (x) => x.payments.every((p) => p.status === 'posted'));
    // A second payment for the rest, after booking.
    await h.paid(shop, order, { id: 'pay-B', amount: 95 });
    const after = await h.waitFor(shop.shopId, order.orderId, 'booked', 15_000, (x) => x.payments.length === 2 && x.payments.every((p) => p.status === 'posted'));
    expect(after.payments.map((p) => [p.paymentId, p.amount, p.status])).toEqual([['pay-A', 200, 'posted'], ['pay-B', 95, 'posted']]);

    const state = await h.state(shop);
    const entries = state.vouchers.filter((v) => v.journal.journalNumber === 2).flatMap((v) => v.entries.customerPayments);
    expect(entries.map((e) => [e.amount, e.text, e.customerInvoice, e.contraAccount?.accountNumber])).toEqual([
      [-200, `${ref(shop, order.orderId)}:payment:pay-A`, t.bookedInvoiceNumber, 5830],
      [-95, `${ref(shop, order.orderId)}:payment:pay-B`, t.bookedInvoiceNumber, 5830],
    ]);
    expect(state.booked.find((b) => b.bookedInvoiceNumber === t.bookedInvoiceNumber)!.remainder).toBe(0);
    expect(grossOf(order)).toBe(295);

    await eventually(() => h.eventsOf('payment.posted', order.orderId).length === 2);
    const [a] = h.eventsOf('payment.posted', order.orderId);
    expect(a!.data).toEqual({ orderId: order.orderId, voucherNumber: after.payments[0]!.voucherNumber, amount: 200, currency: 'DKK', contraAccountNumber: 5830 });
    // Both deliveries are handled side by side: whichever started the transfer is the correlation id.
    expect([paid.id, resent.id]).toContain(a!.correlationId);
  });

  it('records payments as skipped without postPayments', async () => {
    const shop = await h.shop();
    const order = makeOrder();
    await h.paid(shop, order, { id: 'pay-1' });
    const t = await h.waitFor(shop.shopId, order.orderId, 'booked');
    expect(t.payments).toEqual([{ paymentId: 'pay-1', status: 'skipped', voucherNumber: null, amount: 295, lastError: null }]);
    expect((await h.state(shop)).vouchers).toHaveLength(0);
    expect(h.eventsOf('payment.posted', order.orderId)).toHaveLength(0);
  });

  it('posts a payment once even when e-conomic commits the voucher and the answer is lost', async () => {
    const shop = await h.shop(payments);
    const order = makeOrder();
    expect((await h.control(shop, 'PUT', 'faults', { kinds: ['drop-after-commit'], match: { method: 'POST', path: '/journals' }, count: 1 })).ok).toBe(true);
    await h.paid(shop, order, { id: 'pay-X' });
    const t = await h.waitFor(shop.shopId, order.orderId, 'booked', 20_000, (x) => x.payments[0]?.status === 'posted');
    const entries = (await h.state(shop)).vouchers.flatMap((v) => v.entries.customerPayments);
    expect(entries).toHaveLength(1);
    expect(t.payments[0]!.voucherNumber).toEqual(expect.any(Number));
    // The lost answer was resolved by finding the entry by its text, not by posting again.
    const calls = (await h.requests(shop)).filter((r) => r.path.startsWith('/journals/2/'));
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /journals/2/vouchers', 'GET /journals/2/entries']);
    await eventually(() => h.eventsOf('payment.posted', order.orderId).length === 1);
  });
});
