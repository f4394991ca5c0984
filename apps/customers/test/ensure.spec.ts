import request from 'supertest';
import { eventually, sleep } from '@bogholder/testing';
import { aCustomer, calls, EconomicCustomer, Harness, startHarness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('cus_ensure');
});

afterAll(async () => {
  await h?.close();
});

/** A customer that a bookkeeper (or an earlier system) made directly in e-conomic. */
const handMade = (customerNumber: number, extra: Partial<EconomicCustomer> = {}) => ({
  customerNumber,
  name: 'Made By Hand',
  currency: 'DKK',
  customerGroup: { customerGroupNumber: 1 },
  paymentTerms: { paymentTermsNumber: 5 },
  vatZone: { vatZoneNumber: 1 },
  ...extra,
});

describe('creating a customer', () => {
  it('creates it in group 1337 with currency, payment terms, VAT zone by country, address, e-mail, CVR and EAN', async () => {
    const shop = await h.newShop({ vatZones: { domestic: 1, eu: 2, abroad: 4 } });
    const dk = aCustomer({ cvr: '29403473', ean: '5798000000001' });
    const reply = await shop.ensure(dk, { currency: 'EUR' });
    expect(reply).toEqual({ customerNumber: 100000, created: true });

    const de = await shop.ensure(aCustomer({ country: 'DE', city: 'Berlin' }));
    const us = await shop.ensure(aCustomer({ country: 'US', city: 'Boston' }));
    expect([de.customerNumber, us.customerNumber]).toEqual([100001, 100002]);

    const customers = await shop.customers();
    const byNumber = (n: number) => customers.find((c) => c.customerNumber === n)!;
    expect(byNumber(100000)).toMatchObject({
      name: 'Jens Hansen',
      currency: 'EUR',
      customerGroup: { customerGroupNumber: 1337 },
      paymentTerms: { paymentTermsNumber: 1 }, // the agreement's first payment terms
      vatZone: { vatZoneNumber: 1 },
      address: 'Vestergade 1',
      zip: '8000',
      city: 'Aarhus C',
      country: 'Danmark',
      email: dk.email,
      corporateIdentificationNumber: '29403473',
      ean: '5798000000001',
    });
    expect(byNumber(100000).currency).toBe('EUR');
    expect(byNumber(100001)).toMatchObject({ vatZone: { vatZoneNumber: 2 }, country: 'Tyskland', currency: 'DKK' });
    expect(byNumber(100002)).toMatchObject({ vatZone: { vatZoneNumber: 4 } }); // abroad → the settings' number
  });

  it('uses paymentTermsNumber and customerGroupNumber from the settings', async () => {
    const shop = await h.newShop({ paymentTermsNumber: 5, customerGroupNumber: 1 }, { group: false });
    const { customerNumber } = await shop.ensure(aCustomer());
    const [customer] = (await shop.customers()).filter((c) => c.customerNumber === customerNumber);
    expect(customer).toMatchObject({ paymentTerms: { paymentTermsNumber: 5 }, customerGroup: { customerGroupNumber: 1 } });
  });

  it('sequence: starts at customerNumberStart and skips numbers already taken in e-conomic', async () => {
    const shop = await h.newShop({ customerNumberStart: 500 });
    expect((await shop.api('POST', '/customers', handMade(500))).status).toBe(201);
    expect((await shop.api('POST', '/customers', handMade(501))).status).toBe(201);
    expect((await shop.ensure(aCustomer())).customerNumber).toBe(502);
    expect((await shop.api('POST', '/customers', handMade(503))).status).toBe(201);
    expect((await shop.ensure(aCustomer())).customerNumber).toBe(504);
    expect((await shop.customers()).map((c) => c.customerNumber).sort()).toEqual([500, 501, 502, 503, 504]);
  });

  it('shop numbering: the shop\'s numeric customer number becomes the e-conomic number', async () => {
    const shop = await h.newShop({ customerNumbering: 'shop' });
    expect(await shop.ensure(aCustomer({ number: '4711' }))).toEqual({ customerNumber: 4711, created: true });
    expect(await shop.ensure(aCustomer({ number: 99_999_999 }))).toEqual({ customerNumber: 99_999_999, created: true });
  });

  it.each([['AB-12'], ['123456789'], [0], [undefined]])('shop numbering: %p is rejected with a message that says how to fix it', async (number) => {
    const shop = await h.newShop({ customerNumbering: 'shop' });
    const err = await shop.ensureError(aCustomer({ number: number as string | undefined }));
    expect(err.code).toBe('customer_number_invalid');
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/customer numbers must be numeric with at most 8 digits/);
    expect(calls(await shop.requests()).filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('shop numbering: a number that belongs to another customer is refused; the same customer is linked', async () => {
    const shop = await h.newShop({ customerNumbering: 'shop' });
    await shop.api('POST', '/customers', handMade(800, { name: 'Someone Else', email: 'else@example.dk' }));
    const err = await shop.ensureError(aCustomer({ number: 800 }));
    expect(err.code).toBe('customer_number_taken');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/customer number 800 is already used in e-conomic by another customer \("Someone Else"/);

    // An import made the same customer under the shop's number (no e-mail there): linked, not duplicated.
    await shop.api('POST', '/customers', handMade(801, { name: 'Jens Hansen' }));
    const reply = await shop.ensure(aCustomer({ number: 801, email: undefined }));
    expect(reply).toEqual({ customerNumber: 801, created: false });
    expect((await shop.customers()).map((c) => c.customerNumber).sort()).toEqual([800, 801]);
  });
});

describe('matching before creating', () => {
  it('a returning customer keeps its number and costs no e-conomic call', async () => {
    const shop = await h.newShop();
    const customer = aCustomer();
    const first = await shop.ensure(customer);
    await shop.clearRequests();

    expect(await shop.ensure(customer)).toEqual({ customerNumber: first.customerNumber, created: false });
    // the same person checking out as a guest (no shop id), e-mail in another case
    expect(await shop.ensure({ ...customer, id: undefined, email: customer.email!.toUpperCase() })).toEqual({ customerNumber: first.customerNumber, created: false });
    expect(await shop.requests()).toEqual([]);
    expect(await shop.customers()).toHaveLength(1);
  });

  it('a customer already in e-conomic with the e-mail is linked, not duplicated (blanks filled, the bookkeeper\'s name kept)', async () => {
    const shop = await h.newShop();
    await shop.api('POST', '/customers', handMade(5000, { name: 'Anna Berg (VIP)', email: 'Anna.Berg@Example.dk' }));
    await shop.clearRequests();
    const reply = await shop.ensure(aCustomer({ name: 'Anna Berg', email: 'anna.berg@example.dk', ean: '5798000000001' }));
    expect(reply).toMatchObject({ customerNumber: 5000, created: false });
    const customers = await shop.customers();
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ name: 'Anna Berg (VIP)', email: 'Anna.Berg@Example.dk', address: 'Vestergade 1', ean: '5798000000001', paymentTerms: { paymentTermsNumber: 5 } });
    expect(calls(await shop.requests()).filter((c) => c === 'POST /customers')).toEqual([]);

    await shop.clearRequests();
    expect((await shop.ensure(aCustomer({ name: 'Anna Berg', email: 'anna.berg@example.dk', ean: '5798000000001', id: 'other-id' }))).customerNumber).toBe(5000);
    expect(await shop.requests()).toEqual([]);
  });

  it('a company already in e-conomic with the CVR is linked', async () => {
    const shop = await h.newShop();
    await shop.api('POST', '/customers', handMade(6000, { name: 'Firma ApS', corporateIdentificationNumber: '12345678' }));
    const reply = await shop.ensure(aCustomer({ name: 'Firma ApS', email: undefined, cvr: 'DK12345678' }));
    expect(reply).toMatchObject({ customerNumber: 6000, created: false });
    expect(await shop.customers()).toHaveLength(1);
  });

  it('two orders for the same new customer arriving at once give one customer', async () => {
    const shop = await h.newShop();
    const customer = aCustomer({ cvr: '11223344' });
    const guest = { ...customer, id: undefined };
    const replies = await Promise.all([customer, guest, customer, guest, customer, customer].map((c, i) => shop.ensure(c, { correlationId: `order-${i}` })));
    const numbers = new Set(replies.map((r) => r.customerNumber));
    expect(numbers.size).toBe(1);
    expect(replies.filter((r) => r.created)).toHaveLength(1);
    expect(await shop.customers()).toHaveLength(1);
    expect(calls(await shop.requests()).filter((c) => c === 'POST /customers')).toHaveLength(1);
    await eventually(() => h.events.some((e) => e.shopId === shop.shopId));
    await sleep(300);
    expect(h.events.filter((e) => e.shopId === shop.shopId)).toHaveLength(1);
  });

  it('different new customers arriving at once get different numbers', async () => {
    const shop = await h.newShop({ customerNumberStart: 7000 });
    const replies = await Promise.all(Array.from({ length: 5 }, () => shop.ensure(aCustomer())));
    expect(replies.map((r) => r.customerNumber).sort()).toEqual([7000, 7001, 7002, 7003, 7004]);
    expect(await shop.customers()).toHaveLength(5);
  });
});

describe('shops sharing one e-conomic agreement', () => {
  it('never hand out the same number and link a person the other shop already created', async () => {
    const a = await h.newShop();
    const b = await h.newShop({}, { agreement: { agreementNumber: a.agreementNumber, grantToken: a.grantToken } });
    const person = aCustomer();
    const inA = await a.ensure(person);
    const inB = await b.ensure({ ...person, id: 'b-side-id' });
    expect(inB).toMatchObject({ customerNumber: inA.customerNumber, created: false });
    const other = await b.ensure(aCustomer());
    expect(other).toMatchObject({ customerNumber: inA.customerNumber + 1, created: true });
    expect(await a.customers()).toHaveLength(2);
  });
});

describe('a customer deleted in e-conomic', () => {
  it('is found or created again when the caller asks to verify it', async () => {
    const shop = await h.newShop();
    const customer = aCustomer();
    const first = await shop.ensure(customer);
    expect((await shop.api('DELETE', `/customers/${first.customerNumber}`)).status).toBe(204);
    expect(await shop.ensure(customer)).toEqual({ customerNumber: first.customerNumber, created: false }); // trusted: no call
    const again = await shop.ensure(customer, { verify: true });
    expect(again).toEqual({ customerNumber: first.customerNumber + 1, created: true });
    expect((await shop.customers()).map((c) => c.customerNumber)).toEqual([again.customerNumber]);
    await shop.clearRequests();
    expect(await shop.ensure(customer)).toEqual({ customerNumber: again.customerNumber, created: false });
    expect(await shop.requests()).toEqual([]);
  });
});

describe('updates', () => {
  it('writes back a changed address and EAN with GET + PUT, keeping every field it does not own', async () => {
    const shop = await h.newShop();
    const customer = aCustomer();
    const { customerNumber } = await shop.ensure(customer);

    // The bookkeeper adds a phone number and a credit limit in e-conomic.
    const current = (await shop.api<Record<string, unknown>>('GET', `/customers/${customerNumber}`)).body;
    expect((await shop.api('PUT', `/customers/${customerNumber}`, { ...current, telephoneAndFaxNumber: '70121314', creditLimit: 5000 })).status).toBe(200);
    await shop.clearRequests();

    const moved = { ...customer, address: 'Nørregade 7', zip: '1165', city: 'København K', ean: '5798000000018' };
    expect(await shop.ensure(moved)).toEqual({ customerNumber, created: false, updated: true });
    expect(calls(await shop.requests())).toEqual([`GET /customers/${customerNumber}`, `PUT /customers/${customerNumber}`]);
    const [after] = await shop.customers();
    expect(after).toMatchObject({
      address: 'Nørregade 7', zip: '1165', city: 'København K', ean: '5798000000018',
      telephoneAndFaxNumber: '70121314', creditLimit: 5000, email: customer.email, customerGroup: { customerGroupNumber: 1337 },
    });

    await shop.clearRequests();
    expect(await shop.ensure(moved)).toEqual({ customerNumber, created: false });
    expect(await shop.requests()).toEqual([]);
  });

  it('a name the bookkeeper changed stays when the shop changes something else; a move abroad changes the VAT zone', async () => {
    const shop = await h.newShop();
    const customer = aCustomer();
    const { customerNumber } = await shop.ensure(customer);
    const current = (await shop.api<Record<string, unknown>>('GET', `/customers/${customerNumber}`)).body;
    await shop.api('PUT', `/customers/${customerNumber}`, { ...current, name: 'Jens Hansen (Hansen Tømrer)' });

    await shop.ensure({ ...customer, zip: '8200' });
    expect((await shop.customers())[0]).toMatchObject({ name: 'Jens Hansen (Hansen Tømrer)', zip: '8200', vatZone: { vatZoneNumber: 1 } });

    await shop.ensure({ ...customer, zip: '8200', name: 'Jens Peter Hansen', country: 'SE', city: 'Malmö' });
    expect((await shop.customers())[0]).toMatchObject({ name: 'Jens Peter Hansen', country: 'Sverige', city: 'Malmö', vatZone: { vatZoneNumber: 2 } });
  });
});

describe('reference contacts', () => {
  it('finds or creates the EAN reference contact once, with its e-invoice id', async () => {
    const shop = await h.newShop();
    const customer = aCustomer({ ean: '5798000000001', eanContactName: 'Mette Jensen' });
    const first = await shop.ensure(customer, { needContact: true, contactEInvoiceId: 'INST-42' });
    expect(first).toMatchObject({ created: true, contactCreated: true });
    expect(first.contactNumber).toEqual(expect.any(Number));
    expect(await shop.contacts()).toEqual([
      expect.objectContaining({ customerContactNumber: first.contactNumber, name: 'Mette Jensen', eInvoiceId: 'INST-42', customer: expect.objectContaining({ customerNumber: first.customerNumber }) }),
    ]);

    await shop.clearRequests();
    expect(await shop.ensure({ ...customer, eanContactName: 'mette jensen' }, { needContact: true })).toEqual({
      customerNumber: first.customerNumber, contactNumber: first.contactNumber, contactCreated: false, created: false,
    });
    expect(await shop.requests()).toEqual([]);

    // A second person at the same customer gets a contact of their own.
    const second = await shop.ensure({ ...customer, eanContactName: 'Ole Olsen' }, { needContact: true });
    expect(second.contactNumber).not.toBe(first.contactNumber);
    expect((await shop.contacts()).map((c) => c.name).sort()).toEqual(['Mette Jensen', 'Ole Olsen']);
  });

  it('uses a contact that already exists in e-conomic', async () => {
    const shop = await h.newShop();
    await shop.api('POST', '/customers', handMade(9000, { email: 'kommune@example.dk', ean: '5798000000001' }));
    const contact = (await shop.api<{ customerContactNumber: number }>('POST', '/customers/9000/contacts', { name: 'Karen Holm' })).body;
    const reply = await shop.ensure(aCustomer({ email: 'kommune@example.dk', ean: '5798000000001', eanContactName: 'KAREN HOLM' }), { needContact: true });
    expect(reply).toMatchObject({ customerNumber: 9000, contactNumber: contact.customerContactNumber, contactCreated: false });
    expect(await shop.contacts()).toHaveLength(1);
  });

  it('an EAN order without a contact name is refused: Reference contact must be provided', async () => {
    const shop = await h.newShop();
    const err = await shop.ensureError(aCustomer({ ean: '5798000000001' }), { needContact: true });
    expect(err.code).toBe('contact_name_missing');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/Reference contact must be provided/);
  });
});

describe('settings that stop a creation', () => {
  it('a missing customer group fails with how to create it, and works once it exists', async () => {
    const shop = await h.newShop({}, { group: false });
    const err = await shop.ensureError(aCustomer());
    expect(err.code).toBe('customer_group_missing');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      'customer group 1337 does not exist in e-conomic: create it under Sales → Customers → Customer groups with account 5600 (Debitorer), or choose another customerGroupNumber in the settings',
    );
    expect(calls(await shop.requests())).not.toContain('POST /customers');

    await shop.api('POST', '/customer-groups', { customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
    expect(await shop.ensure(aCustomer())).toMatchObject({ created: true });
  });

  it('a VAT zone e-conomic does not have is a permanent economic_rejected error naming the setting', async () => {
    const shop = await h.newShop({ vatZones: { domestic: 99, eu: 2, abroad: 3 } });
    const err = await shop.ensureError(aCustomer());
    expect({ code: err.code, retryable: err.retryable, status: err.status }).toEqual({ code: 'economic_rejected', retryable: false, status: 422 });
    expect(err.message).toMatch(/vatZone: .*99.*check vatZones in the settings/);
    expect(err.options.details).toEqual([expect.objectContaining({ field: 'vatZone' })]);

    await shop.settings({ vatZones: { domestic: 1, eu: 2, abroad: 3 } });
    expect(await shop.ensure(aCustomer())).toMatchObject({ created: true });
  });

  it('createCustomers: false parks a missing customer but still links one that exists', async () => {
    const shop = await h.newShop({ createCustomers: false });
    const err = await shop.ensureError(aCustomer({ email: 'new@example.dk' }));
    expect(err.code).toBe('customer_creation_disabled');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/does not exist in e-conomic and createCustomers is off: create the customer in e-conomic with that e-mail address/);
    expect(calls(await shop.requests()).filter((c) => c.startsWith('POST'))).toEqual([]);

    await shop.api('POST', '/customers', handMade(1234, { email: 'new@example.dk' }));
    expect(await shop.ensure(aCustomer({ email: 'new@example.dk' }))).toMatchObject({ customerNumber: 1234, created: false });

    const contactErr = await shop.ensureError(aCustomer({ email: 'new@example.dk', eanContactName: 'Bo Berg' }), { needContact: true });
    expect(contactErr.code).toBe('customer_creation_disabled');
    expect(contactErr.message).toMatch(/reference contact "Bo Berg" does not exist on customer 1234/);
    expect(await shop.customers()).toHaveLength(1);
  });
});

describe('customer.created', () => {
  it('arrives on NATS once, with the request\'s correlation id and the contact number', async () => {
    const shop = await h.newShop();
    const customer = aCustomer({ ean: '5798000000001', eanContactName: 'Mette Jensen' });
    const reply = await shop.ensure(customer, { needContact: true, correlationId: 'webhook-msg-123' });
    const event = await waitForEvent(shop.shopId);
    expect(event).toMatchObject({
      id: `customer.created:${shop.shopId}:${shop.agreementNumber}:${reply.customerNumber}`,
      type: 'customer.created',
      shopId: shop.shopId,
      correlationId: 'webhook-msg-123',
      data: { shopCustomerId: customer.id, customerNumber: reply.customerNumber, contactNumber: reply.contactNumber },
    });
    await shop.ensure(customer, { needContact: true, correlationId: 'again' });
    await sleep(300);
    expect(h.events.filter((e) => e.shopId === shop.shopId)).toHaveLength(1);
  });
});

describe('rpc.customers.lookup', () => {
  it('answers without writing anything anywhere', async () => {
    const shop = await h.newShop();
    const customer = aCustomer({ eanContactName: 'Mette Jensen' });
    expect(await shop.lookup(customer, true)).toEqual({ customerNumber: null, contactNumber: null });
    expect((await shop.requests()).every((r) => r.method === 'GET')).toBe(true);
    expect(await shop.customers()).toEqual([]);

    const ensured = await shop.ensure(customer, { needContact: true });
    await shop.clearRequests();
    expect(await shop.lookup(customer, true)).toEqual({ customerNumber: ensured.customerNumber, contactNumber: ensured.contactNumber });
    expect(await shop.requests()).toEqual([]);
  });
});

it('counts e-conomic calls per request in /metrics', async () => {
  const res = await request(h.app.getHttpServer()).get('/metrics').expect(200);
  const sample = (name: string, labels: string[]) =>
    res.text.split('\n').find((line) => line.startsWith(`${name}{`) && labels.every((l) => line.includes(l)))?.split(' ').pop();
  // returning customers that cost no e-conomic call at all
  expect(Number(sample('bogholder_customers_economic_calls_bucket', ['le="0"', 'operation="ensure"', 'decision="known"']))).toBeGreaterThan(0);
  expect(Number(sample('bogholder_customers_decisions_total', ['decision="created"']))).toBeGreaterThan(0);
});

async function waitForEvent(shopId: string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const found = h.events.find((e) => e.shopId === shopId);
    if (found) return found;
    await sleep(50);
  }
  throw new Error(`no customer.created for ${shopId}`);
}
