import { RpcSubjects, Subjects } from '@bogholder/contracts';
import { eventually } from '@bogholder/testing';
import { grossOf, Harness, makeOrder, TestShop } from './support/harness';

const ref = (shop: TestShop, orderId: string) => `bogholder:${shop.shopId}:${orderId}`;
const year = new Date().getUTCFullYear();

describe('what goes on the invoice, and every reason to park it', () => {
  const h = new Harness();

  beforeAll(async () => {
    await h.start();
  });

  afterAll(async () => {
    await h.stop();
  });

  const retry = (shop: TestShop, orderId: string) => h.rpc.request(RpcSubjects.InvoicingTransferRetry, { shopId: shop.shopId, orderId, correlationId: 'admin' });

  it('adds a shipping line with shippingProductNumber, and parks shipping without it', async () => {
    const shop = await h.shop({ shippingProductNumber: 'FRAGT' });
    const order = makeOrder({ shipping: { description: 'GLS pakkeshop', amount: 39, vatRate: 25 } });
    await h.paid(shop, order);
    await h.waitFor(shop.shopId, order.orderId, 'booked');
    const [invoice] = (await h.documents(shop, ref(shop, order.orderId))).booked;
    expect(invoice!.lines.at(-1)).toMatchObject({ product: { productNumber: 'FRAGT' }, description: 'GLS pakkeshop', quantity: 1, unitNetPrice: 39 });
    expect(invoice!.grossAmount).toBe(grossOf(order));

    const noSetting = await h.shop({});
    const other = makeOrder({ shipping: { description: 'GLS', amount: 39, vatRate: 25 } });
    await h.paid(noSetting, other);
    const parked = await h.waitFor(noSetting.shopId, other.orderId, 'parked');
    expect(parked.lastError).toEqual({ code: 'shipping_product_missing', message: expect.stringMatching(/^the order has shipping \(39\.00 DKK\) but shippingProductNumber is not set: set it in the settings/) });
  });

  it('writes one line per VAT rate with productLayout total, and parks a rate without a total-line product', async () => {
    const shop = await h.shop({ productLayout: 'total', totalLineProducts: { '25': 'SALG25', '0': 'SALG0' } }, { products: [] });
    await h.createProduct(shop.economic, 'SALG25', 1);
    await h.createProduct(shop.economic, 'SALG0', 2);
    const order = makeOrder({
      lines: [
        { sku: 'NOT-IN-ECONOMIC', description: 'Kaffe', quantity: 3, unitNetPrice: 33.33, discountPercentage: 10, vatRate: 25 },
        { sku: 'ALSO-NOT', description: 'Bog', quantity: 2, unitNetPrice: 100, vatRate: 0 },
      ],
      shipping: { description: 'Fragt', amount: 40, vatRate: 25 },
    });
    await h.paid(shop, order);
    await h.waitFor(shop.shopId, order.orderId, 'booked');
    const [invoice] = (await h.documents(shop, ref(shop, order.orderId))).booked;
    expect(invoice!.lines.map((l) => [l.product?.productNumber, l.quantity, l.unitNetPrice])).toEqual([['SALG25', 1, 129.99], ['SALG0', 1, 200]]);
    expect(invoice!.grossAmount).toBe(grossOf(order));

    const twelve = makeOrder({ lines: [{ sku: 'X', description: 'Mad', quantity: 1, unitNetPrice: 50, vatRate: 12 }] });
    await h.paid(shop, twelve);
    const parked = await h.waitFor(shop.shopId, twelve.orderId, 'parked');
    expect(parked.lastError!.code).toBe('total_line_product_missing');
    expect(parked.lastError!.message).toMatch(/12% VAT but totalLineProducts has no product for "12"/);
  });

  it('puts accrual on lines that carry a period when accrual is on', async () => {
    const shop = await h.shop({ accrual: true });
    const order = makeOrder({
      lines: [
        { sku: 'VARE-1', description: 'Abonnement', quantity: 1, unitNetPrice: 300, vatRate: 25, period: { start: `${year}-01-01`, end: `${year}-03-31` } },
        { sku: 'VARE-2', description: 'Kop', quantity: 1, unitNetPrice: 40, vatRate: 25 },
      ],
    });
    await h.paid(shop, order);
    await h.waitFor(shop.shopId, order.orderId, 'booked');
    const [invoice] = (await h.documents(shop, ref(shop, order.orderId))).booked;
    expect(invoice!.lines.map((l) => l.accrual ?? null)).toEqual([{ startDate: `${year}-01-01`, endDate: `${year}-03-31` }, null]);
  });

  it('sends EAN invoices with the reference contact, and parks each missing precondition with a precise message', async () => {
    const shop = await h.shop({ eanInvoicing: true });
    const ean = { ean: '5798000363007', eanContactName: 'Indkøb, Aarhus Kommune' };
    const order = makeOrder();
    order.customer = { ...order.customer, ...ean };
    await h.paid(shop, order);
    await h.waitFor(shop.shopId, order.orderId, 'booked');
    const [invoice] = (await h.documents(shop, ref(shop, order.orderId))).booked;
    expect(invoice!.sentBy).toBe('ean');
    expect(invoice!.recipient.ean).toBe('5798000363007');
    expect(invoice!.references?.customerContact?.customerContactNumber).toEqual(expect.any(Number));
    await eventually(() => h.eventsOf('invoice.booked', order.orderId).length > 0);
    expect(h.eventsOf('invoice.booked', order.orderId)[0]!.data.sentByEan).toBe(true);

    const badGln = makeOrder();
    badGln.customer = { ...badGln.customer, ean: '5798000363008', eanContactName: 'Indkøb' };
    await h.paid(shop, badGln);
    expect((await h.waitFor(shop.shopId, badGln.orderId, 'parked')).lastError).toEqual({
      code: 'ean_invalid', message: expect.stringMatching(/EAN 5798000363008 is not a valid GLN location number \(its check digit should be 7\)/),
    });

    const noContact = makeOrder();
    noContact.customer = { ...noContact.customer, ean: '5798000363007' };
    await h.paid(shop, noContact);
    expect((await h.waitFor(shop.shopId, noContact.orderId, 'parked')).lastError).toEqual({
      code: 'ean_reference_contact_missing', message: expect.stringMatching(/^Reference contact must be provided/),
    });

    // The agreement cannot send e-invoices: park, fix it in e-conomic, retry.
    const otherShop = await h.shop({ eanInvoicing: true });
    expect((await h.control(otherShop, 'PATCH', 'agreement', { canSendElectronicInvoice: false })).ok).toBe(true);
    const blocked = makeOrder();
    blocked.customer = { ...blocked.customer, ...ean };
    await h.paid(otherShop, blocked);
    const parked = await h.waitFor(otherShop.shopId, blocked.orderId, 'parked');
    expect(parked.lastError).toEqual({ code: 'ean_settings_required', message: expect.stringMatching(/^EAN settings is required: .*set up electronic invoicing \(NemHandel\) in e-conomic/i) });
    expect(parked.draftInvoiceNumber).toBeNull();
    await h.control(otherShop, 'PATCH', 'agreement', { canSendElectronicInvoice: true });
    await retry(otherShop, blocked.orderId);
    const booked = await h.waitFor(otherShop.shopId, blocked.orderId, 'booked');
    expect(booked.attempts).toBe(2);
    expect((await h.documents(otherShop, ref(otherShop, blocked.orderId))).booked[0]!.sentBy).toBe('ean');
  });

  it('parks an order whose SKUs are not e-conomic products, naming every one, and books it after they are created', async () => {
    const shop = await h.shop();
    const order = makeOrder({
      lines: [
        { sku: 'VARE-1', description: 'Kaffe', quantity: 1, unitNetPrice: 100, vatRate: 25 },
        { sku: 'NY-VARE-A', description: 'Te', quantity: 1, unitNetPrice: 50, vatRate: 25 },
        { sku: 'NY-VARE-B', description: 'Kande', quantity: 1, unitNetPrice: 250, vatRate: 25 },
      ],
    });
    await h.paid(shop, order);
    const parked = await h.waitFor(shop.shopId, order.orderId, 'parked');
    expect(parked.lastError).toEqual({
      code: 'products_missing',
      message: 'SKUs "NY-VARE-A", "NY-VARE-B" do not exist as products in e-conomic: create them in e-conomic under Sales → Products with exactly these product numbers (varenummer). Then retry the transfer.',
    });
    expect(parked.draftInvoiceNumber).toBeNull();
    await eventually(() => h.eventsOf('invoice.failed', order.orderId).length > 0);
    expect(h.eventsOf('invoice.failed', order.orderId)).toEqual([expect.objectContaining({ data: { orderId: order.orderId, code: 'products_missing', message: parked.lastError!.message, retryable: false } })]);

    await h.createProduct(shop.economic, 'NY-VARE-A');
    await h.createProduct(shop.economic, 'NY-VARE-B');
    await retry(shop, order.orderId);
    await h.waitFor(shop.shopId, order.orderId, 'booked');
    expect((await h.documents(shop, ref(shop, order.orderId))).booked).toHaveLength(1);

    const long = makeOrder({ lines: [{ sku: 'THIS-SKU-IS-FAR-TOO-LONG-FOR-ECONOMIC', description: 'x', quantity: 1, unitNetPrice: 1, vatRate: 25 }] });
    await h.paid(shop, long);
    expect((await h.waitFor(shop.shopId, long.orderId, 'parked')).lastError).toEqual({
      code: 'sku_too_long', message: expect.stringMatching(/^SKU "THIS-SKU-IS-FAR-TOO-LONG-FOR-ECONOMIC" \(37 characters\) is longer than the 25 characters e-conomic allows/),
    });
  });

  it('retries in bulk what one cause parked, after it is fixed, and leaves the rest parked', async () => {
    const shop = await h.shop();
    const line = (sku: string) => [{ sku, description: 'x', quantity: 1, unitNetPrice: 10, vatRate: 25 as const }];
    const [a, b, other] = [makeOrder({ lines: line('BULK-NEW') }), makeOrder({ lines: line('BULK-NEW') }), makeOrder({ lines: line('BULK-SKU-FAR-TOO-LONG-FOR-ECONOMIC') })];
    for (const o of [a, b, other]) await h.paid(shop, o);
    for (const o of [a, b, other]) await h.waitFor(shop.shopId, o.orderId, 'parked');
    const retryMany = (body: Record<string, unknown>) => h.rpc.request<{ retried: number; orderIds: string[]; more: boolean }>(RpcSubjects.InvoicingTransfersRetryMany, { shopId: shop.shopId, correlationId: 'admin-bulk', ...body });

    await expect(retryMany({ statuses: ['booked'] })).rejects.toMatchObject({ code: 'invalid_request', status: 400, message: 'status must be parked or failed, not "booked"' });
    await expect(retryMany({ code: 'Products Missing!' })).rejects.toMatchObject({ code: 'invalid_request', status: 400 });

    await h.createProduct(shop.economic, 'BULK-NEW');
    const reply = await retryMany({ code: 'products_missing' });
    expect(reply).toEqual({ retried: 2, orderIds: expect.arrayContaining([a.orderId, b.orderId]), more: false });
    for (const o of [a, b]) await h.waitFor(shop.shopId, o.orderId, 'booked');
    const still = await h.waitFor(shop.shopId, other.orderId, 'parked');
    expect(still.lastError?.code).toBe('sku_too_long');
    // Nothing parked for that cause any more: a second bulk retry finds nothing.
    expect(await retryMany({ code: 'products_missing' })).toEqual({ retried: 0, orderIds: [], more: false });
  });

  it('translates e-conomic\'s refusal of a setting into what to fix', async () => {
    const shop = await h.shop({ layoutNumber: 999 });
    const order = makeOrder();
    await h.paid(shop, order);
    const parked = await h.waitFor(shop.shopId, order.orderId, 'parked');
    expect(parked.lastError).toEqual({ code: 'economic_rejected', message: expect.stringMatching(/^layout 999 does not exist in e-conomic .*set layoutNumber in the settings to an existing layout/) });
    expect((await h.state(shop)).drafts).toHaveLength(0);
  });

  it('keeps the draft and parks with both totals when e-conomic\'s gross differs; booking the draft by hand is noticed', async () => {
    const shop = await h.shop({}, { products: ['VARE-1', 'VARE-2'] });
    await h.createProduct(shop.economic, 'MOMSFRI', 2); // e-conomic books it without VAT, the shop says 25%
    const order = makeOrder({ lines: [{ sku: 'MOMSFRI', description: 'Bog', quantity: 2, unitNetPrice: 100, vatRate: 25 }] });
    await h.paid(shop, order);
    const parked = await h.waitFor(shop.shopId, order.orderId, 'parked');
    expect(parked.lastError!.code).toBe('totals_mismatch');
    expect(parked.lastError!.message).toMatch(/^e-conomic computed a gross total of 200\.00 DKK for draft #\d+, but the shop's total is 250\.00 DKK \(difference 50\.00, allowed 0\.01 for 1 line\)\. The draft is kept/);
    const { drafts, booked } = await h.documents(shop, ref(shop, order.orderId));
    expect(booked).toHaveLength(0);
    expect(drafts.map((d) => d.draftInvoiceNumber)).toEqual([parked.draftInvoiceNumber]);

    // A bookkeeper books the draft by hand; e-conomic's invoice webhook reaches us through the gateway.
    const manual = await shop.economic.invoices.booked.book({ draftInvoiceNumber: parked.draftInvoiceNumber! });
    await h.publish(Subjects.EconomicWebhookReceived, shop.shopId, { kind: 'invoice', number: String(manual.bookedInvoiceNumber) });
    const t = await h.waitFor(shop.shopId, order.orderId, 'booked');
    expect(t.bookedInvoiceNumber).toBe(manual.bookedInvoiceNumber);
    await eventually(() => h.eventsOf('invoice.booked', order.orderId).length > 0);
    expect(h.eventsOf('invoice.booked', order.orderId)[0]!.data).toMatchObject({ bookedInvoiceNumber: manual.bookedInvoiceNumber, grossAmount: 200 });
    // The same webhook again (e-conomic retries): nothing new.
    const again = await h.publish(Subjects.EconomicWebhookReceived, shop.shopId, { kind: 'invoice', number: String(manual.bookedInvoiceNumber) });
    await h.handled('invoicing-economic-webhook-received', again.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.eventsOf('invoice.booked', order.orderId)).toHaveLength(1);
  });
});
