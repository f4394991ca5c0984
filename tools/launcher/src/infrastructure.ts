import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as natsConnect } from 'nats';
import { Client } from 'pg';

export interface Stoppable {
  description: string;
  stop(): Promise<void>;
}

export async function portIsOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function freePortNear(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 50; port++) if (!(await portIsOpen('127.0.0.1', port, 300))) return port;
  throw new Error(`no free port near ${preferred}`);
}

/** PostgreSQL answers at `url`: true, or the reason it does not. */
export async function postgresAnswers(url: string): Promise<true | string> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * No PostgreSQL reachable: serve an embedded one (PGlite) over the PostgreSQL wire protocol, with a
 * connection multiplexer so each service can hold a small pool. Data lives in `.bogholder/pglite`.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<{ url: string; handle: Stoppable }> {
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dataDir);
  const port = await freePortNear(54329);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 100 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    handle: {
      description: `embedded PostgreSQL (PGlite) on 127.0.0.1:${port}, data in ${dataDir}`,
      async stop() {
        await server.stop();
        await db.close();
      },
    },
  };
}

/** NATS answers at `url` with JetStream enabled: true, or the reason it does not. */
export async function natsAnswers(url: string): Promise<true | string> {
  try {
    const nc = await natsConnect({ servers: url, timeout: 3000, reconnect: false });
    try {
      const jsm = await nc.jetstreamManager({ timeout: 3000 });
      await jsm.getAccountInfo();
      return true;
    } catch (err) {
      return `NATS answers but JetStream is not enabled (${(err as Error).message}): start nats-server with -js`;
    } finally {
      await nc.close();
    }
  } catch (err) {
    return (err as Error).message;
  }
}

export function natsServerOnPath(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : null;
}

/** Starts a throw-away nats-server with JetStream in a temp directory. */
export async function startNatsServer(binary: string): Promise<{ url: string; handle: Stoppable }> {
  const port = await freePortNear(4222);
  const storeDir = mkdtempSync(join(tmpdir(), 'bogholder-nats-'));
  const child: ChildProcess = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: 'ignore' });
  const url = `nats://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await natsAnswers(url)) === true) {
      return {
        url,
        handle: {
          description: `nats-server with JetStream on ${url} (store ${storeDir})`,
          async stop() {
            child.kill('SIGTERM');
            await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
          },
        },
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`nats-server did not start on ${url}`);
}
