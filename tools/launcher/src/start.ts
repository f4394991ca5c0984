/**
 * `npm start`: brings up the sandbox and the four services (built, not watch mode), waits until every
 * /health is green and prints where to look. Falls back to an embedded PostgreSQL and a local
 * nats-server when none is reachable. Ctrl-C stops everything.
 */
import {
  natsAnswers, natsServerOnPath, postgresAnswers, startEmbeddedPostgres, startNatsServer, Stoppable,
} from './infrastructure';
import { DEFAULT_PORTS, PORT_VARIABLES, SERVICE_ORDER, ServiceName, stateDir, System } from './system';

const env = process.env;
const helpers: Stoppable[] = [];
let system: System | null = null;
let stopping = false;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('\nstopping…');
    await system?.stop();
    for (const h of helpers.reverse()) await h.stop().catch(() => undefined);
    say('stopped.');
  }
  process.exit(code);
}

function ports(): Record<ServiceName, number> {
  const out = { ...DEFAULT_PORTS };
  for (const name of SERVICE_ORDER) {
    const v = env[PORT_VARIABLES[name]];
    if (v && /^\d+$/.test(v)) out[name] = Number(v);
  }
  return out;
}

/** PostgreSQL and NATS: the ones configured, else the local defaults, else embedded / started here. */
async function infrastructure(): Promise<{ databaseUrl: string; natsUrl: string }> {
  let databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bogholder';
  const pg = await postgresAnswers(databaseUrl);
  if (pg !== true) {
    if (env.DATABASE_URL) throw new Error(`PostgreSQL is not reachable at DATABASE_URL (${pg}). Start it, or unset DATABASE_URL to use an embedded one.`);
    say(`PostgreSQL is not reachable on 127.0.0.1:5432 (${pg}); starting an embedded one (PGlite)…`);
    const embedded = await startEmbeddedPostgres(stateDir('pglite'));
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
          (binary
            ? 'Start it, or unset NATS_URL so npm start runs one for you.'
            : 'Install nats-server (Debian/Ubuntu: sudo apt-get install nats-server; macOS: brew install nats-server; ' +
              'or a release from https://github.com/nats-io/nats-server/releases) and run npm start again — it starts one ' +
              'with JetStream for you — or point NATS_URL at a server started with -js.'),
      );
    }
    say(`NATS is not reachable on ${natsUrl}; starting nats-server with JetStream…`);
    const started = await startNatsServer(binary);
    helpers.push(started.handle);
    natsUrl = started.url;
  }
  return { databaseUrl, natsUrl };
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const { databaseUrl, natsUrl } = await infrastructure();
  const p = ports();
  const sandboxUrl = `http://127.0.0.1:${p['economic-sandbox']}`;
  const gatewayUrl = env.PUBLIC_URL ?? `http://127.0.0.1:${p.gateway}`;
  const economicApiUrl = env.ECONOMIC_API_URL ?? sandboxUrl;
  const usingSandbox = economicApiUrl === sandboxUrl;
  const embeddedPg = !databaseUrl.includes(':5432/');
  system = new System({
    ports: p,
    logDir: stateDir('logs'),
    withoutSandbox: !usingSandbox,
    env: {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      ECONOMIC_API_URL: economicApiUrl,
      ECONOMIC_GRANT_URL: env.ECONOMIC_GRANT_URL ?? `${sandboxUrl}/requestaccess.aspx`,
      PUBLIC_URL: gatewayUrl,
      ECONOMIC_SANDBOX_PUBLIC_URL: sandboxUrl,
      // the embedded PostgreSQL multiplexes one backend: keep pools small
      ...(embeddedPg ? { DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE ?? '3' } : {}),
    },
    onStarted: (name, url) => say(`  ${name.padEnd(17)} healthy on ${url}`),
    onUnexpectedExit: (name, how) => {
      say(`\n${name} stopped unexpectedly (${how}). Its last lines:\n${system?.logTail(name)}`);
      void shutdown(1);
    },
  });
  say('starting bogholder…');
  await system.start();

  const adminToken = env.ADMIN_TOKEN ?? 'dev-admin-token';
  say('');
  say('  bogholder is running');
  say(`  gateway        ${gatewayUrl}            (admin API under /api)`);
  say(`  OpenAPI        ${gatewayUrl}/docs`);
  if (usingSandbox) say(`  sandbox page   ${sandboxUrl}/              (the local e-conomic: customers, invoices, stock)`);
  say(`  admin token    ${adminToken}`);
  say(`  logs           ${stateDir('logs')}/<service>.log`);
  say('');
  say('  next: in a second terminal run `npm run demo`, or');
  say(`        curl -H "Authorization: Bearer ${adminToken}" ${gatewayUrl}/api/shops`);
  say('  Ctrl-C stops everything.');
}

main().catch((err: unknown) => {
  say(`\nnpm start failed: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
