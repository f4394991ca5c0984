/**
 * `npm run chaos [-- --seconds 120 --rate 12 --shops 3]`: the whole system under a steady stream of
 * signed orders from several shops while services are SIGKILLed and restarted, NATS and PostgreSQL
 * are restarted, and the sandbox injects faults (500, 429, timeout, drop-after-commit) at 30%. At the
 * end it reads the sandbox's books and checks: every accepted order has exactly one document, none
 * has two, every payment is posted once, every transfer is booked or parked with a reason.
 *
 * Everything runs on loopback with its own PostgreSQL and NATS servers (so restarting them disturbs
 * nothing else on the machine).
 */
import { join } from 'node:path';
import { seededRandom } from '@bogholder/economic-sandbox';
import {
  freePortNear, natsServerOnPath, PrivateNats, PrivatePostgres, ROOT, SERVICE_ORDER, ServiceName, System,
} from '@bogholder/launcher';
import { approveGrant, GatewayClient } from './gateway-client';
import { table } from './table';

export interface ChaosOptions {
  seconds: number;
  /** Orders per second across all shops. */
  rate: number;
  shops: number;
  faultRate: number;
  /** Seconds between chaos actions (random within the range). */
  chaosEvery: [number, number];
  seed: number;
  log: (line: string) => void;
}

export interface ChaosReport {
  accepted: number;
  rejected: number;
  booked: number;
  parked: number;
  unfinished: number;
  lost: number;
  duplicated: number;
  paymentsExpected: number;
  paymentsPosted: number;
  paymentsDuplicated: number;
  actions: Record<string, number>;
  problems: string[];
}

const ADMIN = 'chaos-admin-token';
const APP_SECRET = 'sandbox-app-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


interface Shop {
  id: string;
  secret: string;
  agreementNumber: number;
  grantToken: string;
  mode: 'book' | 'bookWithNumber';
}

interface SentOrder {
  shop: Shop;
  orderId: string;
  webhookId: string;
  accepted: boolean;
  gross: number;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log;
  // Deterministic, so a failing run can be repeated with its seed.
  const random = seededRandom(options.seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const actions: Record<string, number> = {};
  const count = (a: string) => (actions[a] = (actions[a] ?? 0) + 1);

  // ---- infrastructure of our own -------------------------------------------------------------
  const natsBinary = natsServerOnPath() ?? '/usr/sbin/nats-server';
  const pg = PrivatePostgres.available() ? await PrivatePostgres.create(await freePortNear(25432)) : null;
  const nats = await PrivateNats.create(natsBinary, await freePortNear(24222));
  if (!pg) log('PostgreSQL server binaries not found: using DATABASE_URL and skipping PostgreSQL restarts');
  const databaseUrl = pg?.url ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bogholder_chaos';

  const ports = {} as Record<ServiceName, number>;
  // Below Linux's ephemeral range (32768–60999): processes are killed and bound again and again here,
  // and a port in that range can meanwhile be taken by any outgoing connection (EADDRINUSE).
  let base = 21000 + Math.floor(random() * 1000);
  for (const name of SERVICE_ORDER) ports[name] = base = await freePortNear(base + 1);
  const sandboxUrl = `http://127.0.0.1:${ports['economic-sandbox']}`;
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  const system = new System({
    ports,
    logDir: join(ROOT, '.bogholder', 'chaos-logs', String(options.seed)),
    env: {
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '5',
      NATS_URL: nats.url,
      ECONOMIC_API_URL: sandboxUrl,
      ECONOMIC_GRANT_URL: `${sandboxUrl}/requestaccess.aspx`,
      ECONOMIC_SANDBOX_PUBLIC_URL: sandboxUrl,
      ECONOMIC_TIMEOUT_MS: '4000',
      INVOICING_UNCERTAIN_LOOKUP_DELAY_MS: '6000',
      PUBLIC_URL: gatewayUrl,
      ADMIN_TOKEN: ADMIN,
    },
  });
  const gw = new GatewayClient(gatewayUrl, ADMIN);
  const sent: SentOrder[] = [];
  let running = true;
  try {
    log(`starting the system (PostgreSQL ${pg ? 'private' : 'shared'}, NATS private on ${nats.url})…`);
    await system.start();

    // ---- shops -------------------------------------------------------------------------------
    const shops: Shop[] = [];
    for (let i = 0; i < options.shops; i++) {
      const agreement = (await (await fetch(`${sandboxUrl}/__sandbox/agreements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ companyName: `Chaos shop ${i + 1} ApS` }) })).json()) as { agreementNumber: number; grantToken: string };
      const rest = (method: string, path: string, body?: unknown) =>
        fetch(`${sandboxUrl}${path}`, { method, headers: { 'X-AppSecretToken': APP_SECRET, 'X-AgreementGrantToken': agreement.grantToken, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      await rest('POST', '/customer-groups', { customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
      for (const sku of ['A-1', 'B-2', 'C-3']) await rest('POST', '/products', { productNumber: sku, name: sku, productGroup: { productGroupNumber: 1 }, inventory: { recommendedCostPrice: 0 } });
      const shop = await gw.call<{ id: string; webhookSecret: string }>('POST', '/api/shops', { name: `Chaos shop ${i + 1}` }, [201]);
      const connect = await gw.api<{ url: string }>('GET', `/api/shops/${shop.id}/economic/connect`, undefined, { accept: 'application/json' });
      const page = await approveGrant(connect.body.url, agreement.agreementNumber);
      if (!/connected/i.test(page.html)) throw new Error(`could not connect chaos shop ${i + 1}: ${page.html.slice(0, 200)}`);
      const mode = i % 2 === 0 ? 'book' : 'bookWithNumber';
      await gw.call('PUT', `/api/shops/${shop.id}/settings`, { bookingMode: mode, invoiceNumberOffset: 100000, postPayments: true, paymentJournalNumber: 2, postingAccountNumber: 5830 });
      shops.push({ id: shop.id, secret: shop.webhookSecret, agreementNumber: agreement.agreementNumber, grantToken: agreement.grantToken, mode });
    }
    log(`${shops.length} shops connected; load ${options.rate} orders/s for ${options.seconds} s, faults at ${Math.round(options.faultRate * 100)}%`);

    const setFaults = async (rate: number) => {
      for (const s of shops) {
        await fetch(`${sandboxUrl}/__sandbox/faults`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'X-AgreementGrantToken': s.grantToken },
          body: JSON.stringify({ rate, kinds: ['500', '429', 'timeout', 'drop-after-commit'], seed: options.seed, holdMs: 5000 }),
        });
      }
    };
    await setFaults(options.faultRate);

    // ---- load: signed orders, retried with the same webhook id until accepted -----------------
    let orderSeq = 0;
    const inFlight = new Set<Promise<void>>();
    const deliver = async (order: SentOrder, type: string, data: unknown) => {
      for (let attempt = 0; attempt < 400; attempt++) {
        const res = await gw.sendWebhook(order.shop.id, order.shop.secret, type, data, { id: type === 'order.paid' ? order.webhookId : `${order.webhookId}-${type}` }).catch(() => ({ status: 0, body: null }));
        if (res.status === 202 || (res.status === 200 && res.body?.duplicate)) {
          if (type === 'order.paid') order.accepted = true;
          return;
        }
        if (res.status >= 400 && res.status < 500) {
          log(`rejected ${order.orderId}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          return;
        }
        await sleep(Math.min(200 * 2 ** Math.min(attempt, 5), 5000));
      }
    };
    const generator = (async () => {
      const started = Date.now();
      while (running && Date.now() - started < options.seconds * 1000) {
        const shop = shops[orderSeq % shops.length]!;
        const n = ++orderSeq;
        const qty = 1 + Math.floor(random() * 3);
        const price = 50 + Math.floor(random() * 200);
        const gross = Math.round(qty * price * 1.25 * 100) / 100;
        const order: SentOrder = { shop, orderId: `CH-${n}`, webhookId: `msg_chaos_${options.seed}_${n}`, accepted: false, gross };
        sent.push(order);
        const data = {
          order: {
            orderId: order.orderId, orderNumber: n, currency: 'DKK', date: new Date().toISOString().slice(0, 10),
            customer: { id: `c-${n % 40}`, name: `Customer ${n % 40}`, email: `c${n % 40}@chaos.example`, country: 'DK' },
            lines: [{ sku: pick(['A-1', 'B-2', 'C-3']), description: 'Item', quantity: qty, unitNetPrice: price, vatRate: 25 }],
          },
          payment: { amount: gross, currency: 'DKK', paidAt: new Date().toISOString() },
        };
        const p = deliver(order, 'order.paid', data).then(async () => {
          if (random() < 0.1) await deliver(order, 'order.paid', data); // a shop retrying a delivered webhook
        });
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        await sleep(1000 / options.rate);
      }
    })();

    // ---- chaos ----------------------------------------------------------------------------------
    const killable: ServiceName[] = ['gateway', 'invoicing', 'customers', 'inventory'];
    const chaos = (async () => {
      const started = Date.now();
      while (running && Date.now() - started < options.seconds * 1000) {
        const [lo, hi] = options.chaosEvery;
        await sleep((lo + random() * (hi - lo)) * 1000);
        if (!running || Date.now() - started >= options.seconds * 1000) break;
        const roll = random();
        try {
          if (roll < 0.6) {
            const victim = pick(killable);
            count(`kill ${victim}`);
            await system.kill(victim);
            await sleep(300 + random() * 1500);
            await system.startOne(victim);
          } else if (roll < 0.8) {
            count('restart NATS');
            await nats.restart();
          } else if (pg) {
            count('restart PostgreSQL');
            await pg.restart();
          }
        } catch (err) {
          log(`chaos action failed: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    })();

    await Promise.all([generator, chaos]);
    running = false;
    log(`load done: ${sent.length} orders sent; waiting for deliveries to finish…`);
    await Promise.all([...inFlight]);
    await setFaults(0);
    // every service up (a chaos action may have left one starting)
    for (const name of killable) if (!(await fetch(`${system.url(name)}/health`).then((r) => r.ok, () => false))) await system.startOne(name);

    // ---- settle: wait until nothing is in flight, nudging failed transfers ----------------------
    const accepted = sent.filter((o) => o.accepted);
    const deadline = Date.now() + 240_000;
    let states: Map<string, any> = new Map();
    for (;;) {
      states = new Map();
      for (const shop of shops) {
        for (let offset = 0; ; offset += 500) {
          const page = await gw.call<{ items: any[]; total: number }>('GET', `/api/shops/${shop.id}/transfers?limit=500&offset=${offset}`);
          for (const t of page.items) states.set(`${shop.id}:${t.orderId}`, t);
          if (offset + 500 >= page.total) break;
        }
      }
      const open = accepted.filter((o) => {
        const t = states.get(`${o.shop.id}:${o.orderId}`);
        return !t || !['booked', 'parked'].includes(t.status) || (t.payments ?? []).some((p: any) => !['posted', 'parked', 'skipped'].includes(p.status));
      });
      if (!open.length || Date.now() > deadline) break;
      for (const o of open) {
        const t = states.get(`${o.shop.id}:${o.orderId}`);
        if (t && (t.status === 'failed' || (t.payments ?? []).some((p: any) => p.status === 'failed'))) {
          await gw.api('POST', `/api/shops/${o.shop.id}/transfers/${o.orderId}/retry`).catch(() => undefined);
        }
      }
      await sleep(2000);
    }

    // ---- the books ------------------------------------------------------------------------------
    const problems: string[] = [];
    const documents = new Map<string, number>();
    const payments = new Map<string, number>();
    for (const shop of shops) {
      const state = (await (await fetch(`${sandboxUrl}/__sandbox/state`, { headers: { 'X-AgreementGrantToken': shop.grantToken } })).json()) as any;
      for (const doc of [...(state.drafts ?? []), ...(state.booked ?? [])]) {
        const ref = doc.references?.other as string | undefined;
        if (ref?.startsWith('bogholder:')) documents.set(ref, (documents.get(ref) ?? 0) + 1);
      }
      for (const voucher of state.vouchers ?? []) {
        for (const entry of voucher.entries?.customerPayments ?? []) {
          const text = entry.text as string | undefined;
          if (text?.startsWith('bogholder:')) payments.set(text, (payments.get(text) ?? 0) + 1);
        }
      }
    }
    let booked = 0;
    let parked = 0;
    let unfinished = 0;
    let lost = 0;
    let duplicated = 0;
    let paymentsPosted = 0;
    let paymentsDuplicated = 0;
    for (const o of accepted) {
      const t = states.get(`${o.shop.id}:${o.orderId}`);
      const docs = documents.get(`bogholder:${o.shop.id}:${o.orderId}`) ?? 0;
      const paid = [...payments.entries()].filter(([text]) => text.startsWith(`bogholder:${o.shop.id}:${o.orderId}:payment`)).reduce((n, [, c]) => n + c, 0);
      if (t?.status === 'booked') booked++;
      else if (t?.status === 'parked') {
        parked++;
        if (!t.lastError?.message) problems.push(`${o.orderId} is parked without a reason`);
      } else {
        unfinished++;
        problems.push(`${o.orderId} ended as ${t?.status ?? 'unknown to invoicing'}`);
      }
      if (docs === 0 && t?.status !== 'parked') {
        lost++;
        problems.push(`${o.orderId} was accepted but has no document in e-conomic`);
      }
      if (docs > 1) {
        duplicated++;
        problems.push(`${o.orderId} has ${docs} documents in e-conomic`);
      }
      if (paid > 0) paymentsPosted++;
      if (paid > 1) {
        paymentsDuplicated++;
        problems.push(`${o.orderId}'s payment was posted ${paid} times`);
      }
      if (t?.status === 'booked' && paid === 0) problems.push(`${o.orderId} is booked but its payment was not posted`);
    }
    return {
      accepted: accepted.length,
      rejected: sent.length - accepted.length,
      booked,
      parked,
      unfinished,
      lost,
      duplicated,
      paymentsExpected: booked,
      paymentsPosted,
      paymentsDuplicated,
      actions,
      problems,
    };
  } finally {
    running = false;
    await system.stop().catch(() => undefined);
    await nats.destroy().catch(() => undefined);
    pg?.destroy();
  }
}

export function printReport(r: ChaosReport, out: (s: string) => void): void {
  out('');
  out(table(['', 'count'], [
    ['orders accepted by the gateway', r.accepted],
    ['orders never accepted', r.rejected],
    ['booked', r.booked],
    ['parked (with a reason)', r.parked],
    ['not finished', r.unfinished],
    ['LOST (accepted, no document)', r.lost],
    ['DUPLICATED (more than one document)', r.duplicated],
    ['payments posted', `${r.paymentsPosted} of ${r.paymentsExpected}`],
    ['payments posted twice', r.paymentsDuplicated],
  ]));
  out('');
  out(`chaos actions: ${Object.entries(r.actions).map(([a, n]) => `${a} ×${n}`).join(', ') || 'none'}`);
  if (r.problems.length) {
    out(`\n${r.problems.length} problem(s):`);
    for (const p of r.problems.slice(0, 30)) out(`  - ${p}`);
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (require.main === module) {
  const options: ChaosOptions = {
    seconds: arg('seconds', 120),
    rate: arg('rate', 12),
    shops: arg('shops', 3),
    faultRate: arg('faults', 0.3),
    chaosEvery: [arg('chaos-min', 4), arg('chaos-max', 9)],
    seed: arg('seed', Date.now() % 100000),
    log: (s) => process.stdout.write(`${s}\n`),
  };
  options.log(`chaos run, seed ${options.seed} (repeat with --seed ${options.seed})`);
  runChaos(options)
    .then((report) => {
      printReport(report, options.log);
      const ok = report.lost === 0 && report.duplicated === 0 && report.paymentsDuplicated === 0 && report.unfinished === 0;
      options.log(ok ? '\nOK: zero lost, zero duplicated.' : '\nFAILED.');
      process.exit(ok ? 0 : 1);
    })
    .catch((err: unknown) => {
      process.stderr.write(`chaos run failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
