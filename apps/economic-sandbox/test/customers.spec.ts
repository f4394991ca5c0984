import { customerBody, useSandbox } from './support/sandbox';

describe('customers, contacts and customer groups', () => {
  const { sb, fresh } = useSandbox();

  it('creates a customer: 201, Location, references with self, the next number', async () => {
    const api = fresh();
    const res = await api.post('/customers', customerBody({ email: 'a@b.dk', barred: false }));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${sb().url}/customers/1`);
    expect(res.body).toEqual(
      expect.objectContaining({
        customerNumber: 1,
        name: 'Jensen ApS',
        currency: 'DKK',
        balance: 0,
        customerGroup: { customerGroupNumber: 1, self: `${sb().url}/customer-groups/1` },
        paymentTerms: { paymentTermsNumber: 1, self: `${sb().url}/payment-terms/1` },
        vatZone: { vatZoneNumber: 1, self: `${sb().url}/vat-zones/1` },
        contacts: `${sb().url}/customers/1/contacts`,
        self: `${sb().url}/customers/1`,
        lastUpdated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      }),
    );
    expect('barred' in res.body).toBe(false);
    expect((await api.post('/customers', customerBody({ customerNumber: 500 }))).body.customerNumber).toBe(500);
    expect((await api.post('/customers', customerBody())).body.customerNumber).toBe(501);
    expect((await api.post('/customers', customerBody({ barred: true }))).body.barred).toBe(true);
  });

  it('answers e-conomic validation errors for missing, too long and unknown values', async () => {
    const api = fresh();
    const res = await api.post('/customers', {
      name: 'x'.repeat(256),
      currency: 'DK',
      customerGroup: { customerGroupNumber: 1337 },
      paymentTerms: { paymentTermsNumber: 4711 },
      zip: '1'.repeat(31),
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(
      expect.objectContaining({
        message: 'Validation failed. 6 errors found.',
        errorCode: 'E04300',
        developerHint: expect.any(String),
        logId: expect.stringMatching(/^[0-9a-f]{16}-CPH$/),
        httpStatusCode: 400,
        errorCount: 6,
        logTime: expect.any(String),
      }),
    );
    const e = res.body.errors;
    expect(e.name.errors[0]).toEqual(expect.objectContaining({ propertyName: 'name', errorCode: 'E04010', inputValue: 'x'.repeat(256) }));
    expect(e.currency.errors[0].propertyName).toBe('currency');
    expect(e.customerGroup.errors[0]).toEqual(expect.objectContaining({ errorCode: 'E06000', inputValue: 1337 }));
    expect(e.paymentTerms.errors[0]).toEqual(
      expect.objectContaining({ propertyName: 'paymentTerms', errorCode: 'E07080', errorMessage: "PaymentTerms '4711' not found.", inputValue: 4711 }),
    );
    expect(e.vatZone.errors[0].errorCode).toBe('E04000');
    expect(e.zip.errors[0].errorCode).toBe('E04010');
    expect((await api.get('/customers')).body.collection).toHaveLength(0);
  });

  it('rejects duplicate and out-of-range customer numbers, and null values', async () => {
    const api = fresh();
    expect((await api.post('/customers', customerBody({ customerNumber: 7 }))).status).toBe(201);
    const dup = await api.post('/customers', customerBody({ customerNumber: 7 }));
    expect(dup.status).toBe(400);
    expect(dup.body.errors.customerNumber.errors[0].errorCode).toBe('E06010');
    for (const n of [0, 1_000_000_000, 1.5]) {
      const res = await api.post('/customers', customerBody({ customerNumber: n }));
      expect(res.status).toBe(400);
      expect(res.body.errors.customerNumber).toBeDefined();
    }
    expect((await api.post('/customers', customerBody({ customerNumber: 999_999_999 }))).status).toBe(201);
    const withNull = await api.post('/customers', customerBody({ ean: null }));
    expect(withNull.status).toBe(400);
    expect(withNull.body.errors.ean.errors[0].errorCode).toBe('E04030');
  });

  it('PUT replaces the whole customer: fields left out are cleared', async () => {
    const api = fresh();
    await api.post('/customers', customerBody({ customerNumber: 10, email: 'x@y.dk', city: 'Aarhus', ean: '5798000363007' }));
    const res = await api.put('/customers/10', customerBody({ name: 'Renamed', city: 'Odense' }));
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Renamed');
    expect(res.body.city).toBe('Odense');
    expect(res.body.email).toBeUndefined();
    expect(res.body.ean).toBeUndefined();
    expect((await api.put('/customers/11', customerBody())).status).toBe(404);
    expect((await api.put('/customers/10', { name: 'x' })).status).toBe(400);
  });

  it('DELETE answers 204 and the customer is gone', async () => {
    const api = fresh();
    await api.post('/customers', customerBody({ customerNumber: 3 }));
    const res = await api.delete('/customers/3');
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await api.get('/customers/3')).status).toBe(404);
    expect((await api.delete('/customers/3')).status).toBe(404);
  });

  it('manages contacts under a customer', async () => {
    const api = fresh();
    await api.post('/customers', customerBody({ customerNumber: 5 }));
    const created = await api.post('/customers/5/contacts', { name: 'Kim', email: 'kim@example.com', eInvoiceId: 'ID1' });
    expect(created.status).toBe(201);
    const n = created.body.customerContactNumber;
    expect(created.headers.get('location')).toBe(`${sb().url}/customers/5/contacts/${n}`);
    expect(created.body.customer).toEqual({ customerNumber: 5, self: `${sb().url}/customers/5` });
    expect((await api.post('/customers/5/contacts', {})).body.errors.name.errors[0].errorCode).toBe('E04000');
    const list = await api.get('/customers/5/contacts');
    expect(list.body.collection).toHaveLength(1);
    const put = await api.put(`/customers/5/contacts/${n}`, { customerContactNumber: n, name: 'Kim Larsen' });
    expect(put.body.name).toBe('Kim Larsen');
    expect(put.body.email).toBeUndefined();
    const attention = await api.put('/customers/5', customerBody({ attention: { customerContactNumber: n } }));
    expect(attention.body.attention.customerContactNumber).toBe(n);
    expect((await api.post('/customers', customerBody({ attention: { customerContactNumber: n } }))).status).toBe(400);
    expect((await api.delete(`/customers/5/contacts/${n}`)).status).toBe(204);
    expect((await api.get(`/customers/5/contacts/${n}`)).status).toBe(404);
    expect((await api.get('/customers/99/contacts')).status).toBe(404);
  });

  it('serves customer groups: seeded group 1 (no 1337), create, duplicate, replace, delete', async () => {
    const api = fresh();
    const groups = await api.get('/customer-groups');
    expect(groups.body.collection.map((g: any) => g.customerGroupNumber)).toEqual([1]);
    expect(groups.body.collection[0].account).toEqual(expect.objectContaining({ accountNumber: 5600, name: 'Debitorer' }));
    expect((await api.get('/customer-groups/1337')).status).toBe(404);
    const created = await api.post('/customer-groups', { customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${sb().url}/customer-groups/1337`);
    const dup = await api.post('/customer-groups', { customerGroupNumber: 1337, account: { accountNumber: 5600 } });
    expect(dup.body.errors.customerGroupNumber.errors[0].errorCode).toBe('E06010');
    expect((await api.post('/customer-groups', { customerGroupNumber: 2, account: { accountNumber: 9999 } })).body.errors.account.errors[0].errorCode).toBe('E06000');
    expect((await api.post('/customer-groups', { customerGroupNumber: 3 })).body.errors.account.errors[0].errorCode).toBe('E04000');
    const put = await api.put('/customer-groups/1337', { account: { accountNumber: 5600 } });
    expect(put.body.name).toBeUndefined();
    await api.post('/customers', customerBody({ customerGroup: { customerGroupNumber: 1337 } }));
    expect((await api.get('/customer-groups/1337/customers')).body.collection).toHaveLength(1);
    expect((await api.delete('/customer-groups/1337')).status).toBe(400);
    await api.post('/customer-groups', { customerGroupNumber: 20, account: { accountNumber: 5600 } });
    expect((await api.delete('/customer-groups/20')).status).toBe(204);
  });
});
