import { customerBody, draftBody, useSandbox } from './support/sandbox';

const year = String(new Date().getUTCFullYear());

describe('journals and vouchers', () => {
  const { sb, fresh } = useSandbox();

  async function bookedInvoice() {
    const api = fresh();
    const customerNumber = (await api.post('/customers', customerBody())).body.customerNumber as number;
    const d = await api.post('/invoices/drafts', draftBody(customerNumber, [{ description: 'x', quantity: 1, unitNetPrice: 80 }]));
    const b = await api.post('/invoices/booked', { draftInvoice: { draftInvoiceNumber: d.body.draftInvoiceNumber } });
    expect(b.body.remainder).toBe(100);
    return { api, customerNumber, invoice: b.body.bookedInvoiceNumber as number };
  }

  const payment = (customerNumber: number, invoice: number, amount: number, extra: Record<string, unknown> = {}) => ({
    accountingYear: { year },
    journal: { journalNumber: 2 },
    entries: {
      customerPayments: [
        {
          customer: { customerNumber },
          contraAccount: { accountNumber: 5830 },
          amount,
          date: `${year}-03-20`,
          text: 'Betaling ordre 1',
          currency: { code: 'DKK' },
          customerInvoice: invoice,
          ...extra,
        },
      ],
    },
  });

  it('posts a customer payment: 201 with an array of vouchers; a negative amount lowers the remainder', async () => {
    const { api, customerNumber, invoice } = await bookedInvoice();
    const res = await api.post('/journals/2/vouchers', payment(customerNumber, invoice, -60));
    expect(res.status).toBe(201);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body[0]).toEqual(
      expect.objectContaining({
        voucherNumber: 50001,
        accountingYear: expect.objectContaining({ year }),
        journal: expect.objectContaining({ journalNumber: 2 }),
        self: `${sb().url}/journals/2/vouchers/${year}-50001`,
      }),
    );
    expect(res.body[0].entries.customerPayments[0]).toEqual(expect.objectContaining({ entryType: 'customerPayment', amount: -60, customerInvoice: invoice }));
    expect((await api.get(`/invoices/booked/${invoice}`)).body.remainder).toBe(40);
    expect((await api.get(`/customers/${customerNumber}`)).body.balance).toBe(40);
    await api.post('/journals/2/vouchers', payment(customerNumber, invoice, -40));
    const paid = (await api.get(`/invoices/booked/${invoice}`)).body;
    expect(paid.remainder).toBe(0);
    const one = await api.get(`/journals/2/vouchers/${year}-50001`);
    expect(one.status).toBe(200);
    expect(one.body.voucherNumber).toBe(50001);
    expect((await api.get('/journals/2/vouchers')).body.collection.map((v: any) => v.voucherNumber)).toEqual([50001, 50002]);
    expect((await api.get('/journals/2/entries')).body.collection.map((e: any) => e.amount)).toEqual([-60, -40]);
    expect((await api.get(`/journals/2/vouchers/${year}-1`)).status).toBe(404);
  });

  it('accepts an array of vouchers and uses the journal contra account by default', async () => {
    const { api, customerNumber, invoice } = await bookedInvoice();
    const second = payment(customerNumber, invoice, -10);
    delete (second.entries.customerPayments[0] as Record<string, unknown>).contraAccount;
    const res = await api.post('/journals/2/vouchers', [payment(customerNumber, invoice, -5), second]);
    expect(res.status).toBe(201);
    expect(res.body).toHaveLength(2);
    expect(res.body[1].entries.customerPayments[0].contraAccount.accountNumber).toBe(5820);
    expect((await api.get(`/invoices/booked/${invoice}`)).body.remainder).toBe(85);
  });

  it('restricts journal 2 to customer payments and serves /journals-experimental as an alias', async () => {
    const { api } = await bookedInvoice();
    const finance = {
      accountingYear: { year },
      entries: { financeVouchers: [{ account: { accountNumber: 5820 }, contraAccount: { accountNumber: 5830 }, amount: 100, date: `${year}-03-01`, text: 'Udbetaling' }] },
    };
    const refused = await api.post('/journals/2/vouchers', finance);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.entries.financeVouchers.errors[0].errorMessage).toMatch(/customerPayment/);
    const ok = await api.post('/journals-experimental/1/vouchers', finance);
    expect(ok.status).toBe(201);
    expect(ok.body[0].self).toBe(`${sb().url}/journals-experimental/1/vouchers/${year}-1`);
    expect((await api.get('/journals/1/vouchers')).body.collection).toHaveLength(1);
    expect((await api.get('/journals-experimental')).body.collection).toHaveLength(2);
  });

  it('validates accounting year, accounts, customers, invoices, amounts and dates', async () => {
    const { api, customerNumber, invoice } = await bookedInvoice();
    const bad = await api.post('/journals/2/vouchers', {
      accountingYear: { year: '1999' },
      entries: {
        customerPayments: [
          { customer: { customerNumber: 9999 }, contraAccount: { accountNumber: 1 }, amount: 1.234, date: 'x', customerInvoice: 777 },
          { customer: { customerNumber }, customerInvoice: invoice },
        ],
      },
    });
    expect(bad.status).toBe(400);
    const e = bad.body.errors;
    expect(e.accountingYear.errors[0].errorCode).toBe('E06000');
    const [first, second] = e.entries.customerPayments;
    expect(first.customer.errors[0].errorCode).toBe('E06000');
    expect(first.contraAccount.errors[0].errorCode).toBe('E06000');
    expect(first.amount.errors[0].errorCode).toBe('E04740');
    expect(first.date.errors[0].errorCode).toBe('E04020');
    expect(first.customerInvoice.errors[0].errorCode).toBe('E06000');
    expect(second.amount.errors[0].errorCode).toBe('E04000');
    expect(second.date.errors[0].errorCode).toBe('E04000');
    expect((await api.get(`/invoices/booked/${invoice}`)).body.remainder).toBe(100);
    const otherCustomer = (await api.post('/customers', customerBody())).body.customerNumber;
    const wrongOwner = await api.post('/journals/2/vouchers', payment(otherCustomer, invoice, -1));
    expect(wrongOwner.body.errors.entries.customerPayments[0].customerInvoice.errors[0].errorCode).toBe('E04020');
    const outside = await api.post('/journals/2/vouchers', payment(customerNumber, invoice, -1, { date: `${Number(year) - 1}-12-31` }));
    expect(outside.status).toBe(400);
    expect((await api.post('/journals/9/vouchers', payment(customerNumber, invoice, -1))).status).toBe(404);
  });
});
