import type { Customer } from '@bogholder/economic-client';
import {
  changedFields, countryName, customerKeys, fieldsHash, normaliseCvr, ownedFields, replaceBody, sameCustomer, shopCustomerId, shopCustomerNumber,
} from './customer-fields';

const economicCustomer = (over: Partial<Customer>): Customer =>
  ({
    customerNumber: 10,
    name: 'Jens Hansen',
    currency: 'DKK',
    customerGroup: { customerGroupNumber: 1337 },
    paymentTerms: { paymentTermsNumber: 1 },
    vatZone: { vatZoneNumber: 1 },
    self: 'http://x/customers/10',
    ...over,
  }) as Customer;

describe('customer keys', () => {
  it('recognises a customer by id, then e-mail (lower-cased), then CVR (without a DK prefix)', () => {
    expect(customerKeys({ id: ' 42 ', name: 'A', email: ' Anna@Example.DK ', cvr: 'dk 1234-5678', country: 'DK' })).toEqual([
      { kind: 'id', key: '42' },
      { kind: 'email', key: 'anna@example.dk' },
      { kind: 'cvr', key: '12345678' },
    ]);
  });

  it('falls back to name and address for a guest with no id, e-mail or CVR', () => {
    const keys = customerKeys({ name: ' Jens  Hansen ', address: 'Vestergade 1', zip: '8000', country: 'DK' });
    expect(keys).toEqual([{ kind: 'name', key: 'jens hansen|vestergade 1|8000|dk' }]);
    expect(shopCustomerId({ name: ' Jens Hansen ', country: 'DK' })).toBe('Jens Hansen');
  });

  it('keeps foreign VAT numbers as written', () => {
    expect(normaliseCvr('DE123456789')).toBe('DE123456789');
    expect(normaliseCvr('DK12345678')).toBe('12345678');
  });
});

describe('shop customer numbers', () => {
  it.each([
    ['4711', 4711],
    [4711, 4711],
    ['99999999', 99_999_999],
    [' 00012 ', 12],
  ])('accepts %p', (value, expected) => expect(shopCustomerNumber(value)).toBe(expected));

  it.each([['AB-12'], ['123456789'], [123_456_789], [0], ['0'], [-5], [1.5], [''], [undefined]])('rejects %p', (value) => {
    expect(shopCustomerNumber(value as string | number | undefined)).toBeUndefined();
  });
});

describe('same customer', () => {
  const shop = { name: 'Jens Hansen', email: 'jens@example.dk', cvr: '12345678', country: 'DK' };

  it('decides by e-mail when both have one (any of several addresses)', () => {
    expect(sameCustomer(economicCustomer({ email: 'info@firma.dk JENS@example.dk' }), shop)).toBe(true);
    expect(sameCustomer(economicCustomer({ email: 'other@example.dk', corporateIdentificationNumber: '12345678' }), shop)).toBe(false);
  });

  it('then by CVR, then by name', () => {
    expect(sameCustomer(economicCustomer({ name: 'Firma ApS', corporateIdentificationNumber: 'DK12345678' }), shop)).toBe(true);
    expect(sameCustomer(economicCustomer({ name: 'Firma ApS', corporateIdentificationNumber: '87654321' }), shop)).toBe(false);
    expect(sameCustomer(economicCustomer({ name: ' jens  hansen' }), { name: 'Jens Hansen', country: 'DK' })).toBe(true);
    expect(sameCustomer(economicCustomer({ name: 'Jens Hansen' }), { name: 'Hans Jensen', country: 'DK' })).toBe(false);
  });
});

describe('owned fields', () => {
  it('owns only what the shop sends and notices what it changed', () => {
    const before = ownedFields({ name: 'Jens', address: 'A 1', country: 'dk', country2: 'x' } as never);
    expect(before).toEqual({ name: 'Jens', address: 'A 1', country: 'DK' });
    const now = ownedFields({ name: 'Jens', zip: '8000', country: 'DK', ean: '5798000000001' });
    expect(changedFields(before, now)).toEqual(['zip', 'ean']);
    expect(fieldsHash(before)).not.toBe(fieldsHash(now));
    expect(fieldsHash(ownedFields({ name: 'Jens', address: 'A 1', country: 'DK' }))).toBe(fieldsHash(before));
  });

  it('gives e-conomic the Danish country name', () => {
    expect(countryName('DK')).toBe('Danmark');
    expect(countryName('DE')).toBe('Tyskland');
  });

  it('builds a full-replace body that keeps every field it does not own and drops read-only ones', () => {
    const existing = economicCustomer({ telephoneAndFaxNumber: '12345678', creditLimit: 5000, balance: 99, lastUpdated: '2026-01-01T00:00:00Z', address: 'Old 1' });
    const body = replaceBody(existing, { address: 'New 2' });
    expect(body).toMatchObject({ customerNumber: 10, name: 'Jens Hansen', telephoneAndFaxNumber: '12345678', creditLimit: 5000, address: 'New 2', customerGroup: { customerGroupNumber: 1337 } });
    expect(body).not.toHaveProperty('balance');
    expect(body).not.toHaveProperty('lastUpdated');
    expect(body).not.toHaveProperty('self');
  });
});
