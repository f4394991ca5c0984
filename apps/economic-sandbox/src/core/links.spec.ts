import { decodeId, encodeId } from './links';
import { round2, hasAtMostTwoDecimals } from './money';

describe('id encoding', () => {
  it('encodes like economic-api.md §3.5', () => {
    expect(encodeId('My Awesome Product_Discount5%')).toBe('My_9_Awesome_9_Product_8_Discount5_3_');
    expect(encodeId('<>*%:&/\\_ ?.#+')).toBe('_0__1__2__3__4__5__6__7__8__9__10__11__12__13_');
    expect(encodeId('æ"')).toBe('%C3%A6%22');
  });

  it('decodes what it encodes, also ids that contain tokens', () => {
    for (const id of ['My Awesome Product_Discount5%', '_9_', 'a_b', '1_', '>_', 'x/y.z', 'æøå', '100%']) {
      expect(decodeId(encodeId(id))).toBe(id);
    }
  });
});

describe('money', () => {
  it('rounds half away from zero without floating-point surprises', () => {
    expect(round2(1.23 * 1.12)).toBe(1.38);
    expect(round2(1.005)).toBe(1.01);
    expect(round2(-1.005)).toBe(-1.01);
    expect(round2(-0.001)).toBe(0);
  });

  it('counts decimals', () => {
    expect(hasAtMostTwoDecimals(10.12)).toBe(true);
    expect(hasAtMostTwoDecimals(1.1 + 2.2)).toBe(false);
    expect(hasAtMostTwoDecimals(10.123)).toBe(false);
  });
});
