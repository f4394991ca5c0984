import { DEFAULT_SETTINGS, Settings } from '@bogholder/contracts';
import { bearer, connectShop, createShop, economicCall, Harness, sandboxCall, startGateway, TestShop } from './helpers';

type Problem = { statusCode: number; message: string; errors: { field: string; message: string }[]; code?: string };
const fieldsOf = (body: Problem) => body.errors.map((e) => e.field).sort();
const messageFor = (body: Problem, field: string) => body.errors.find((e) => e.field === field)?.message;

describe('settings', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startGateway();
  });

  afterAll(async () => {
    await h.close();
  });

  /** Waits for the settings.updated that carries `match`, and answers every settings.updated of the shop so far. */
  async function published(shop: TestShop, match: (s: Settings) => boolean): Promise<Settings[]> {
    await h.events.waitFor((e) => e.subject === 'settings.updated' && e.envelope.shopId === shop.id && match(e.envelope.data as Settings));
    return h.events.of('settings.updated', shop.id).map((e) => e.envelope.data as Settings);
  }

  describe('not connected', () => {
    it('answers the defaults for a new shop, unset values as null', async () => {
      const shop = await createShop(h);
      const res = await h.http().get(`/api/shops/${shop.id}/settings`).set(bearer).expect(200);
      expect(res.body).toEqual(DEFAULT_SETTINGS);
      expect(res.body.layoutNumber).toBeNull();
      expect(Object.keys(res.body)).toEqual(Object.keys(DEFAULT_SETTINGS));
    });

    it('PUT replaces: fields left out get their defaults; published with the request id', async () => {
      const shop = await createShop(h);
      await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ accrual: true, invoiceNumberOffset: 5 }).expect(200);
      const res = await h.http().put(`/api/shops/${shop.id}/settings`).set(bearer).set('x-request-id', 'req-put-settings').send({ bookingMode: 'draft', vatZones: { eu: 4 } }).expect(200);
      expect(res.body).toEqual({ ...DEFAULT_SETTINGS, bookingMode: 'draft', vatZones: { domestic: 1, eu: 4, abroad: 3 } });
      await published(shop, (s) => s.bookingMode === 'draft');
      const event = h.events.of('settings.updated', shop.id).find((e) => e.envelope.correlationId === 'req-put-settings')!;
      expect(event.envelope.data).toEqual(res.body);
      expect((await h.http().get(`/api/shops/${shop.id}/settings`).set(bearer).expect(200)).body).toEqual(res.body);
    });

    it('PATCH changes only the fields given, vatZones included', async () => {
      const shop = await createShop(h);
      await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ transferTrigger: 'shipment', productLayout: 'total', totalLineProducts: { '25': 'SALG25', '0': 'SALG0' } }).expect(200);
      const res = await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ vatZones: { abroad: 4 }, postPayments: true, paymentJournalNumber: 2, postingAccountNumber: 5830 }).expect(200);
      expect(res.body).toEqual({
        ...DEFAULT_SETTINGS, transferTrigger: 'shipment', productLayout: 'total', totalLineProducts: { '25': 'SALG25', '0': 'SALG0' },
        postPayments: true, paymentJournalNumber: 2, postingAccountNumber: 5830, vatZones: { domestic: 1, eu: 2, abroad: 4 },
      });
      const cleared = await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ productLayout: 'lines', totalLineProducts: null }).expect(200);
      expect(cleared.body.totalLineProducts).toBeNull();
      const all = await published(shop, (s) => s.productLayout === 'lines' && s.postPayments);
      expect(all.at(-1)).toEqual(cleared.body);
    });

    it('names every invalid field by its path, and saves and publishes nothing', async () => {
      const shop = await createShop(h);
      const res = await h.http().put(`/api/shops/${shop.id}/settings`).set(bearer).send({
        bookingMode: 'sometimes', invoiceNumberOffset: -1, productLayout: 'total', stockSyncIntervalSeconds: 5,
        postPayments: true, vatZones: { domestic: 1, eu: 0, abroad: 'x' }, customerGroupNumber: 1.5,
      }).expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(fieldsOf(res.body)).toEqual([
        'bookingMode', 'customerGroupNumber', 'invoiceNumberOffset', 'paymentJournalNumber', 'postingAccountNumber', 'stockSyncIntervalSeconds',
        'totalLineProducts', 'vatZones.abroad', 'vatZones.eu',
      ]);
      expect(messageFor(res.body, 'totalLineProducts')).toMatch(/required when productLayout is "total"/);
      expect(messageFor(res.body, 'postingAccountNumber')).toMatch(/suspense account/);

      const typo = await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ bookingmode: 'draft', vatZones: { EU: 2 } }).expect(400);
      expect(typo.body.errors).toEqual([
        { field: 'bookingmode', message: 'bookingmode is not a setting; did you mean bookingMode?' },
        { field: 'vatZones.EU', message: 'vatZones.EU is not a setting; did you mean vatZones.eu?' },
      ]);
      const nulls = await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ createCustomers: null }).expect(400);
      expect(fieldsOf(nulls.body)).toEqual(['createCustomers']);
      const array = await h.http().put(`/api/shops/${shop.id}/settings`).set(bearer).send([1, 2]).expect(400);
      expect(array.body.errors[0].field).toBe('(body)');

      expect((await h.http().get(`/api/shops/${shop.id}/settings`).set(bearer).expect(200)).body).toEqual(DEFAULT_SETTINGS);
      await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ accrual: true }).expect(200);
      const all = await published(shop, (s) => s.accrual);
      // The default settings from creating the shop, then the one accepted change: nothing in between.
      expect(all).toEqual([DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, accrual: true }]);
    });

    it('answers 404 for an unknown shop', async () => {
      await h.http().get('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/settings').set(bearer).expect(404);
      await h.http().put('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/settings').set(bearer).send({}).expect(404);
      await h.http().patch('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/settings').set(bearer).send({}).expect(404);
    });
  });

  describe('connected: every number the settings use is checked in e-conomic', () => {
    it('lists every missing one at once, with where to create it or what to use instead', async () => {
      const shop = await createShop(h);
      await connectShop(h, shop, 'Checked ApS');
      const res = await h.http().put(`/api/shops/${shop.id}/settings`).set(bearer).send({
        layoutNumber: 99, paymentTermsNumber: 42, postPayments: true, paymentJournalNumber: 7, postingAccountNumber: 9999,
        shippingProductNumber: 'FRAGT', productLayout: 'total', totalLineProducts: { '25': 'SALG25' }, vatZones: { domestic: 1, eu: 9, abroad: 3 },
      }).expect(422);
      expect(res.body.code).toBe('economic_reference_missing');
      expect(fieldsOf(res.body)).toEqual([
        'customerGroupNumber', 'layoutNumber', 'paymentJournalNumber', 'paymentTermsNumber', 'postingAccountNumber', 'shippingProductNumber',
        'totalLineProducts["25"]', 'vatZones.eu',
      ]);
      expect(messageFor(res.body, 'customerGroupNumber')).toBe(
        'customer group 1337 does not exist in e-conomic: create it under Sales → Customers → Customer groups with account 5600, or use an existing group: 1 (Danske)',
      );
      expect(messageFor(res.body, 'paymentJournalNumber')).toBe('journal 7 does not exist in e-conomic: create it under Accounting → Journals or use 2 (Indbetalinger)');
      expect(messageFor(res.body, 'layoutNumber')).toMatch(/^layout 99 does not exist in e-conomic: use one of 19 \(DK\. std\. m\. bankoplys\. 1\.5\)/);
      expect(messageFor(res.body, 'paymentTermsNumber')).toMatch(/^payment terms 42 do not exist in e-conomic: create them under .* or use one of 1 \(Netto 8 dage\)/);
      expect(messageFor(res.body, 'postingAccountNumber')).toMatch(/^account 9999 does not exist in e-conomic: .* e\.g\. 5830 \(Webshop mellemregning\)/);
      expect(messageFor(res.body, 'shippingProductNumber')).toMatch(/^product FRAGT does not exist in e-conomic: create it under Sales → Products/);
      expect(messageFor(res.body, 'totalLineProducts["25"]')).toMatch(/^product SALG25 does not exist in e-conomic: .*25% VAT/);
      expect(messageFor(res.body, 'vatZones.eu')).toMatch(/^VAT zone 9 does not exist in e-conomic \(VAT zones cannot be created\): use one of 1 \(Domestic\), 2 \(EU\)/);
      expect(res.body.message).toMatch(/^8 settings refer to something e-conomic does not have/);
      expect((await h.http().get(`/api/shops/${shop.id}/settings`).set(bearer).expect(200)).body).toEqual(DEFAULT_SETTINGS);
    });

    it('accepts the settings once the admin has created what was missing (even right after a failed check)', async () => {
      const shop = await createShop(h);
      const { grantToken } = await connectShop(h, shop, 'Fixed ApS');
      const first = await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ bookingMode: 'draft', shippingProductNumber: 'FRAGT' }).expect(422);
      expect(fieldsOf(first.body)).toEqual(['customerGroupNumber', 'shippingProductNumber']);

      expect((await economicCall(h.sandbox, 'POST', '/customer-groups', grantToken, { customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } })).status).toBe(201);
      expect((await economicCall(h.sandbox, 'POST', '/products', grantToken, { productNumber: 'FRAGT', name: 'Fragt', productGroup: { productGroupNumber: 2 }, inventory: { recommendedCostPrice: 0 } })).status).toBe(201);
      const res = await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).set('x-request-id', 'req-fixed').send({ bookingMode: 'draft', shippingProductNumber: 'FRAGT', postPayments: true, paymentJournalNumber: 2, postingAccountNumber: 5830 }).expect(200);
      expect(res.body).toMatchObject({ bookingMode: 'draft', shippingProductNumber: 'FRAGT', customerGroupNumber: 1337 });
      await published(shop, (s) => s.shippingProductNumber === 'FRAGT');
      expect(h.events.of('settings.updated', shop.id).at(-1)!.envelope.correlationId).toBe('req-fixed');
    });

    it('does not check numbers the settings do not use (no customer group when customers are not created)', async () => {
      const shop = await createShop(h);
      await connectShop(h, shop, 'Unused ApS');
      await h.http().put(`/api/shops/${shop.id}/settings`).set(bearer).send({ createCustomers: false, paymentJournalNumber: 77 }).expect(200);
    });

    it('answers 422 and marks the connection when e-conomic refuses the grant during the check', async () => {
      const shop = await createShop(h);
      const { grantToken } = await connectShop(h, shop, 'Gone ApS');
      await sandboxCall(h.sandbox, 'DELETE', `/__sandbox/grants/${encodeURIComponent(grantToken)}`);
      const res = await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ createCustomers: false, layoutNumber: 20 }).expect(422);
      expect(res.body).toMatchObject({ code: 'economic_grant_revoked', errors: [{ field: '(connection)' }] });
      expect(res.body.message).toMatch(/Connect the shop again/);
      expect((await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200)).body.status).toBe('error');
      await h.events.waitFor((e) => e.subject === 'economic.disconnected' && e.envelope.shopId === shop.id);
      // Not connected any more: settings are saved without checks.
      await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ createCustomers: false, layoutNumber: 20 }).expect(200);
    });

    it('answers 503 when e-conomic does not answer the check', async () => {
      const shop = await createShop(h);
      const { grantToken } = await connectShop(h, shop, 'Down ApS');
      await sandboxCall(h.sandbox, 'PUT', '/__sandbox/faults', grantToken, { kinds: ['500'], count: 200, match: { path: '/customer-groups' } });
      const res = await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ accrual: true }).expect(503);
      expect(res.body.code).toBe('economic_unavailable');
      await sandboxCall(h.sandbox, 'PUT', '/__sandbox/faults', grantToken, { rate: 0 });
    });
  });
});
