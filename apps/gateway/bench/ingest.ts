/**
 * Signed-webhook ingest benchmark (npm run bench:ingest -w @bogholder/gateway).
 *
 * 1. Starts the built gateway (apps/gateway/dist/main.js) as a child process, NODE_ENV=production,
 *    request logs at info (to a temporary file), its own schema and NATS namespace; creates a shop.
 * 2. Drives signed `order.paid` webhooks for BENCH_SECONDS (30) at a fixed concurrency
 *    (BENCH_CONCURRENCY, 32), each with a unique webhook-id, after a 3 s warm-up.
 * 3. Does the same against the baseline: a bare node:http server doing the same signature check and
 *    JetStream publish (bench/baseline-server.ts), also a child process.
 * 4. Prints throughput (accepted webhooks/s), latency percentiles, error counts and the ratio, and
 *    checks that JetStream holds every accepted webhook.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { deleteNamespaceStreams, dropSchema, freePort, REPO_ROOT, serviceTestEnv, uniqueName } from '@bogholder/testing';
import { drive, LoadResult } from './load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WARMUP_MS = 3000;
const TARGET = { throughput: 1500, p99: 50, ratio: 0.5 };

function webhookBody(): string {
  const order = {
    orderId: 'BENCH-1001',
    orderNumber: 1001,
    currency: 'DKK',
    date: '2026-12-01',
    customer: { id: 'c-77', name: 'Jens Hansen', email: 'jens@example.dk', address: 'Nørregade 1', zip: '1165', city: 'København K', country: 'DK' },
    lines: [
      { sku: 'MUG-1', description: 'Mug, blue', quantity: 2, unitNetPrice: 80, vatRate: 25 },
      { sku: 'TEA-7', description: 'Tea, 100 g', quantity: 1, unitNetPrice: 39.2, discountPercentage: 10, vatRate: 25 },
      { sku: 'BOOK-3', description: 'Cook book', quantity: 1, unitNetPrice: 199, vatRate: 25 },
    ],
    shipping: { description: 'GLS pakkeshop', amount: 39, vatRate: 25 },
  };
  return JSON.stringify({ type: 'order.paid', timestamp: '2026-12-01T10:15:00Z', data: { order, payment: { amount: 626.28, currency: 'DKK', paidAt: '2026-12-01T10:15:00Z', fee: 4.5, gateway: 'quickpay' } } });
}

async function waitFor(check: () => Promise<boolean>, what: string, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${output().slice(-3000)}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms:\n${output().slice(-3000)}`);
}

/**
 * Starts a server. Its stdout (the gateway's request logs, one line per webhook) goes to a file, as
 * with a log file or a log driver: written by the server, but not read by this process, which
 * generates the load.
 */
function start(entry: string, env: Record<string, string>, logFile: string): { child: ChildProcess; output: () => string } {
  let err = '';
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  child.stderr!.on('data', (d: Buffer) => (err += d));
  return { child, output: () => `${readFileSync(logFile, 'utf8').slice(0, 20_000)}${err}` };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function streamMessages(namespace: string): Promise<number> {
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  try {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(`${namespace.toUpperCase().replace(/-/g, '_')}_GATEWAY`);
    return info.state.messages;
  } finally {
    await nc.close();
  }
}

/** CPU counters from /proc (Linux): the machine's busy share and one process's CPU time during the measured window. */
class CpuWindow {
  private machine0 = { idle: 0, total: 0 };
  private process0 = 0;
  machineBusy = NaN;
  processMs = NaN;

  constructor(private readonly pid: number | undefined) {}

  private static machine(): { idle: number; total: number } {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { idle: f[3]! + f[4]!, total: f.reduce((a, b) => a + b, 0) };
  }

  private process(): number {
    const f = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // clock ticks (100/s) → ms
  }

  start(): void {
    try {
      this.machine0 = CpuWindow.machine();
      this.process0 = this.process();
    } catch {
      // not Linux: no CPU figures
    }
  }

  end(): void {
    try {
      const m = CpuWindow.machine();
      this.machineBusy = 100 * (1 - (m.idle - this.machine0.idle) / (m.total - this.machine0.total));
      this.processMs = this.process() - this.process0;
    } catch {
      // not Linux: no CPU figures
    }
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function table(results: LoadResult[], cpu: CpuWindow[]): string {
  const rows = [['', 'accepted/s', 'requests', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'server CPU µs/req', 'machine busy %']];
  results.forEach((r, i) => {
    const errors = Object.entries(r.rejected).map(([s, n]) => `${n}×${s === '0' ? 'no answer' : s}`).join(' ') || '0';
    rows.push([r.label, fmt(r.throughput, 0), String(r.requests), errors, fmt(r.p50), fmt(r.p90), fmt(r.p99), fmt(r.max), fmt((cpu[i]!.processMs * 1000) / r.requests, 0), fmt(cpu[i]!.machineBusy, 0)]);
  });
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const schema = uniqueName('bench_gw');
  const namespace = uniqueName('benchgw');
  const baselineNamespace = uniqueName('benchbase');
  const adminToken = randomBytes(24).toString('base64url');
  const body = webhookBody();
  const logDir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  const results: LoadResult[] = [];
  const cpu: CpuWindow[] = [];
  let gateway: { child: ChildProcess; output: () => string } | undefined;
  let baseline: { child: ChildProcess; output: () => string } | undefined;
  console.log(`signed-webhook ingest: ${SECONDS} s per server after ${WARMUP_MS / 1000} s warm-up, concurrency ${CONCURRENCY}, ${Buffer.byteLength(body)}-byte order.paid bodies`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; load generator, servers, NATS and PostgreSQL share it\n`);
  try {
    // ---- the gateway -------------------------------------------------------------------------
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    gateway = start(join(REPO_ROOT, 'apps/gateway/dist/main.js'), {
      ...serviceTestEnv({ schema, namespace }),
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      GATEWAY_PORT: String(port),
      PUBLIC_URL: url,
      DATABASE_POOL_SIZE: '10',
      ADMIN_TOKEN: adminToken,
      ECONOMIC_APP_SECRET_TOKEN: randomBytes(16).toString('hex'),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    }, join(logDir, 'gateway.log'));
    await waitFor(async () => (await fetch(`${url}/health`)).ok, 'the gateway', gateway.child, gateway.output);
    const created = await fetch(`${url}/api/shops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Benchmark shop' }),
    });
    if (created.status !== 201) throw new Error(`creating the shop answered ${created.status}: ${await created.text()}`);
    const shop = (await created.json()) as { id: string; webhookSecret: string };
    const before = await streamMessages(namespace);
    cpu.push(new CpuWindow(gateway.child.pid));
    results.push(await drive({ label: 'gateway', url, shopId: shop.id, secret: shop.webhookSecret, body, concurrency: CONCURRENCY, durationMs: SECONDS * 1000, warmupMs: WARMUP_MS, window: cpu[0] }));
    const stored = (await streamMessages(namespace)) - before;
    await stop(gateway.child);

    // ---- the baseline ------------------------------------------------------------------------
    const basePort = await freePort();
    baseline = start(join(REPO_ROOT, 'apps/gateway/dist/bench/baseline-server.js'), {
      PORT: String(basePort),
      NATS_NAMESPACE: baselineNamespace,
      SHOP_ID: shop.id,
      WEBHOOK_SECRET: shop.webhookSecret,
    }, join(logDir, 'baseline.log'));
    await waitFor(async () => baseline!.output().includes('listening'), 'the baseline server', baseline.child, baseline.output);
    cpu.push(new CpuWindow(baseline.child.pid));
    results.push(await drive({ label: 'baseline', url: `http://127.0.0.1:${basePort}`, shopId: shop.id, secret: shop.webhookSecret, body, concurrency: CONCURRENCY, durationMs: SECONDS * 1000, warmupMs: WARMUP_MS, window: cpu[1] }));
    await stop(baseline.child);

    // ---- report ------------------------------------------------------------------------------
    const [gw, base] = results as [LoadResult, LoadResult];
    const ratio = gw.throughput / base.throughput;
    console.log(table(results, cpu));
    console.log(`\ngateway / baseline throughput: ${(ratio * 100).toFixed(0)} %`);
    console.log(`JetStream stored ${stored} gateway events (warm-up included) for ${gw.accepted} accepted in the measured window`);
    console.log(`the gateway wrote ${(statSync(join(logDir, 'gateway.log')).size / 1e6).toFixed(1)} MB of request logs (LOG_LEVEL=info)`);
    console.log('server CPU: both threads of the gateway (HTTP + body validation), PostgreSQL and NATS not included; machine busy: all processes, other users\' included (above ~90 % the run was short of CPU)');
    const checks = [
      [`≥ ${TARGET.throughput} accepted/s`, gw.throughput >= TARGET.throughput],
      [`p99 < ${TARGET.p99} ms`, gw.p99 < TARGET.p99],
      [`≥ ${TARGET.ratio * 100} % of baseline`, ratio >= TARGET.ratio],
      ['no errors', Object.keys(gw.rejected).length === 0],
    ] as const;
    console.log(`targets: ${checks.map(([name, ok]) => `${name}: ${ok ? 'met' : 'NOT met'}`).join(', ')}`);
  } finally {
    if (gateway) await stop(gateway.child);
    if (baseline) await stop(baseline.child);
    await dropSchema(schema).catch(() => undefined);
    await deleteNamespaceStreams(namespace).catch(() => undefined);
    await deleteNamespaceStreams(baselineNamespace).catch(() => undefined);
    rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exit(1);
});
