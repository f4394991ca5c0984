import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsAnswers, portIsOpen, postgresAnswers } from './infrastructure';

/**
 * Throw-away PostgreSQL and NATS servers owned by one run (the chaos run restarts them at will,
 * which it must never do to the machine's shared servers).
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly bin: string,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/bogholder`;
  }

  static available(): string | null {
    if (!existsSync('/usr/lib/postgresql')) return null;
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb'))) return join('/usr/lib/postgresql', v, 'bin');
    return null;
  }

  static async create(port: number): Promise<PrivatePostgres> {
    const bin = PrivatePostgres.available();
    if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) are not installed');
    const dataDir = mkdtempSync(join(tmpdir(), 'bogholder-pg-'));
    chmodSync(dataDir, 0o777);
    const pg = new PrivatePostgres(port, join(dataDir, 'data'), bin);
    pg.asPostgres(join(bin, 'initdb'), ['-D', pg.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    await pg.start();
    return pg;
  }

  private asPostgres(command: string, args: string[]): void {
    const asRoot = process.getuid?.() === 0;
    execFileSync(asRoot ? 'runuser' : command, asRoot ? ['-u', 'postgres', '--', command, ...args] : args, { stdio: 'ignore' });
  }

  async start(): Promise<void> {
    this.asPostgres(join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-l', `${this.dataDir}.log`, '-w', '-o', `-p ${this.port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`, 'start']);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if ((await postgresAnswers(this.url)) === true) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`private PostgreSQL on port ${this.port} did not start`);
  }

  /** Immediate shutdown: like a crash, in-flight transactions are lost, committed ones survive. */
  stop(mode: 'immediate' | 'fast' = 'immediate'): void {
    try {
      this.asPostgres(join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
    } catch {
      /* already stopped */
    }
  }

  async restart(): Promise<void> {
    this.stop('immediate');
    await this.start();
  }

  destroy(): void {
    this.stop('fast');
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
  }
}

export class PrivateNats {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly storeDir: string,
    private readonly binary: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async create(binary: string, port: number): Promise<PrivateNats> {
    const nats = new PrivateNats(port, mkdtempSync(join(tmpdir(), 'bogholder-nats-')), binary);
    await nats.start();
    return nats;
  }

  async start(): Promise<void> {
    this.child = spawn(this.binary, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if ((await natsAnswers(this.url)) === true) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`private nats-server on port ${this.port} did not start`);
  }

  /** SIGKILL (a crash); JetStream data on disk survives. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGKILL');
    });
    while (await portIsOpen('127.0.0.1', this.port, 200)) await new Promise((r) => setTimeout(r, 50));
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
