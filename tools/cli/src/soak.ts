/**
 * `npm run soak [-- --minutes 10 --rate 20 --shops 4]`: the whole system at a steady rate for a long
 * time, reporting memory (RSS) and open file descriptors per process over time (a leak shows as
 * steady growth), then one shop floods the system while the others keep sending: how long do the
 * others' orders take from webhook to booked invoice, before and during the flood?
 * Prints figures; asserts nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, StringCodec } from 'nats';
import { freePortNear, natsServerOnPath, PrivateNats, PrivatePostgres, ROOT, SERVICE_ORDER, ServiceName, System } from '@bogholder/launcher';
import { approveGrant, GatewayClient } from './gateway-client';
import { table } from './table';

const ADMIN = 'soak-admin-token';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const say = (s = '') => process.stdout.write(`${s}\n`);

function sample(pid: number): { rssMb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  return { rssMb: Math.round(rss), fds: readdirSync(`/proc/${pid}/fd`).length };
}

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function main(): Promise<void> {
  const minutes = arg('minutes', 10);
  const rate = arg('rate', 20);
  const shopCount = arg('shops', 4);
  const floodOrders = arg('flood', 1500);
  const pg = PrivatePostgres.available() ? await PrivatePostgres.create(await freePortNear(26432)) : null;
  const nats = await PrivateNats.create(natsServerOnPath() ?? '/usr/sbin/nats-server', await freePortNear(25222));
  const ports = {} as Record<ServiceName, number>;
  let base = 27000; // below the ephemeral port range, like chaos
  for (const name of SERVICE_ORDER) ports[name] = base = await freePortNear(base + 1);
  const sandboxUrl = `http://127.0.0.1:${ports['economic-sandbox']}`;
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  const system = new System({
    ports,
    logDir: join(ROOT, '.bogholder', 'soak-logs'),
    env: {
      NODE_ENV: 'production', LOG_LEVEL: 'warn', ADMIN_TOKEN: ADMIN, ECONOMIC_APP_SECRET_TOKEN: 'soak-app-secret-7f3a',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      DATABASE_URL: pg?.url ?? 'postgres://postgres@127.0.0.1:5432/bogholder_soak', NATS_URL: nats.url,
      ECONOMIC_API_URL: sandboxUrl, ECONOMIC_GRANT_URL: `${sandboxUrl}/requestaccess.aspx`, ECONOMIC_SANDBOX_PUBLIC_URL: sandboxUrl, PUBLIC_URL: gatewayUrl,
      ECONOMIC_BUDGET_BURST: '100000', ECONOMIC_BUDGET_REFILL_PER_SECOND: '100000',
    },
  });
  const nc = await connect({ servers: nats.url });
  try {
    await system.start();
    const gw = new GatewayClient(gatewayUrl, ADMIN);
    const shops: { id: string; secret: string }[] = [];
    for (let i = 0; i < shopCount; i++) {
      const agreement = (await (await fetch(`${sandboxUrl}/__sandbox/agreements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { agreementNumber: number; grantToken: string };
      const rest = (path: string, body: unknown) => fetch(`${sandboxUrl}${path}`, { method: 'POST', headers: { 'X-AppSecretToken': 'soak-app-secret-7f3a', 'X-AgreementGrantToken': agreement.grantToken, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await rest('/customer-groups', { customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
      await rest('/products', { productNumber: 'A-1', name: 'A', productGroup: { productGroupNumber: 1 }, inventory: { recommendedCostPrice: 0 } });
      const shop = await gw.call<{ id: string; webhookSecret: string }>('POST', '/api/shops', { name: `Soak ${i}` }, [201]);
      const connectRes = await gw.api<{ url: string }>('GET', `/api/shops/${shop.id}/economic/connect`, undefined, { accept: 'application/json' });
      await approveGrant(connectRes.body.url, agreement.agreementNumber);
      shops.push({ id: shop.id, secret: shop.webhookSecret });
    }

    const sentAt = new Map<string, number>();
    const latency = new Map<string, number>();
    const sc = StringCodec();
    nc.subscribe('invoice.booked', {
      callback: (_e, m) => {
        const env = JSON.parse(sc.decode(m.data)) as { shopId: string; data: { orderId: string } };
        const key = `${env.shopId}:${env.data.orderId}`;
        const t0 = sentAt.get(key);
        if (t0 !== undefined && !latency.has(key)) latency.set(key, Date.now() - t0);
      },
    });
    let seq = 0;
    const send = async (shop: { id: string; secret: string }) => {
      const n = ++seq;
      const orderId = `SOAK-${n}`;
      sentAt.set(`${shop.id}:${orderId}`, Date.now());
      const data = {
        order: { orderId, orderNumber: n, currency: 'DKK', date: new Date().toISOString().slice(0, 10), customer: { id: `c${n % 200}`, name: `C ${n % 200}`, email: `c${n % 200}@soak.example`, country: 'DK' }, lines: [{ sku: 'A-1', description: 'A', quantity: 1, unitNetPrice: 100, vatRate: 25 }] },
        payment: { amount: 125, currency: 'DKK', paidAt: new Date().toISOString() },
      };
      for (let i = 0; i < 20; i++) {
        const res = await gw.sendWebhook(shop.id, shop.secret, 'order.paid', data).catch(() => ({ status: 0 }));
        if (res.status === 202) return;
        await sleep(200);
      }
    };

    const samples: { minute: number; name: string; rssMb: number; fds: number }[] = [];
    const takeSample = (minute: number) => {
      for (const [name, s] of system.services) if (s.process.pid) samples.push({ minute, name, ...sample(s.process.pid) });
    };
    say(`steady load: ${rate} orders/s from ${shopCount} shops for ${minutes} min`);
    takeSample(0);
    const started = Date.now();
    let nextSample = started + 60_000;
    while (Date.now() - started < minutes * 60_000) {
      const tick = Date.now();
      await Promise.all(Array.from({ length: rate }, (_, i) => send(shops[i % shops.length]!)));
      if (Date.now() >= nextSample) {
        takeSample(Math.round((Date.now() - started) / 60_000));
        nextSample += 60_000;
      }
      await sleep(Math.max(0, 1000 - (Date.now() - tick)));
    }
    takeSample(minutes);
    const steadyKeys = [...sentAt.keys()];
    await sleep(5000);
    const steadyLatency = steadyKeys.map((k) => latency.get(k)).filter((v): v is number => v !== undefined);

    say(`flood: shop 0 sends ${floodOrders} orders at once while the others keep sending ${rate} orders/s`);
    const before = new Set(sentAt.keys());
    const flood = Promise.all(Array.from({ length: floodOrders }, () => send(shops[0]!)));
    const floodStarted = Date.now();
    while (Date.now() - floodStarted < 30_000) {
      const tick = Date.now();
      await Promise.all(Array.from({ length: rate }, (_, i) => send(shops[1 + (i % (shops.length - 1))]!)));
      await sleep(Math.max(0, 1000 - (Date.now() - tick)));
    }
    await flood;
    await sleep(15_000);
    const duringKeys = [...sentAt.keys()].filter((k) => !before.has(k));
    const others = duringKeys.filter((k) => !k.startsWith(`${shops[0]!.id}:`)).map((k) => latency.get(k)).filter((v): v is number => v !== undefined);
    const flooder = duringKeys.filter((k) => k.startsWith(`${shops[0]!.id}:`)).map((k) => latency.get(k)).filter((v): v is number => v !== undefined);

    say('');
    say('memory and open file descriptors per process (a leak grows steadily):');
    const names = [...new Set(samples.map((s) => s.name))];
    const minutesSampled = [...new Set(samples.map((s) => s.minute))].sort((a, b) => a - b);
    say(table(['minute', ...names.map((n) => `${n} MB/fds`)], minutesSampled.map((m) => [m, ...names.map((n) => {
      const s = samples.find((x) => x.minute === m && x.name === n);
      return s ? `${s.rssMb}/${s.fds}` : '';
    })])));
    say('');
    say(table(['webhook → invoice.booked', 'orders', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], [
      ['steady load', steadyLatency.length, percentile(steadyLatency, 50), percentile(steadyLatency, 90), percentile(steadyLatency, 99), Math.max(...steadyLatency)],
      ['other shops during the flood', others.length, percentile(others, 50), percentile(others, 90), percentile(others, 99), Math.max(...others)],
      ['the flooding shop', flooder.length, percentile(flooder, 50), percentile(flooder, 90), percentile(flooder, 99), Math.max(...flooder)],
    ]));
    say(`orders sent ${sentAt.size}, booked ${latency.size}`);
  } finally {
    await nc.close();
    await system.stop();
    await nats.destroy();
    pg?.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
