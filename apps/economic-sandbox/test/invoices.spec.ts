import { type Api, customerBody, draftBody, productBody, useSandbox } from './support/sandbox';

const year = new Date().getUTCFullYear();

describe('draft and booked invoices', () => {
  const { sb, fresh } = useSandbox();

  async function setup(customer: Record<string, unknown> = {}): Promise<{ api: Api; customerNumber: number }> {
    const api = fresh();
    const c = await api.post('/customers', customerBody(customer));
    expect(c.status).toBe(201);
    await api.post('/products', productBody('VARE', { salesPrice: 70 }));
    await api.post('/products', productBody('FRI', { productGroup: { productGroupNumber: 2 } }));
    return { api, customerNumber: c.body.customerNumber };
  }

  describe('arithmetic', () => {
    it('rounds the line total: 1.23 × 1.12 → 1.38', async () => {
      const { api, customerNumber } = await setup();
      const res = await api.post('/invoices/drafts', draftBody(customerNumber, [{ description: 'x', quantity: 1.12, unitNetPrice: 1.23 }], { recipient: { name: 'EU', vatZone: { vatZoneNumber: 2 } } }));
      expect(res.status).toBe(201);
      expect(res.body.lines[0].totalNetAmount).toBe(1.38);
      expect(res.body.netAmount).toBe(1.38);
      expect(res.body.vatAmount).toBe(0);
      expect(res.body.grossAmount).toBe(1.38);
    });

    it('computes 25% Danish VAT: 70 net → 17.5 VAT → 87.5 gross, and expands terms and zone', async () => {
      const { api, customerNumber } = await setup();
      const res = await api.post('/invoices/drafts', draftBody(customerNumber, [{ product: { productNumber: 'VARE' }, quantity: 1, unitNetPrice: 70, description: 'Vare' }]));
      expect(res.body).toEqual(
        expect.objectContaining({
          netAmount: 70,
          vatAmount: 17.5,
          grossAmount: 87.5,
          netAmountInBaseCurrency: 70,
          grossAmountInBaseCurrency: 87.5,
          exchangeRate: 100,
          dueDate: `${year}-03-23`,
          paymentTerms: expect.objectContaining({ paymentTermsNumber: 1, daysOfCredit: 8, name: 'Netto 8 dage', paymentTermsType: 'net' }),
        }),
      );
      expect(res.body.recipient.vatZone).toEqual({ name: 'Domestic', vatZoneNumber: 1, enabledForCustomer: true, enabledForSupplier: true, self: `${sb().url}/vat-zones/1` });
      expect(res.body.lines[0].vatRate).toBeUndefined();
    });

    it('applies discounts, per-line VAT from the product group and zone, and VAT rounding per line', async () => {
      const { api, customerNumber } = await setup();
      const lines = [
        { product: { productNumber: 'VARE' }, quantity: 3, unitNetPrice: 9.99, discountPercentage: 10, description: 'discounted' },
        { product: { productNumber: 'FRI' }, quantity: 2, unitNetPrice: 50, description: 'no VAT group' },
        { description: 'text line with a price', quantity: 1, unitNetPrice: 0.1 },
      ];
      const dk = await api.post('/invoices/drafts', draftBody(customerNumber, lines));
      expect(dk.body.lines.map((l: any) => l.totalNetAmount)).toEqual([26.97, 100, 0.1]);
      expect(dk.body.netAmount).toBe(127.07);
      expect(dk.body.vatAmount).toBe(6.77); // 6.74 + 0 + 0.03 (rounded per line)
      expect(dk.body.grossAmount).toBe(133.84);
      const eu = await api.post('/invoices/drafts', draftBody(customerNumber, lines, { recipient: { name: 'EU', vatZone: { vatZoneNumber: 2 } } }));
      expect(eu.body.vatAmount).toBe(0);
      expect(eu.body.grossAmount).toBe(127.07);
    });

    it('defaults the price from the product and computes due dates from the terms', async () => {
      const { api, customerNumber } = await setup();
      const net = await api.post('/invoices/drafts', draftBody(customerNumber, [{ product: { productNumber: 'VARE' }, quantity: 2, description: 'x' }], { date: `${year}-01-31`, paymentTerms: { paymentTermsNumber: 5 } }));
      expect(net.body.lines[0].unitNetPrice).toBe(70);
      const jan31plus30 = new Date(Date.UTC(year, 0, 31 + 30)).toISOString().slice(0, 10);
      expect(net.body.dueDate).toBe(jan31plus30);
      const month = await api.post('/invoices/drafts', draftBody(customerNumber, [{ description: 'x', unitNetPrice: 1 }], { date: `${year}-01-10`, paymentTerms: { paymentTermsNumber: 4 } }));
      expect(month.body.dueDate).toBe(jan31plus30); // end of January + 30 days
      const cash = await api.post('/payment-terms', { name: 'Due', paymentTermsType: 'dueDate' });
      const noDue = await api.post('/invoices/drafts', draftBody(customerNumber, [], { paymentTerms: { paymentTermsNumber: cash.body.paymentTermsNumber } }));
      expect(noDue.body.errors.dueDate.errors[0].errorCode).toBe('E04000');
    });
  });

  describe('validation', () => {
    it('answers the documented codes for header and line errors', async () => {
      const { api, customerNumber } = await setup();
      const res = await api.post('/invoices/drafts', {
        ...draftBody(customerNumber, [
          { product: { productNumber: 'VARE' }, unitNetPrice: 10.12345, description: 'x' },
          { product: {}, quantity: 1, description: 'y' },
          { product: { productNumber: 'NOPE' }, quantity: 1, description: 'z' },
        ]),
        paymentTerms: { paymentTermsNumber: 4711 },
        customer: { customerNumber: 999 },
      });
      expect(res.status).toBe(400);
      expect(res.body.errorCode).toBe('E04300');
      expect(res.body.errors.paymentTerms.errors[0]).toEqual(expect.objectContaining({ errorCode: 'E07080', inputValue: 4711, developerHint: expect.stringContaining('/payment-terms') }));
      expect(res.body.errors.customer.errors[0].errorCode).toBe('E06000');
      const lines = res.body.errors.lines;
      expect(lines.map((l: any) => l.arrayIndex)).toEqual([0, 1, 2]);
      expect(lines[0].unitNetPrice.errors[0]).toEqual(expect.objectContaining({ errorCode: 'E04740', inputValue: 10.12345 }));
      expect(lines[0].quantity.errors[0].errorCode).toBe('E04730');
      expect(lines[1].product.errors[0].errorCode).toBe('E04500');
      expect(lines[2].product.errors[0].errorCode).toBe('E06000');
      expect(res.body.errorCount).toBe(6);
    });

    it('requires recipient name and VAT zone, and limits lengths', async () => {
      const { api, customerNumber } = await setup();
      const res = await api.post('/invoices/drafts', draftBody(customerNumber, [], { recipient: { ean: '12345678901234' }, notes: { heading: 'h'.repeat(251) }, references: { other: 'o'.repeat(251) } }));
      expect(res.body.errors.recipient.name.errors[0].errorCode).toBe('E04000');
      expect(res.body.errors.recipient.vatZone.errors[0].errorCode).toBe('E04000');
      expect(res.body.errors.recipient.ean.errors[0].errorCode).toBe('E04010');
      expect(res.body.errors.notes.heading.errors[0].errorCode).toBe('E04010');
      expect(res.body.errors.references.other.errors[0].errorCode).toBe('E04010');
      const none = await api.post('/invoices/drafts', {});
      expect(Object.keys(none.body.errors).sort()).toEqual(['currency', 'customer', 'date', 'layout', 'paymentTerms', 'recipient']);
    });

    it('validates accrual periods', async () => {
      const { api, customerNumber } = await setup();
      const line = (accrual: unknown) => ({ description: 'sub', quantity: 1, unitNetPrice: 100, accrual });
      const ok = await api.post('/invoices/drafts', draftBody(customerNumber, [line({ startDate: `${year}-01-01`, endDate: `${year}-12-31` })]));
      expect(ok.status).toBe(201);
      expect(ok.body.lines[0].accrual).toEqual({ startDate: `${year}-01-01`, endDate: `${year}-12-31` });
      const bad = await api.post('/invoices/drafts', draftBody(customerNumber, [line({ startDate: `${year + 5}-01-01`, endDate: `${year + 5}-02-01` }), line({ startDate: `${year}-02-01`, endDate: `${year}-01-01` }), line({ startDate: 'soon' })]));
      expect(bad.body.errors.lines[0].accrual.startDate.errors[0].errorCode).toBe('E06000');
      expect(bad.body.errors.lines[1].accrual.endDate.errors[0].errorCode).toBe('E04020');
      expect(bad.body.errors.lines[2].accrual.startDate.errors[0].errorCode).toBe('E04020');
      expect(bad.body.errors.lines[2].accrual.endDate.errors[0].errorCode).toBe('E04000');
    });
  });

  describe('draft lifecycle', () => {
    it('lists without lines, gets with lines, appends lines, replaces and deletes', async () => {
      const { api, customerNumber } = await setup();
      const created = await api.post('/invoices/drafts', draftBody(customerNumber, [{ description: 'a', quantity: 1, unitNetPrice: 10 }], { notes: { heading: 'Order #1' } }));
      const n = created.body.draftInvoiceNumber;
      expect(created.headers.get('location')).toBe(`${sb().url}/invoices/drafts/${n}`);
      expect((await api.get('/invoices/drafts')).body.collection[0].lines).toBeUndefined();
      expect((await api.get(`/invoices/drafts/${n}`)).body.lines).toHaveLength(1);

      const added = await api.post(`/invoices/drafts/${n}/lines`, { lines: [{ product: { productNumber: 'VARE' }, quantity: 2, description: 'b' }] });
      expect(added.status).toBe(201);
      expect(added.body.lines.map((l: any) => l.lineNumber)).toEqual([1, 2]);
      expect(added.body.netAmount).toBe(150);
      expect(added.body.grossAmount).toBe(187.5); // 10 + 2.50 VAT (no product: the zone's 25%) + 140 + 35 VAT
      expect((await api.post(`/invoices/drafts/${n}/lines`, { lines: [{ product: { productNumber: 'VARE' } }] })).body.errors.lines[0].quantity.errors[0].errorCode).toBe('E04730');

      const replaced = await api.put(`/invoices/drafts/${n}`, draftBody(customerNumber, [{ description: 'c', quantity: 1, unitNetPrice: 5 }]));
      expect(replaced.status).toBe(200);
      expect(replaced.body.notes).toBeUndefined();
      expect(replaced.body.lines).toHaveLength(1);
      expect(replaced.body.netAmount).toBe(5);

      const deleted = await api.delete(`/invoices/drafts/${n}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ message: 'Deleted invoice.', deletedCount: 1, deletedItems: [{ draftInvoiceNumber: n, self: `${sb().url}/invoices/drafts/${n}` }] });
      expect((await api.get(`/invoices/drafts/${n}`)).status).toBe(404);
    });
  });

  describe('bulk delete and booking instructions', () => {
    it('DELETE /invoices/drafts deletes the drafts matching the filter', async () => {
      const { api, customerNumber } = await setup();
      const line = { description: 'x', quantity: 1, unitNetPrice: 1 };
      for (const other of ['keep', 'drop-1', 'drop-2']) await api.post('/invoices/drafts', draftBody(customerNumber, [line], { references: { other } }));
      const res = await api.delete(`/invoices/drafts?filter=${encodeURIComponent('references.other$like:drop*')}`);
      expect(res.status).toBe(200);
      expect(res.body.message).toBe('Deleted 2 invoices.');
      expect(res.body.deletedItems.map((d: any) => d.draftInvoiceNumber)).toEqual([2, 3]);
      expect((await api.get('/invoices/drafts')).body.collection.map((d: any) => d.references.other)).toEqual(['keep']);
      const instructions = await api.get('/invoices/drafts/1/templates/booking-instructions');
      expect(instructions.body).toEqual({ draftInvoice: { draftInvoiceNumber: 1, self: `${sb().url}/invoices/drafts/1` } });
    });
  });

  describe('booking', () => {
    async function draft(api: Api, customerNumber: number, lines: unknown[], extra: Record<string, unknown> = {}): Promise<number> {
      const res = await api.post('/invoices/drafts', draftBody(customerNumber, lines, extra));
      expect(res.status).toBe(201);
      return res.body.draftInvoiceNumber;
    }
    const vare = (quantity: number) => ({ product: { productNumber: 'VARE' }, quantity, unitNetPrice: 70, description: 'Vare' });

    it('books with the next number, removes the draft and keeps the document', async () => {
      const { api, customerNumber } = await setup();
      const d1 = await draft(api, customerNumber, [vare(1)], { references: { other: 'bogholder:s:o1' }, notes: { heading: 'Order #1' } });
      const res = await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d1 } });
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`${sb().url}/invoices/booked/1`);
      expect(res.body).toEqual(
        expect.objectContaining({
          bookedInvoiceNumber: 1,
          netAmount: 70,
          vatAmount: 17.5,
          grossAmount: 87.5,
          remainder: 87.5,
          references: { other: 'bogholder:s:o1' },
          notes: { heading: 'Order #1' },
          customer: { customerNumber, self: `${sb().url}/customers/${customerNumber}` },
        }),
      );
      expect(res.body.lines[0]).toEqual(expect.objectContaining({ vatRate: 25, vatAmount: 17.5, totalNetAmount: 70 }));
      expect((await api.get(`/invoices/drafts/${d1}`)).status).toBe(404);
      const d2 = await draft(api, customerNumber, [vare(1)]);
      expect((await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d2 } })).body.bookedInvoiceNumber).toBe(2);
      expect((await api.get('/invoices/booked/1')).body.lines).toHaveLength(1);
      expect((await api.get('/invoices/booked')).body.collection.map((b: any) => b.bookedInvoiceNumber)).toEqual([1, 2]);
      expect((await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d2 } })).body.errors.draftInvoice.errors[0].errorCode).toBe('E06000');
    });

    it('books with a chosen number (POST and PUT) and rejects a number already used', async () => {
      const { api, customerNumber } = await setup();
      const d1 = await draft(api, customerNumber, [vare(1)]);
      const first = await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d1 }, bookWithNumber: 100042 });
      expect(first.body.bookedInvoiceNumber).toBe(100042);
      const d2 = await draft(api, customerNumber, [vare(1)]);
      const again = await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d2 }, bookWithNumber: 100042 });
      expect(again.status).toBe(400);
      expect(again.body.errors.bookWithNumber.errors[0]).toEqual(expect.objectContaining({ errorCode: 'E06010', inputValue: 100042, errorMessage: expect.stringContaining('already in use') }));
      expect((await api.get(`/invoices/drafts/${d2}`)).status).toBe(200);
      const put = await api.put('/invoices/booked/7', { draftInvoice: { draftInvoiceNumber: d2 } });
      expect(put.status).toBe(201);
      expect(put.body.bookedInvoiceNumber).toBe(7);
      const d3 = await draft(api, customerNumber, [vare(1)]);
      expect((await api.put('/invoices/booked/7', { draftInvoice: { draftInvoiceNumber: d3 } })).body.errors.bookWithNumber.errors[0].errorCode).toBe('E06010');
      expect((await api.put('/invoices/booked/8', { draftInvoice: { draftInvoiceNumber: d3 }, bookWithNumber: 9 })).status).toBe(400);
    });

    it('books a credit note from negative quantities and moves stock both ways', async () => {
      const { api, customerNumber } = await setup();
      await api.control('POST', '/stock', { productNumber: 'VARE', delta: 10 });
      const sale = await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: await draft(api, customerNumber, [vare(3), { product: { productNumber: 'FRI' }, quantity: 4, description: 'no stock' }]) } });
      expect(sale.status).toBe(201);
      let product = (await api.get('/products/VARE')).body;
      expect(product.inventory.inStock).toBe(7);
      expect(product.inventory.available).toBe(7);
      expect((await api.get('/products/FRI')).body.inventory.inStock).toBe(0);
      const credit = await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: await draft(api, customerNumber, [vare(-2)]) } });
      expect(credit.body.netAmount).toBe(-140);
      expect(credit.body.vatAmount).toBe(-35);
      expect(credit.body.grossAmount).toBe(-175);
      expect(credit.body.remainder).toBe(-175);
      product = (await api.get('/products/VARE')).body;
      expect(product.inventory.inStock).toBe(9);
    });

    it('does not move stock when the inventory module is off', async () => {
      const { api, customerNumber } = await setup();
      await api.control('POST', '/stock', { productNumber: 'VARE', delta: 10 });
      await api.control('PATCH', '/agreement', { inventoryModule: false });
      await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: await draft(api, customerNumber, [vare(3)]) } });
      await api.control('PATCH', '/agreement', { inventoryModule: true });
      expect((await api.get('/products/VARE')).body.inventory.inStock).toBe(10);
    });

    it('refuses to book a draft without lines', async () => {
      const { api, customerNumber } = await setup();
      const d = await draft(api, customerNumber, []);
      expect((await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d } })).status).toBe(400);
    });
  });

  describe('sendBy: "ean"', () => {
    async function eanSetup(opts: { ean?: string; contact?: boolean; reference?: boolean } = {}) {
      const { api, customerNumber } = await setup({ ean: opts.ean ?? '5798000363007' });
      let contactNumber: number | undefined;
      if (opts.contact !== false) {
        contactNumber = (await api.post(`/customers/${customerNumber}/contacts`, { name: 'Indkøb' })).body.customerContactNumber;
      }
      const references = opts.reference !== false && contactNumber ? { customerContact: { customerContactNumber: contactNumber } } : undefined;
      const d = await api.post('/invoices/drafts', draftBody(customerNumber, [{ description: 'x', quantity: 1, unitNetPrice: 10 }], references ? { references } : {}));
      expect(d.status).toBe(201);
      const book = () => api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d.body.draftInvoiceNumber }, sendBy: 'ean' });
      return { api, book, draftNumber: d.body.draftInvoiceNumber as number };
    }

    async function expectFailure(res: { status: number; body: any }, code: string, message: RegExp) {
      expect(res.status).toBe(400);
      expect(res.body.errors.sendBy.errors[0].errorCode).toBe(code);
      expect(res.body.errors.sendBy.errors[0].errorMessage).toMatch(message);
      expect(res.body.developerHint).toMatch(message);
    }

    it('books and marks the invoice when every precondition holds', async () => {
      const { api, book } = await eanSetup();
      const res = await book();
      expect(res.status).toBe(201);
      const state = await api.control('GET', '/state');
      expect(state.body.booked[0].sentBy).toBe('ean');
    });

    it('checks the agreement CVR', async () => {
      const { api, book, draftNumber } = await eanSetup();
      await api.control('PATCH', '/agreement', { cvr: null });
      await expectFailure(await book(), 'E08001', /CVR/);
      expect((await api.get(`/invoices/drafts/${draftNumber}`)).status).toBe(200);
      expect((await api.get('/invoices/booked')).body.collection).toHaveLength(0);
    });

    it('checks the customer EAN (13 digits)', async () => {
      const { book } = await eanSetup({ ean: '12345' });
      await expectFailure(await book(), 'E08002', /EAN/);
    });

    it('checks that the customer has a contact person', async () => {
      const { book } = await eanSetup({ contact: false });
      await expectFailure(await book(), 'E08003', /contact person/);
    });

    it('checks the invoice reference contact', async () => {
      const { book } = await eanSetup({ reference: false });
      await expectFailure(await book(), 'E08004', /Reference contact must be provided/);
    });

    it('checks that the agreement is paying, Danish and set up for e-invoicing', async () => {
      const { api, book } = await eanSetup();
      await api.control('PATCH', '/agreement', { paying: false });
      await expectFailure(await book(), 'E08005', /paying/);
      await api.control('PATCH', '/agreement', { paying: true, agreementType: 'sweden' });
      await expectFailure(await book(), 'E08006', /Danish/);
      await api.control('PATCH', '/agreement', { agreementType: 'denmark', canSendElectronicInvoice: false });
      await expectFailure(await book(), 'E08007', /EAN settings is required/);
      await api.control('PATCH', '/agreement', { canSendElectronicInvoice: true });
      expect((await book()).status).toBe(201);
    });
  });
});
