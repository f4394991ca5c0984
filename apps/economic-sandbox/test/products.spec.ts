import { productBody, useSandbox } from './support/sandbox';

describe('products and reference data', () => {
  const { sb, fresh } = useSandbox();

  it('creates a product with an inventory object and an encoded self link', async () => {
    const api = fresh();
    const res = await api.post('/products', productBody('My Awesome_Disc5%', { unit: { unitNumber: 1 } }));
    expect(res.status).toBe(201);
    const self = `${sb().url}/products/My_9_Awesome_8_Disc5_3_`;
    expect(res.headers.get('location')).toBe(self);
    expect(res.body.self).toBe(self);
    expect(res.body.productGroup).toEqual(expect.objectContaining({ productGroupNumber: 1, name: 'Varer m/moms', inventoryEnabled: true }));
    expect(res.body.unit).toEqual(expect.objectContaining({ unitNumber: 1, name: 'stk.' }));
    expect(res.body.inventory).toEqual({
      available: 0,
      inStock: 0,
      orderedByCustomers: 0,
      orderedFromSuppliers: 0,
      grossWeight: 0,
      netWeight: 0,
      packageVolume: 0,
      recommendedCostPrice: 40,
    });
    const got = await api.get('/products/My_9_Awesome_8_Disc5_3_');
    expect(got.status).toBe(200);
    expect(got.body.productNumber).toBe('My Awesome_Disc5%');
    expect((await api.get(`/products/${encodeURIComponent('My Awesome_Disc5%')}`)).status).toBe(200);
    expect((await api.get('/products/my_9_awesome_8_disc5_3_')).status).toBe(200);
  });

  it('validates product numbers, names, groups and duplicates', async () => {
    const api = fresh();
    expect((await api.post('/products', productBody('A'.repeat(25)))).status).toBe(201);
    const long = await api.post('/products', productBody('B'.repeat(26)));
    expect(long.body.errors.productNumber.errors[0].errorCode).toBe('E04010');
    const dup = await api.post('/products', productBody('a'.repeat(25)));
    expect(dup.body.errors.productNumber.errors[0].errorCode).toBe('E06010');
    const missing = await api.post('/products', { productGroup: { productGroupNumber: 9 } });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.errors).sort()).toEqual(['inventory', 'name', 'productGroup', 'productNumber']);
    expect(missing.body.errors.productGroup.errors[0].errorCode).toBe('E06000');
    const noId = await api.post('/products', productBody('C', { productGroup: {} }));
    expect(noId.body.errors.productGroup.errors[0].errorCode).toBe('E04500');
    const noCost = await api.post('/products', productBody('D', { inventory: {} }));
    expect(noCost.body.errors.inventory.recommendedCostPrice.errors[0].errorCode).toBe('E04000');
  });

  it('PUT replaces, keeps stock, cannot renumber; DELETE answers 204', async () => {
    const api = fresh();
    await api.post('/products', productBody('SKU-1', { description: 'Blue', barCode: '123' }));
    await api.control('POST', '/stock', { productNumber: 'SKU-1', delta: 5 });
    const put = await api.put('/products/SKU-1', productBody('SKU-1', { name: 'Renamed' }));
    expect(put.status).toBe(200);
    expect(put.body.name).toBe('Renamed');
    expect(put.body.description).toBeUndefined();
    expect(put.body.inventory.inStock).toBe(5);
    expect((await api.put('/products/SKU-1', productBody('OTHER'))).status).toBe(400);
    expect((await api.delete('/products/SKU-1')).status).toBe(204);
    expect((await api.get('/products/SKU-1')).status).toBe(404);
  });

  it('leaves out inventory when the module is off', async () => {
    const api = fresh();
    await api.control('PATCH', '/agreement', { inventoryModule: false });
    const res = await api.post('/products', { productNumber: 'X', name: 'X', productGroup: { productGroupNumber: 2 }, costPrice: 12 });
    expect(res.status).toBe(201);
    expect(res.body.inventory).toBeUndefined();
    expect(res.body.costPrice).toBe(12);
    const self = await api.get('/self');
    expect(self.body.modules.some((m: any) => m.moduleNumber === 15)).toBe(false);
  });

  it('serves product groups read-only with sales accounts and products', async () => {
    const api = fresh();
    await api.post('/products', productBody('P1'));
    await api.post('/products', productBody('P2', { productGroup: { productGroupNumber: 2 } }));
    const groups = await api.get('/product-groups');
    expect(groups.body.collection.map((g: any) => [g.productGroupNumber, g.name, g.inventoryEnabled ?? false])).toEqual([
      [1, 'Varer m/moms', true],
      [2, 'Varer uden moms', false],
    ]);
    const sales = await api.get('/product-groups/1/sales-accounts');
    expect(sales.body.collection[0]).toEqual(
      expect.objectContaining({ salesAccount: expect.objectContaining({ accountNumber: 1010 }), vatZone: expect.objectContaining({ vatZoneNumber: 1 }) }),
    );
    expect((await api.get('/product-groups/2/products')).body.collection.map((p: any) => p.productNumber)).toEqual(['P2']);
    expect((await api.post('/product-groups', { name: 'x' })).status).toBe(405);
    expect((await api.put('/product-groups/1', { name: 'x' })).status).toBe(405);
  });

  it('manages units (name at most 8 characters)', async () => {
    const api = fresh();
    const created = await api.post('/units', { name: 'kasse' });
    expect(created.status).toBe(201);
    expect(created.body.unitNumber).toBe(2);
    expect((await api.post('/units', { name: 'ninechars' })).body.errors.name.errors[0].errorCode).toBe('E04010');
    expect((await api.put('/units/2', { name: 'kasser' })).body.name).toBe('kasser');
    await api.post('/products', productBody('U', { unit: { unitNumber: 2 } }));
    expect((await api.delete('/units/2')).status).toBe(400);
    expect((await api.get('/units/2/products')).body.collection).toHaveLength(1);
  });

  it('seeds layouts, payment terms, VAT zones, accounts and journals', async () => {
    const api = fresh();
    expect((await api.get('/layouts')).body.collection.map((l: any) => l.layoutNumber)).toEqual([19, 20, 21]);
    const terms = (await api.get('/payment-terms')).body.collection;
    expect(terms.map((t: any) => [t.paymentTermsNumber, t.paymentTermsType, t.daysOfCredit])).toEqual([
      [1, 'net', 8],
      [2, 'net', 14],
      [3, 'net', 0],
      [4, 'invoiceMonth', 30],
      [5, 'net', 30],
    ]);
    const zones = (await api.get('/vat-zones')).body.collection;
    expect(zones.map((z: any) => z.name)).toEqual(['Domestic', 'EU', 'Abroad', 'Domestic exempt VAT']);
    expect(zones[3].enabledForSupplier).toBeUndefined();
    const accounts = (await api.get('/accounts')).body.collection;
    expect(accounts.map((a: any) => a.accountNumber)).toEqual([1010, 1020, 5600, 5820, 5830]);
    expect(accounts[0].vatAccount.vatCode).toBe('U25');
    expect(accounts[4].name).toBe('Webshop mellemregning');
    expect((await api.post('/accounts', {})).status).toBe(405);
    const journals = (await api.get('/journals')).body.collection;
    expect(journals.map((j: any) => [j.journalNumber, j.name])).toEqual([
      [1, 'Daglig'],
      [2, 'Indbetalinger'],
    ]);
    expect(journals[1].settings.entryTypeRestrictedTo).toBe('customerPayment');
    expect(journals[1].settings.contraAccounts.customerPayments.accountNumber).toBe(5820);
    const created = await api.post('/payment-terms', { name: 'Kontant', paymentTermsType: 'paidInCash' });
    expect(created.body.paymentTermsNumber).toBe(6);
    expect((await api.post('/payment-terms', { name: 'x', paymentTermsType: 'whenever' })).status).toBe(400);
  });
});
