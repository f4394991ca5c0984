import { decodeId, encodeId } from '../../src';
import { json, startStub, stubClient } from '../helpers/stub-server';

describe('id encoding', () => {
  it('follows e-conomic’s example', () => {
    expect(encodeId('My Awesome Product_Discount5%')).toBe('My_9_Awesome_9_Product_8_Discount5_3_');
  });

  it('replaces each special character and URL-encodes the rest', () => {
    expect(encodeId('<>*%:&/\\_ ?.#+')).toBe('_0__1__2__3__4__5__6__7__8__9__10__11__12__13_');
    expect(encodeId('SKU-1')).toBe('SKU-1');
    expect(encodeId('Kaffe æøå')).toBe('Kaffe_9_%C3%A6%C3%B8%C3%A5');
    expect(encodeId('a"b')).toBe('a%22b');
  });

  it('round-trips', () => {
    for (const id of ['My Awesome Product_Discount5%', '_1_', 'a/b\\c', 'æ_8_ø', '12.5 kg #3+', 'x?y&z']) {
      expect(decodeId(encodeId(id))).toBe(id);
    }
  });

  it('refuses an empty id', () => {
    expect(() => encodeId('')).toThrow(TypeError);
  });

  it('is used for product paths, and numeric ids are checked', async () => {
    const s = await startStub((_req, res) => json(res, 200, { productNumber: 'x', self: 'x' }));
    try {
      const client = stubClient(s);
      await client.products.get('Coffee 1/2 kg');
      expect(s.requests[0]?.path).toBe('/products/Coffee_9_1_6_2_9_kg');
      await expect(client.customers.get(1.5)).rejects.toThrow(TypeError);
      expect(() => client.customers.contacts(Number.NaN)).toThrow(TypeError);
    } finally {
      await s.close();
    }
  });
});
