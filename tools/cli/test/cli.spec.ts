import { parseArgs } from '../src/backfill';
import { table } from '../src/table';

describe('backfill arguments', () => {
  it('names every missing argument and shows the usage', () => {
    expect(() => parseArgs([])).toThrow(/--shop <shop id> is required\n--file <orders.ndjson> is required[\s\S]*usage: npm run backfill/);
    expect(() => parseArgs(['--shop', 's', '--file', 'f', '--concurrency', '0'])).toThrow(/--concurrency must be an integer from 1 to 64/);
  });

  it('resolves the file against the directory npm was started in', () => {
    const o = parseArgs(['--shop', 's1', '--file', 'orders.ndjson'], { INIT_CWD: '/home/me/shop' });
    expect(o).toMatchObject({ shop: 's1', file: '/home/me/shop/orders.ndjson', concurrency: 8, gateway: 'http://127.0.0.1:3000' });
  });
});

describe('table', () => {
  it('aligns columns and cuts long cells', () => {
    const out = table(['order', 'status'], [['A-1', 'booked'], ['A-22', 'x'.repeat(100)]]).split('\n');
    expect(out[0]).toBe('order  status');
    expect(out[2]).toBe('A-1    booked');
    expect(out[3]!.endsWith('…')).toBe(true);
    expect(out[3]!.length).toBe(5 + 2 + 70);
  });
});
