/**
 * Drains a backlog of paid orders through the whole system and prints the figures:
 *
 *   npm run bench:backlog -w @bogholder/invoicing      (ORDERS=2000 LIMITED_ORDERS=300 by default;
 *                                                       BENCH_ENV='{"INVOICING_SHOP_CONCURRENCY":"16"}' adds service env)
 *
 * Processes: the e-conomic sandbox, customers and invoicing, each a child process running its built
 * dist, with their own schemas in the test database and one NATS namespace. Run 1: 2,000
 * `shop.order.paid` for returning customers (customer mapping warmed first), sandbox answering at once:
 * orders/s, e-conomic calls per order, peak RSS per process. Run 2: the sandbox's rate limit at
 * 30 requests/s (burst 30) and the services' request budget set to match: orders/s against the
 * 15 orders/s that budget allows, and how many requests were refused with 429 after the first second.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createEnvelope, Order, Subjects, withDefaults } from '@bogholder/contracts';
import { EconomicClient } from '@bogholder/economic-client';
import type { SandboxRequest } from '@bogholder/economic-sandbox';
import { Bus } from '@bogholder/messaging';
import { TokenCipher } from '@bogholder/service-kit';
import {
  deleteNamespaceStreams, dropSchema, ensureDatabase, serviceTestEnv, ServiceProcess, sql, startServiceProcess, TEST_NATS_URL, TEST_TOKEN_ENCRYPTION_KEY, uniqueName,
} from '@bogholder/testing';

const ORDERS = Number(process.env.ORDERS ?? 2000);
const LIMITED_ORDERS = Number(process.env.LIMITED_ORDERS ?? 300);
const CUSTOMERS = 50;
const SKUS = ['KAFFE-1', 'KAFFE-2', 'KOP-1', 'FILTER-1', 'KANDE-1'];

const log = (message: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

/** Peak resident set size of a process in MiB (VmHWM). */
function peakRssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  await ensureDatabase();
  const namespace = uniqueName('bench');
  const invoicingSchema = uniqueName('benchinv');
  const customersSchema = uniqueName('benchcus');
  const shopId = `bench-${randomUUID().slice(0, 8)}`;
  const processes: ServiceProcess[] = [];
  let bus: Bus | null = null;
  const peak = new Map<string, number>();
  const samplePeaks = () => {
    for (const p of processes) {
      // A process that is restarting has no /proc entry for a moment (NaN): keep the peak seen so far.
      const mib = peakRssMiB(p.process.pid);
      if (Number.isFinite(mib)) peak.set(p.name, Math.max(peak.get(p.name) ?? 0, mib));
    }
  };
  const sampler = setInterval(samplePeaks, 500);

  try {
    log('starting the sandbox, customers and invoicing (built dist)');
    const sandbox = await startServiceProcess('economic-sandbox', { LOG_LEVEL: 'silent' });
    processes.push(sandbox);
    const agreement = (await (await fetch(`${sandbox.url}/__sandbox/agreements`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ companyName: 'Bench ApS' }) })).json()) as { agreementNumber: number; grantToken: string };
    const headers = { 'X-AgreementGrantToken': agreement.grantToken, 'Content-Type': 'application/json' };
    const economic = new EconomicClient({ appSecretToken: 'sandbox-app-secret', agreementGrantToken: agreement.grantToken, baseUrl: sandbox.url, budget: false });
    await economic.customerGroups.create({ customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
    for (const sku of SKUS) await economic.products.create({ productNumber: sku, name: sku, productGroup: { productGroupNumber: 1 }, inventory: { recommendedCostPrice: 1 } });

    // Run 1: the sandbox answers at once, without a rate limit, so the services' request budget is lifted too.
    const unlimited = { ECONOMIC_BUDGET_BURST: '1000000', ECONOMIC_BUDGET_REFILL_PER_SECOND: '1000000' };
    const serviceEnv = (schema: string, extra: Record<string, string> = {}) =>
      serviceTestEnv({ schema, namespace, economicApiUrl: sandbox.url, extra: { DATABASE_POOL_SIZE: '10', ...unlimited, ...(process.env.BENCH_ENV ? JSON.parse(process.env.BENCH_ENV) as Record<string, string> : {}), ...extra } });
    const customers = await startServiceProcess('customers', serviceEnv(customersSchema));
    processes.push(customers);
    let invoicing = await startServiceProcess('invoicing', serviceEnv(invoicingSchema));
    processes.push(invoicing);

    bus = await Bus.connect({ servers: TEST_NATS_URL, name: 'invoicing-bench', namespace });
    await bus.ensureStreams();
    const sealed = new TokenCipher(TEST_TOKEN_ENCRYPTION_KEY).encrypt(agreement.grantToken);
    await bus.publish(createEnvelope(Subjects.EconomicConnected, shopId, { agreementNumber: agreement.agreementNumber, companyName: 'Bench ApS', grantTokenEncrypted: sealed }, 'bench-connect'));
    await bus.publish(createEnvelope(Subjects.SettingsUpdated, shopId, withDefaults({}), 'bench-settings'));
    for (const schema of [invoicingSchema, customersSchema]) {
      await until(async () => (await sql(`SELECT 1 FROM "${schema}".shop_config WHERE shop_id = $1 AND connected AND settings IS NOT NULL`, [shopId])).length > 0, 30_000);
    }

    let orderNumber = 100_000;
    const customerOf = (i: number): Order['customer'] => ({ id: `c-${i}`, name: `Kunde ${i}`, email: `kunde${i}@example.dk`, address: 'Vestergade 1', zip: '8000', city: 'Aarhus', country: 'DK' });
    const makeOrder = (customer: number): Order => {
      const n = ++orderNumber;
      return {
        orderId: `B-${n}`, orderNumber: n, currency: 'DKK', date: new Date().toISOString().slice(0, 10), customer: customerOf(customer),
        lines: [
          { sku: SKUS[n % SKUS.length]!, description: 'Kaffe', quantity: 2, unitNetPrice: 100, vatRate: 25 },
          { sku: SKUS[(n + 1) % SKUS.length]!, description: 'Kop', quantity: 1, unitNetPrice: 40, vatRate: 25 },
        ],
      };
    };
    const publishAll = async (orders: Order[]) => {
      for (let i = 0; i < orders.length; i += 200) {
        await Promise.all(orders.slice(i, i + 200).map((order) => {
          const id = `wh_${randomUUID()}`;
          return bus!.publish(createEnvelope(Subjects.ShopOrderPaid, shopId, { order, payment: { amount: 295, currency: 'DKK', paidAt: new Date().toISOString() } }, id, { id }));
        }));
      }
    };
    const bookedCount = async (orders: Order[]) =>
      Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM "${invoicingSchema}".transfers WHERE shop_id = $1 AND status = 'booked' AND order_id = ANY($2::text[])`, [shopId, orders.map((o) => o.orderId)]))[0]!.n);
    const requests = async () => ((await (await fetch(`${sandbox.url}/__sandbox/requests`, { headers })).json()) as { items: SandboxRequest[] }).items;
    const clearRequests = () => fetch(`${sandbox.url}/__sandbox/requests`, { method: 'DELETE', headers });

    async function drain(label: string, orders: Order[], timeoutMs: number): Promise<{ seconds: number; requests: SandboxRequest[]; started: number }> {
      await clearRequests();
      const started = Date.now();
      await publishAll(orders);
      log(`${label}: ${orders.length} orders published in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      let last = -1;
      await until(async () => {
        const n = await bookedCount(orders);
        if (Math.floor(n / 250) !== Math.floor(last / 250)) log(`${label}: ${n}/${orders.length} booked`);
        last = n;
        return n === orders.length;
      }, timeoutMs, 100);
      return { seconds: (Date.now() - started) / 1000, requests: await requests(), started };
    }

    log(`warming up: one order for each of ${CUSTOMERS} customers`);
    const warm = Array.from({ length: CUSTOMERS }, (_, i) => makeOrder(i));
    await drain('warm-up', warm, 60_000);

    const backlog = Array.from({ length: ORDERS }, (_, i) => makeOrder(i % CUSTOMERS));
    const cpuBefore = new Map(processes.map((p) => [p.name, cpuSeconds(p.process.pid)]));
    const loadBefore = loadavg()[0]!;
    const run1 = await drain('run 1 (no rate limit)', backlog, 150_000);
    const cpu1 = new Map(processes.map((p) => [p.name, cpuSeconds(p.process.pid) - (cpuBefore.get(p.name) ?? 0)]));
    samplePeaks();
    const calls1 = run1.requests.length;

    // The services' budget refills at the sandbox's rate; its burst stays a few requests below the sandbox's, so
    // that requests arriving a little bunched up (network and scheduling jitter) still find a token there.
    log('run 2: sandbox rate limit 30/s (burst 30); restarting invoicing with a matching request budget (30/s, burst 25)');
    const budget = { ECONOMIC_BUDGET_BURST: '25', ECONOMIC_BUDGET_REFILL_PER_SECOND: '30' };
    await invoicing.stop();
    processes.splice(processes.indexOf(invoicing), 1);
    invoicing = await startServiceProcess('invoicing', serviceEnv(invoicingSchema, budget));
    processes.push(invoicing);
    await fetch(`${sandbox.url}/__sandbox/rate-limit`, { method: 'PUT', headers, body: JSON.stringify({ burst: 30, refillPerSecond: 30 }) });
    const limited = Array.from({ length: LIMITED_ORDERS }, (_, i) => makeOrder(i % CUSTOMERS));
    const run2 = await drain('run 2 (30 requests/s)', limited, 120_000);
    await fetch(`${sandbox.url}/__sandbox/rate-limit`, { method: 'PUT', headers, body: 'null' });
    samplePeaks();
    const late429 = run2.requests.filter((r) => r.status === 429 && Date.parse(r.at) > run2.started + 1000).length;
    const all429 = run2.requests.filter((r) => r.status === 429).length;
    const rate2 = LIMITED_ORDERS / run2.seconds;

    const rows: [string, string][] = [
      [`run 1: ${ORDERS} paid orders, sandbox unlimited`, ''],
      ['  drain time', `${run1.seconds.toFixed(1)} s`],
      ['  orders per second', (ORDERS / run1.seconds).toFixed(1)],
      ['  e-conomic calls per order', (calls1 / ORDERS).toFixed(3)],
      ['  machine load (1 min) at start', `${loadBefore.toFixed(2)} (other work on these 2 cores slows every figure)`],
      ['  CPU seconds per process', [...cpu1.entries()].map(([name, sec]) => `${name} ${sec.toFixed(1)}`).join(', ')],
      [`run 2: ${LIMITED_ORDERS} paid orders, sandbox 30 req/s (burst 30), budget 30/s (burst 25)`, ''],
      ['  drain time', `${run2.seconds.toFixed(1)} s`],
      ['  orders per second', `${rate2.toFixed(2)} (${((rate2 / 15) * 100).toFixed(0)}% of the 15/s the budget allows)`],
      ['  e-conomic calls per order', (run2.requests.filter((r) => r.status !== 429).length / LIMITED_ORDERS).toFixed(3)],
      ['  429 after the first second', `${late429} (${all429} in total)`],
      ['peak RSS (VmHWM)', ''],
      ...[...peak.entries()].map(([name, mib]): [string, string] => [`  ${name}`, `${mib} MiB`]),
    ];
    const width = Math.max(...rows.map(([k]) => k.length)) + 2;
    process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join('\n')}\n\n`);
  } finally {
    clearInterval(sampler);
    for (const p of processes.reverse()) await p.stop().catch(() => undefined);
    await bus?.close();
    await dropSchema(invoicingSchema).catch(() => undefined);
    await dropSchema(customersSchema).catch(() => undefined);
    await deleteNamespaceStreams(namespace).catch(() => undefined);
  }
}

async function until(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`not done within ${timeoutMs} ms`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
