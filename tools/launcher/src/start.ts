/**
 * `npm start`: brings up the sandbox and the four services (built, not watch mode), waits until every
 * /health is green and prints where to look. Falls back to an embedded PostgreSQL and a local
 * nats-server when none is reachable. Ctrl-C stops everything.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  natsAnswers, natsServerOnPath, portIsOpen, postgresAnswers, startEmbeddedPostgres, startNatsServer, Stoppable,
} from './infrastructure';

const ROOT = resolve(__dirname, '../../..');
const STATE_DIR = join(ROOT, '.bogholder');
const LOG_DIR = join(STATE_DIR, 'logs');

interface Service {
  name: string;
  portVar: string;
  port: number;
  health: string;
}

const env = process.env;
const num = (v: string | undefined, d: number) => (v && /^\d+$/.test(v) ? Number(v) : d);
const SERVICES: Service[] = [
  { name: 'economic-sandbox', portVar: 'ECONOMIC_SANDBOX_PORT', port: num(env.ECONOMIC_SANDBOX_PORT, 3900), health: '/__sandbox/health' },
  { name: 'customers', portVar: 'CUSTOMERS_PORT', port: num(env.CUSTOMERS_PORT, 3002), health: '/health' },
  { name: 'invoicing', portVar: 'INVOICING_PORT', port: num(env.INVOICING_PORT, 3001), health: '/health' },
  { name: 'inventory', portVar: 'INVENTORY_PORT', port: num(env.INVENTORY_PORT, 3003), health: '/health' },
  { name: 'gateway', portVar: 'GATEWAY_PORT', port: num(env.GATEWAY_PORT, 3000), health: '/health' },
];

const helpers: Stoppable[] = [];
const children = new Map<string, ChildProcess>();
let stopping = false;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function tail(name: string, lines = 25): string {
  const file = join(LOG_DIR, `${name}.log`);
  if (!existsSync(file)) return '(no output)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('\nstopping…');
    await Promise.all(
      [...children.entries()].reverse().map(
        ([, child]) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const h of helpers.reverse()) await h.stop().catch(() => undefined);
    say('stopped.');
  }
  process.exit(code);
}

async function waitHealthy(service: Service, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${service.name} exited with code ${child.exitCode} while starting. Its last lines (${join(LOG_DIR, service.name + '.log')}):\n${tail(service.name)}`);
    const ok = await fetch(`http://127.0.0.1:${service.port}${service.health}`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} did not become healthy within ${timeoutMs / 1000} s. Its last lines:\n${tail(service.name)}`);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  mkdirSync(LOG_DIR, { recursive: true });

  for (const s of SERVICES) {
    const entry = join(ROOT, 'apps', s.name, 'dist', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm start does it for you through turbo)`);
    if (await portIsOpen('127.0.0.1', s.port, 300)) {
      throw new Error(`port ${s.port} (${s.name}) is already in use: stop whatever runs there (another \`npm start\`?) or set ${s.portVar}`);
    }
  }

  let databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bogholder';
  const pg = await postgresAnswers(databaseUrl);
  if (pg !== true) {
    if (env.DATABASE_URL) throw new Error(`PostgreSQL is not reachable at DATABASE_URL (${pg}). Start it or unset DATABASE_URL to use the embedded one.`);
    say(`PostgreSQL is not reachable on 127.0.0.1:5432 (${pg}); starting an embedded one (PGlite)…`);
    const embedded = await startEmbeddedPostgres(join(STATE_DIR, 'pglite'));
    helpers.push(embedded.handle);
    databaseUrl = embedded.url;
  }

  let natsUrl = env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const nats = await natsAnswers(natsUrl);
  if (nats !== true) {
    const binary = natsServerOnPath();
    if (env.NATS_URL || !binary) {
      throw new Error(
        `NATS with JetStream is not reachable at ${natsUrl} (${nats}).\n` +
          (binary ? 'Start it, or unset NATS_URL so npm start runs one for you.' :
            'Install nats-server (Debian/Ubuntu: sudo apt-get install nats-server; macOS: brew install nats-server; or https://github.com/nats-io/nats-server/releases) and run npm start again — it starts one with JetStream for you — or point NATS_URL at a server started with -js.'),
      );
    }
    say(`NATS is not reachable on ${natsUrl}; starting nats-server with JetStream…`);
    const started = await startNatsServer(binary);
    helpers.push(started.handle);
    natsUrl = started.url;
  }

  const sandbox = SERVICES[0]!;
  const gateway = SERVICES[SERVICES.length - 1]!;
  const sandboxUrl = `http://127.0.0.1:${sandbox.port}`;
  const gatewayUrl = env.PUBLIC_URL ?? `http://127.0.0.1:${gateway.port}`;
  const shared: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    ECONOMIC_API_URL: env.ECONOMIC_API_URL ?? sandboxUrl,
    ECONOMIC_GRANT_URL: env.ECONOMIC_GRANT_URL ?? `${sandboxUrl}/requestaccess.aspx`,
    PUBLIC_URL: gatewayUrl,
    ECONOMIC_SANDBOX_PUBLIC_URL: sandboxUrl,
    // pglite multiplexes one backend: keep pools small
    ...(databaseUrl.includes(':5432/') ? {} : { DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE ?? '3' }),
  };
  const usingSandbox = shared.ECONOMIC_API_URL === sandboxUrl;

  for (const s of SERVICES) {
    if (s === sandbox && !usingSandbox) continue;
    const log = createWriteStream(join(LOG_DIR, `${s.name}.log`), { flags: 'w' });
    const child = spawn(process.execPath, [join(ROOT, 'apps', s.name, 'dist', 'main.js')], {
      env: { ...env, ...shared, [s.portVar]: String(s.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    children.set(s.name, child);
    child.once('exit', (code, signal) => {
      if (!stopping) {
        say(`\n${s.name} stopped unexpectedly (${signal ?? `exit ${code}`}). Its last lines:\n${tail(s.name)}`);
        void shutdown(1);
      }
    });
    process.stdout.write(`starting ${s.name.padEnd(17)}`);
    await waitHealthy(s, child);
    say(`healthy on http://127.0.0.1:${s.port}`);
  }

  const adminToken = env.ADMIN_TOKEN ?? 'dev-admin-token';
  say('');
  say('  bogholder is running');
  say(`  gateway        ${gatewayUrl}            (admin API under /api)`);
  say(`  OpenAPI        ${gatewayUrl}/docs`);
  if (usingSandbox) say(`  sandbox page   ${sandboxUrl}/              (the local e-conomic: customers, invoices, stock)`);
  say(`  admin token    ${adminToken}`);
  say(`  logs           ${LOG_DIR}/<service>.log`);
  say('');
  say('  next: in a second terminal run `npm run demo`, or');
  say(`        curl -H "Authorization: Bearer ${adminToken}" ${gatewayUrl}/api/shops`);
  say('  Ctrl-C stops everything.');
}

main().catch((err: unknown) => {
  say(`\nnpm start failed: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
