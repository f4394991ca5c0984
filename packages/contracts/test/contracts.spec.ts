import {
  ALL_SUBJECTS, DEFAULT_SETTINGS, PAYLOADS, RpcSubjects, STREAMS, ShopWebhookBody, SHOP_WEBHOOK_TYPES, Subjects, createEnvelope,
  shopSubjectFor, streamFor, streamsFor, subjectMatches, validateEnvelope, validateEventData, validatePayload, withDefaults,
  Settings, vatRegionForCountry,
} from '../src';

const order = () => ({
  orderId: 'A-1001',
  orderNumber: 1001,
  currency: 'DKK',
  date: '2026-12-01',
  customer: { id: 'c-1', name: 'Jens Hansen', email: 'jens@example.dk', country: 'DK' },
  lines: [{ sku: 'MUG-1', description: 'Mug', quantity: 2, unitNetPrice: 80, vatRate: 25 }],
});

describe('subjects and streams', () => {
  it('has a payload class for every subject and no class for an unknown one', () => {
    expect(Object.keys(PAYLOADS).sort()).toEqual([...ALL_SUBJECTS].sort());
  });

  it('puts every subject under exactly one stream', () => {
    for (const subject of ALL_SUBJECTS) expect([subject, streamsFor(subject).length]).toEqual([subject, 1]);
  });

  it('keeps request/reply subjects out of every stream', () => {
    for (const subject of Object.values(RpcSubjects)) expect([subject, streamsFor(subject)]).toEqual([subject, []]);
  });

  it('gives the shop webhook types their contract subjects', () => {
    expect(SHOP_WEBHOOK_TYPES.map(shopSubjectFor)).toEqual([
      'shop.order.paid', 'shop.order.shipped', 'shop.order.updated', 'shop.order.refunded', 'shop.stock.snapshot',
    ]);
  });

  it('assigns streams to their producing services', () => {
    expect(streamFor(Subjects.InvoiceBooked).producer).toBe('invoicing');
    expect(streamFor(Subjects.ShopStockSnapshot).producer).toBe('gateway');
    expect(streamFor(Subjects.StockChanged).producer).toBe('inventory');
    expect(streamFor(Subjects.CustomerCreated).producer).toBe('customers');
    expect(new Set(STREAMS.map((s) => s.name)).size).toBe(STREAMS.length);
  });

  it('matches NATS wildcards like the server does', () => {
    expect(subjectMatches('shop.>', 'shop.order.paid')).toBe(true);
    expect(subjectMatches('shop.>', 'shop')).toBe(false);
    expect(subjectMatches('shop.*', 'shop.order.paid')).toBe(false);
    expect(subjectMatches('shop.*.paid', 'shop.order.paid')).toBe(true);
  });
});

describe('payload validation', () => {
  it('accepts the empty economic.disconnected payload', () => {
    expect(validateEventData(Subjects.EconomicDisconnected, {})).toMatchObject({ ok: true });
    expect(validateEnvelope(createEnvelope(Subjects.EconomicDisconnected, 'shop-1', {}, 'c-1'))).toMatchObject({ ok: true });
  });

  it('accepts a valid order.paid', () => {
    const result = validateEventData(Subjects.ShopOrderPaid, {
      order: order(),
      payment: { amount: 200, currency: 'DKK', paidAt: '2026-12-01T10:00:00Z' },
    });
    expect(result.ok).toBe(true);
  });

  it('names every invalid field by its path', () => {
    const bad = order() as any;
    bad.lines[0].quantity = -1;
    bad.lines[0].unitNetPrice = 10.123;
    bad.currency = 'XYZ';
    bad.customer.country = 'Denmark';
    bad.date = '2026-02-30';
    const result = validateEventData(Subjects.ShopOrderPaid, { order: bad, payment: { amount: 1, currency: 'DKK', paidAt: 'yesterday' } });
    expect(result.ok).toBe(false);
    const fields = !result.ok ? Object.fromEntries(result.errors.map((e) => [e.field, e.message])) : {};
    expect(fields['data.order.lines[0].quantity']).toMatch(/positive/);
    expect(fields['data.order.lines[0].unitNetPrice']).toMatch(/at most 2 decimals/);
    expect(fields['data.order.currency']).toMatch(/ISO 4217/);
    expect(fields['data.order.customer.country']).toMatch(/two-letter country code/);
    expect(fields['data.order.date']).toMatch(/YYYY-MM-DD/);
    expect(fields['data.payment.paidAt']).toMatch(/ISO 8601/);
  });

  it('rejects missing nested objects and non-objects', () => {
    const result = validateEventData(Subjects.ShopOrderShipped, { shippedAt: '2026-12-01T10:00:00Z' });
    expect(!result.ok && result.errors.map((e) => e.field)).toContain('data.order');
    const notObject = validateEventData(Subjects.ShopOrderShipped, 'nope');
    expect(!notObject.ok && notObject.errors[0]!.message).toMatch(/must be a JSON object/);
  });

  it('rejects an order without lines', () => {
    const result = validateEventData(Subjects.ShopOrderUpdated, { order: { ...order(), lines: [] } });
    expect(!result.ok && result.errors).toEqual([{ field: 'data.order.lines', message: 'data.order.lines must contain at least one line' }]);
  });

  it('validates the webhook body shape', () => {
    const result = validatePayload(ShopWebhookBody, { type: 'order.lost', timestamp: 'now', data: [] });
    const fields = !result.ok ? result.errors.map((e) => e.field).sort() : [];
    expect(fields).toEqual(['data', 'timestamp', 'type']);
  });

  it('validates whole envelopes read off the bus', () => {
    const good = createEnvelope(Subjects.InvoiceBooked, 'shop-1', {
      orderId: 'A-1', draftInvoiceNumber: 1, bookedInvoiceNumber: 7, customerNumber: 100000, netAmount: 80, vatAmount: 20,
      grossAmount: 100, currency: 'DKK', date: '2026-12-01', sentByEan: false,
    }, 'corr-1');
    expect(validateEnvelope(good).ok).toBe(true);
    const bad = validateEnvelope({ ...good, type: 'invoice.lost', correlationId: '' });
    expect(!bad.ok && bad.errors.map((e) => e.field).sort()).toEqual(['correlationId', 'type']);
  });

  it('refuses to create an envelope without a correlation id', () => {
    expect(() => createEnvelope(Subjects.EconomicDisconnected, 's', {}, '')).toThrow(/correlationId/);
  });
});

describe('settings', () => {
  it('has the contract defaults and they validate', () => {
    expect(DEFAULT_SETTINGS.customerGroupNumber).toBe(1337);
    expect(DEFAULT_SETTINGS.vatZones).toEqual({ domestic: 1, eu: 2, abroad: 3 });
    expect(validatePayload(Settings, withDefaults({})).ok).toBe(true);
  });

  it('requires totalLineProducts for the total layout and the payment accounts for postPayments', () => {
    const result = validatePayload(Settings, withDefaults({ productLayout: 'total', postPayments: true }));
    const fields = !result.ok ? Object.fromEntries(result.errors.map((e) => [e.field, e.message])) : {};
    expect(fields.totalLineProducts).toMatch(/required when productLayout is "total"/);
    expect(fields.paymentJournalNumber).toMatch(/required when postPayments/);
    expect(fields.postingAccountNumber).toMatch(/suspense account/);
  });

  it('rejects a bad totalLineProducts map and a too short sync interval', () => {
    const result = validatePayload(Settings, withDefaults({ productLayout: 'total', totalLineProducts: { abc: 'X' }, stockSyncIntervalSeconds: 5 }));
    const fields = !result.ok ? result.errors.map((e) => e.field).sort() : [];
    expect(fields).toEqual(['stockSyncIntervalSeconds', 'totalLineProducts']);
  });

  it('fills missing fields with defaults without sharing nested objects', () => {
    const a = withDefaults({ bookingMode: 'draft' });
    a.vatZones.domestic = 9;
    expect(withDefaults({}).vatZones.domestic).toBe(1);
    expect(a.bookingMode).toBe('draft');
  });
});

describe('vat regions', () => {
  it('maps Denmark, the EU and the rest of the world', () => {
    expect(vatRegionForCountry('DK')).toBe('domestic');
    expect(vatRegionForCountry('de')).toBe('eu');
    expect(vatRegionForCountry('NO')).toBe('abroad');
  });
});
