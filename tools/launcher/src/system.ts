import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { portIsOpen } from './infrastructure';

export const ROOT = resolve(__dirname, '../../..');

export type ServiceName = 'economic-sandbox' | 'customers' | 'invoicing' | 'inventory' | 'gateway';

/** Start order: the sandbox first, the gateway (the public edge) last. */
export const SERVICE_ORDER: ServiceName[] = ['economic-sandbox', 'customers', 'invoicing', 'inventory', 'gateway'];

export const PORT_VARIABLES: Record<ServiceName, string> = {
  'economic-sandbox': 'ECONOMIC_SANDBOX_PORT',
  customers: 'CUSTOMERS_PORT',
  invoicing: 'INVOICING_PORT',
  inventory: 'INVENTORY_PORT',
  gateway: 'GATEWAY_PORT',
};

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  'economic-sandbox': 3900,
  customers: 3002,
  invoicing: 3001,
  inventory: 3003,
  gateway: 3000,
};

const HEALTH: Record<ServiceName, string> = {
  'economic-sandbox': '/__sandbox/health',
  customers: '/health',
  invoicing: '/health',
  inventory: '/health',
  gateway: '/health',
};

export interface SystemOptions {
  ports: Record<ServiceName, number>;
  /** Environment for every process (DATABASE_URL, NATS_URL, …); per-service extras in `perService`. */
  env: Record<string, string>;
  perService?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Where each process's output goes (`<dir>/<service>.log`). */
  logDir: string;
  /** Leave the sandbox out (real e-conomic). */
  withoutSandbox?: boolean;
  onStarted?: (service: ServiceName, url: string) => void;
  /** Called when a process dies on its own (not during stop or a deliberate kill). */
  onUnexpectedExit?: (service: ServiceName, description: string) => void;
  healthTimeoutMs?: number;
}

export interface RunningService {
  name: ServiceName;
  url: string;
  port: number;
  process: ChildProcess;
}

/** The five processes of bogholder, started like `npm start` does; used by `npm start`, the demo, e2e tests and the chaos run. */
export class System {
  readonly services = new Map<ServiceName, RunningService>();
  private readonly expectedExit = new Set<ChildProcess>();
  private stopping = false;

  constructor(readonly options: SystemOptions) {
    mkdirSync(options.logDir, { recursive: true });
  }

  url(name: ServiceName): string {
    return `http://127.0.0.1:${this.options.ports[name]}`;
  }

  logTail(name: ServiceName, lines = 30): string {
    const file = join(this.options.logDir, `${name}.log`);
    if (!existsSync(file)) return '(no output)';
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  async start(): Promise<void> {
    for (const name of SERVICE_ORDER) {
      if (name === 'economic-sandbox' && this.options.withoutSandbox) continue;
      const entry = join(ROOT, 'apps', name, 'dist', 'main.js');
      if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
      if (await portIsOpen('127.0.0.1', this.options.ports[name], 300)) {
        throw new Error(`port ${this.options.ports[name]} (${name}) is already in use: stop whatever runs there (another \`npm start\`?) or set ${PORT_VARIABLES[name]}`);
      }
    }
    for (const name of SERVICE_ORDER) {
      if (name === 'economic-sandbox' && this.options.withoutSandbox) continue;
      await this.startOne(name, 'w');
    }
  }

  /** Starts (or starts again, after `kill`) one service and waits for its /health. */
  async startOne(name: ServiceName, mode: 'w' | 'a' = 'a'): Promise<RunningService> {
    const log: WriteStream = createWriteStream(join(this.options.logDir, `${name}.log`), { flags: mode });
    const port = this.options.ports[name];
    const child = spawn(process.execPath, [join(ROOT, 'apps', name, 'dist', 'main.js')], {
      env: { ...process.env, ...this.options.env, ...this.options.perService?.[name], [PORT_VARIABLES[name]]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const running: RunningService = { name, url: this.url(name), port, process: child };
    this.services.set(name, running);
    child.once('exit', (code, signal) => {
      if (!this.stopping && !this.expectedExit.has(child)) this.options.onUnexpectedExit?.(name, signal ?? `exit ${code}`);
    });
    await this.waitHealthy(name, child);
    this.options.onStarted?.(name, running.url);
    return running;
  }

  /** SIGKILL one service (a crash: no shutdown hooks run). */
  async kill(name: ServiceName): Promise<void> {
    const running = this.services.get(name);
    if (!running) return;
    this.expectedExit.add(running.process);
    await terminate(running.process, 'SIGKILL', 0);
  }

  async restart(name: ServiceName): Promise<void> {
    await this.kill(name);
    await this.startOne(name);
  }

  /** SIGTERM everything (gateway first), SIGKILL what has not exited after 10 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    const order = [...SERVICE_ORDER].reverse();
    for (const name of order) {
      const running = this.services.get(name);
      if (running) await terminate(running.process, 'SIGTERM', 10_000);
    }
  }

  private async waitHealthy(name: ServiceName, child: ChildProcess): Promise<void> {
    const timeoutMs = this.options.healthTimeoutMs ?? 90_000;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${name} exited (${child.signalCode ?? `code ${child.exitCode}`}) while starting. Its last lines (${join(this.options.logDir, name + '.log')}):\n${this.logTail(name)}`);
      }
      const ok = await fetch(`${this.url(name)}${HEALTH[name]}`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${name} did not become healthy within ${timeoutMs / 1000} s. Its last lines:\n${this.logTail(name)}`);
  }
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    const timer = graceMs > 0 ? setTimeout(() => child.kill('SIGKILL'), graceMs) : null;
    child.once('exit', () => {
      if (timer) clearTimeout(timer);
      done();
    });
    child.kill(signal);
  });
}

export const stateDir = (...parts: string[]) => join(ROOT, '.bogholder', ...parts);
