import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');

const PORT_VARIABLE: Record<string, string> = {
  gateway: 'GATEWAY_PORT',
  invoicing: 'INVOICING_PORT',
  customers: 'CUSTOMERS_PORT',
  inventory: 'INVENTORY_PORT',
  'economic-sandbox': 'ECONOMIC_SANDBOX_PORT',
};

/** Ports this process has handed out already (two parallel calls must not get the same one). */
const handedOut = new Set<number>();

/**
 * A port nobody listens on now, chosen below Linux's ephemeral range (32768–60999): a port from that
 * range can be taken by any outgoing connection between this check and the service binding it (or
 * binding it again after a restart), which fails the start with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    // 10000–20999: clear of the chaos run's (21000+) and the soak's (24000+) fixed ports.
    const port = 10_000 + Math.floor(Math.random() * 11_000);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port between 10000 and 20999 on 127.0.0.1');
}

async function canListen(port: number): Promise<boolean> {
  return await new Promise((ok) => {
    const server = createServer();
    server.once('error', () => ok(false));
    server.listen(port, '127.0.0.1', () => server.close(() => ok(true)));
  });
}

export interface ServiceProcess {
  name: string;
  url: string;
  port: number;
  /** Everything the process wrote, for assertions and for debugging a failed test. */
  output(): string;
  /** SIGKILL: no shutdown hooks, like a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
  /** Start the same service again with the same environment and port. */
  restart(): Promise<void>;
  readonly process: ChildProcess;
}

/**
 * Runs a built service (`apps/<name>/dist/main.js`) as a real child process and waits until its
 * `/health` answers 200 — for tests that kill and restart processes.
 */
export async function startServiceProcess(name: keyof typeof PORT_VARIABLE, env: Record<string, string>, options: { port?: number; healthPath?: string; timeoutMs?: number } = {}): Promise<ServiceProcess> {
  const entry = join(REPO_ROOT, 'apps', name, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: build it first (npx turbo run build)`);
  const port = options.port ?? (await freePort());
  const healthPath = options.healthPath ?? (name === 'economic-sandbox' ? '/__sandbox/health' : '/health');
  let child: ChildProcess;
  let log = '';
  const launch = async () => {
    child = spawn(process.execPath, [entry], {
      env: { ...process.env, ...env, [PORT_VARIABLE[name]!]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} while starting:\n${log.slice(-4000)}`);
      const ok = await fetch(`http://127.0.0.1:${port}${healthPath}`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`${name} did not become healthy within ${options.timeoutMs ?? 30_000} ms:\n${log.slice(-4000)}`);
  };
  const exited = () => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
  await launch();
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => log,
    get process() {
      return child;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited();
    },
    async restart() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited();
      }
      await launch();
    },
  };
}
