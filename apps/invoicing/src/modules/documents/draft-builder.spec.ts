import { Order, withDefaults } from '@bogholder/contracts';
import { buildCreditNoteDraft, buildInvoiceDraft, glnCheckDigit, isValidGln, paymentText, round2, shopTotals } from './draft-builder';
import { missingProductsError, referencedProducts, staticProblems } from './preflight';

const order: Order = {
  orderId: 'A-1',
  orderNumber: 1001,
  currency: 'DKK',
  date: '2026-03-01',
  customer: { name: 'Jens Hansen', address: 'Vestergade 1', zip: '8000', city: 'Aarhus', country: 'DK', ean: '5798000363007', eanContactName: 'Indkøb' },
  lines: [
    { sku: 'A', description: 'Kaffe', quantity: 3, unitNetPrice: 33.33, discountPercentage: 10, vatRate: 25 },
    { sku: 'B', description: 'Abonnement', quantity: 1, unitNetPrice: 120, vatRate: 25, period: { start: '2026-03-01', end: '2026-05-31' } },
    { sku: 'C', description: 'Bog', quantity: 1, unitNetPrice: 200, vatRate: 0 },
  ],
  shipping: { description: 'GLS', amount: 39, vatRate: 25 },
};

const params = { shopId: 'shop-1', order, customerNumber: 100001, contactNumber: 7, layoutNumber: 19, paymentTermsNumber: 1 };

describe('invoice draft body', () => {
  it('ties the draft to its order and carries one line per order line plus shipping (productLayout lines)', () => {
    const body = buildInvoiceDraft({ ...params, settings: withDefaults({ shippingProductNumber: 'FRAGT' }) });
    expect(body).toMatchObject({
      date: '2026-03-01',
      currency: 'DKK',
      customer: { customerNumber: 100001 },
      layout: { layoutNumber: 19 },
      paymentTerms: { paymentTermsNumber: 1 },
      references: { other: 'bogholder:shop-1:A-1' },
      notes: { heading: 'Order #1001' },
      recipient: { name: 'Jens Hansen', address: 'Vestergade 1', zip: '8000', city: 'Aarhus', country: 'Denmark', vatZone: { vatZoneNumber: 1 } },
    });
    expect(body.references?.customerContact).toBeUndefined();
    expect(body.recipient.ean).toBeUndefined();
    expect(body.lines).toEqual([
      { product: { productNumber: 'A' }, description: 'Kaffe', quantity: 3, unitNetPrice: 33.33, discountPercentage: 10 },
      { product: { productNumber: 'B' }, description: 'Abonnement', quantity: 1, unitNetPrice: 120 },
      { product: { productNumber: 'C' }, description: 'Bog', quantity: 1, unitNetPrice: 200 },
      { product: { productNumber: 'FRAGT' }, description: 'GLS', quantity: 1, unitNetPrice: 39 },
    ]);
  });

  it('puts accrual on lines with a period only when accrual is on', () => {
    const body = buildInvoiceDraft({ ...params, settings: withDefaults({ shippingProductNumber: 'FRAGT', accrual: true }) });
    expect(body.lines![1]!.accrual).toEqual({ startDate: '2026-03-01', endDate: '2026-05-31' });
    expect(body.lines!.filter((l) => l.accrual)).toHaveLength(1);
  });

  it('sums net per VAT rate, shipping included, with productLayout total', () => {
    const settings = withDefaults({ productLayout: 'total', totalLineProducts: { '25': 'SALG25', '0': 'SALG0' } });
    const body = buildInvoiceDraft({ ...params, settings });
    // 25%: round2(3 × 33.33 × 0.9) = 89.99, + 120 + 39 shipping = 248.99; 0%: 200
    expect(body.lines).toEqual([
      { product: { productNumber: 'SALG25' }, description: 'Sales at 25% VAT (order #1001)', quantity: 1, unitNetPrice: 248.99 },
      { product: { productNumber: 'SALG0' }, description: 'Sales at 0% VAT (order #1001)', quantity: 1, unitNetPrice: 200 },
    ]);
  });

  it('keeps accrual periods apart in total lines', () => {
    const settings = withDefaults({ productLayout: 'total', totalLineProducts: { '25': 'SALG25', '0': 'SALG0' }, accrual: true });
    const lines = buildInvoiceDraft({ ...params, settings }).lines!;
    expect(lines.map((l) => [l.product?.productNumber, l.unitNetPrice, l.accrual?.startDate ?? null])).toEqual([
      ['SALG25', 128.99, null],
      ['SALG25', 120, '2026-03-01'],
      ['SALG0', 200, null],
    ]);
  });

  it('marks EAN invoices: recipient EAN and the reference contact', () => {
    const body = buildInvoiceDraft({ ...params, settings: withDefaults({ eanInvoicing: true, shippingProductNumber: 'FRAGT' }) });
    expect(body.recipient).toMatchObject({ ean: '5798000363007', nemHandelType: 'ean' });
    expect(body.references).toEqual({ other: 'bogholder:shop-1:A-1', customerContact: { customerContactNumber: 7 } });
  });

  it('chooses the VAT zone from the customer\'s country through the settings', () => {
    const settings = withDefaults({ vatZones: { domestic: 1, eu: 12, abroad: 13 }, shippingProductNumber: 'FRAGT' });
    expect(buildInvoiceDraft({ ...params, order: { ...order, customer: { ...order.customer, country: 'DE' } }, settings }).recipient.vatZone.vatZoneNumber).toBe(12);
    expect(buildInvoiceDraft({ ...params, order: { ...order, customer: { ...order.customer, country: 'US' } }, settings }).recipient.vatZone.vatZoneNumber).toBe(13);
  });
});

describe('credit note body', () => {
  it('negates the refunded quantities, keeps prices positive and references the refund', () => {
    const body = buildCreditNoteDraft({
      ...params,
      settings: withDefaults({}),
      refundId: 'R-9',
      lines: [{ sku: 'A', description: 'Kaffe', quantity: 1, unitNetPrice: 33.33, discountPercentage: 10, vatRate: 25 }],
      date: '2026-03-05',
      bookedInvoiceNumber: 42,
    });
    expect(body.references).toEqual({ other: 'bogholder:shop-1:A-1:refund:R-9' });
    expect(body.notes).toEqual({ heading: 'Order #1001', textLine1: 'Credit note for invoice 42 (refund R-9)' });
    expect(body.date).toBe('2026-03-05');
    expect(body.lines).toEqual([{ product: { productNumber: 'A' }, description: 'Kaffe', quantity: -1, unitNetPrice: 33.33, discountPercentage: 10 }]);
  });
});

describe('totals and numbers', () => {
  it('computes the shop gross the way the totals guard compares it', () => {
    // 89.99 × 1.25 + 120 × 1.25 + 200 + 39 × 1.25 = 511.2375 → 511.24
    expect(shopTotals(order.lines, order.shipping)).toEqual({ net: 448.99, gross: 511.24, lines: 4 });
    expect(round2(1.005)).toBe(1.01);
    expect(round2(-2.675)).toBe(-2.68);
  });

  it('validates GLN check digits (GS1 mod 10)', () => {
    expect(glnCheckDigit('5798000363007')).toBe(7);
    expect(isValidGln('5798000363007')).toBe(true);
    expect(isValidGln('5798000363008')).toBe(false);
    expect(glnCheckDigit('12345')).toBeNull();
  });

  it('keeps payment texts within e-conomic\'s 250 characters', () => {
    expect(paymentText('s', 'o', 'p1')).toBe('bogholder:s:o:payment:p1');
    const long = paymentText('s'.repeat(60), 'o'.repeat(100), 'p'.repeat(100));
    expect(long.length).toBeLessThanOrEqual(250);
    expect(long).toMatch(/:payment:#[0-9a-f]{16}$/);
  });
});

describe('pre-flight checks', () => {
  it('reports every problem at once, each with what to do', () => {
    const settings = withDefaults({ bookingMode: 'bookWithNumber', invoiceNumberOffset: 999_999_000, eanInvoicing: true });
    const bad: Order = {
      ...order,
      customer: { ...order.customer, ean: '5798000363008', eanContactName: undefined },
      lines: [...order.lines, { sku: 'X'.repeat(30), description: 'x', quantity: 1, unitNetPrice: 1, vatRate: 25 }],
    };
    const problems = staticProblems(bad, bad.lines, bad.shipping, settings, true);
    expect(problems.map((p) => p.code)).toEqual(['sku_too_long', 'shipping_product_missing', 'invoice_number_out_of_range', 'ean_invalid', 'ean_reference_contact_missing']);
    expect(problems[1]!.message).toMatch(/shippingProductNumber is not set/);
    expect(problems[2]!.message).toMatch(/1000000001/);
    expect(problems[3]!.message).toMatch(/check digit should be 7/);
    expect(problems[4]!.message).toMatch(/^Reference contact must be provided/);
  });

  it('names the VAT rates without a total-line product', () => {
    const settings = withDefaults({ productLayout: 'total', totalLineProducts: { '25': 'SALG25' } });
    const problems = staticProblems(order, order.lines, order.shipping, settings, false);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/0% VAT but totalLineProducts has no product for "0"/);
  });

  it('names every missing product and what it is for', () => {
    const roles = referencedProducts(order.lines, order.shipping, withDefaults({ shippingProductNumber: 'FRAGT' }));
    const err = missingProductsError(['A', 'C', 'FRAGT'], roles);
    expect(err.code).toBe('products_missing');
    expect(err.message).toMatch(/SKUs "A", "C" do not exist as products in e-conomic: create them in e-conomic under Sales → Products/);
    expect(err.message).toMatch(/shipping product "FRAGT"/);
  });
});
