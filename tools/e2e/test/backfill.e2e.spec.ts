/**
 * `npm run backfill`: historical orders through the gateway, interrupted and resumed, ending with a
 * summary — against the real processes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '@bogholder/launcher';
import { ADMIN_TOKEN, connectedShop, E2E, prepareAgreement, startSystem, waitFor } from './harness';

let e2e: E2E;
let shop: Awaited<ReturnType<typeof connectedShop>>;

beforeAll(async () => {
  e2e = await startSystem();
  const agreement = await prepareAgreement(e2e, [{ productNumber: 'MUG' }]);
  shop = await connectedShop(e2e, agreement.agreementNumber, 'Backfill shop');
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
});

function runBackfill(file: string, interruptAtLine?: number, extra: string[] = []): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'tools/cli/dist/backfill.js'), '--shop', shop.id, '--file', file, '--gateway', e2e.gatewayUrl, '--concurrency', '2', ...extra], {
      env: { ...process.env, ADMIN_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    if (interruptAtLine !== undefined) {
      const timer = setInterval(() => {
        const progress = `${file}.progress.json`;
        if (existsSync(progress) && (JSON.parse(readFileSync(progress, 'utf8')) as { nextLine: number }).nextLine >= interruptAtLine) {
          clearInterval(timer);
          child.kill('SIGINT');
        }
      }, 20);
      child.once('exit', () => clearInterval(timer));
    }
    child.once('exit', (code) => resolve({ code, out }));
  });
}

it('sends historical orders, resumes after an interruption, and sums up accepted, duplicates and rejected with reasons', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'backfill-'));
  const file = join(dir, 'orders.ndjson');
  const lines: string[] = [];
  for (let n = 1; n <= 60; n++) {
    const quantity = n === 17 ? -1 : 1;
    lines.push(JSON.stringify({
      type: 'order.paid',
      timestamp: '2026-01-15T10:00:00Z',
      data: {
        order: { orderId: `HIST-${n}`, orderNumber: 20000 + n, currency: 'DKK', date: '2026-01-15', customer: { id: `h${n % 7}`, name: `Old customer ${n % 7}`, country: 'DK' }, lines: [{ sku: 'MUG', description: 'Mug', quantity, unitNetPrice: 100, vatRate: 25 }] },
        payment: { amount: 125, currency: 'DKK', paidAt: '2026-01-15T10:00:00Z' },
      },
    }));
  }
  lines.splice(40, 0, '{ this is not json');
  writeFileSync(file, `${lines.join('\n')}\n`);

  const first = await runBackfill(file, 20);
  expect(first.code).toBe(130);
  expect(first.out).toMatch(/run the same command again to resume/);
  const stoppedAt = JSON.parse(readFileSync(`${file}.progress.json`, 'utf8')).nextLine as number;
  expect(stoppedAt).toBeGreaterThanOrEqual(20);
  expect(stoppedAt).toBeLessThan(61);

  const second = await runBackfill(file);
  expect(second.code).toBe(0);
  expect(second.out).toMatch(new RegExp(`resuming at line ${stoppedAt + 1} of 61`));
  const progress = JSON.parse(readFileSync(`${file}.progress.json`, 'utf8'));
  expect(progress.nextLine).toBe(61);
  expect(progress.accepted + progress.duplicates).toBe(59);
  expect(progress.rejected).toBe(2);
  expect(second.out).toMatch(/rejected\s+2/);
  expect(second.out).toMatch(/data\.order\.lines\[0\]\.quantity/);
  expect(second.out).toMatch(/not JSON/);
  const rejected = readFileSync(`${file}.rejected.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(rejected.map((r) => r.line).sort((a: number, b: number) => a - b)).toEqual([17, 41]);

  // sending the whole file again (--restart) is answered as duplicates: nothing is accepted twice
  const again = await runBackfill(file, undefined, ['--restart']);
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/accepted\s+0\b/);
  expect(again.out).toMatch(/duplicates\s+59\b/);
  const list = await waitFor(async () => {
    const page = await e2e.gateway.call<{ items: any[]; total: number }>('GET', `/api/shops/${shop.id}/transfers?limit=500`);
    return page.total === 59 && page.items.every((t) => t.status === 'booked') ? page : undefined;
  }, '59 booked transfers', 120_000);
  expect(new Set(list.items.map((t) => t.orderId)).size).toBe(59);
});
