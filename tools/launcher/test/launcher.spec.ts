import { connect } from 'nats';
import { Client } from 'pg';
import { spawn } from 'node:child_process';
import { freePortNear, natsAnswers, natsServerOnPath, portIsOpen, postgresAnswers, PrivateNats } from '../src';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('finding the infrastructure', () => {
  it('tells a working PostgreSQL and NATS from absent ones, with the reason', async () => {
    expect(await postgresAnswers('postgres://postgres@127.0.0.1:5432/bogholder')).toBe(true);
    expect(await natsAnswers('nats://127.0.0.1:4222')).toBe(true);
    const closed = await freePortNear(47000);
    expect(await portIsOpen('127.0.0.1', closed)).toBe(false);
    expect(await postgresAnswers(`postgres://postgres@127.0.0.1:${closed}/x`)).toMatch(/ECONNREFUSED|connect/i);
    expect(await natsAnswers(`nats://127.0.0.1:${closed}`)).toMatch(/CONNECTION_REFUSED|ECONNREFUSED|refused/i);
  });
});

describe('the embedded PostgreSQL npm start falls back to', () => {
  it('serves SQL to several clients at once over the wire protocol', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pglite-test-'));
    // PGlite loads WebAssembly through dynamic import(), which jest's module sandbox refuses: run the
    // built launcher code in a process of its own, as npm start does.
    const script = `require(${JSON.stringify(join(__dirname, '../dist/infrastructure.js'))}).startEmbeddedPostgres(${JSON.stringify(dir)}).then((r) => console.log('URL ' + r.url))`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /URL (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)));
    });
    try {
      const clients = await Promise.all([1, 2, 3].map(async () => {
        const c = new Client({ connectionString: url });
        await c.connect();
        return c;
      }));
      await clients[0]!.query('CREATE SCHEMA IF NOT EXISTS demo; CREATE TABLE IF NOT EXISTS demo.t (n int)');
      await Promise.all(clients.map((c, i) => c.query('INSERT INTO demo.t VALUES ($1)', [i])));
      const { rows } = await clients[2]!.query('SELECT count(*)::int AS n FROM demo.t');
      expect(rows[0].n).toBe(3);
      await Promise.all(clients.map((c) => c.end()));
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a private NATS server for chaos runs', () => {
  it('keeps JetStream data across a crash and restart', async () => {
    const binary = natsServerOnPath() ?? '/usr/sbin/nats-server';
    const nats = await PrivateNats.create(binary, await freePortNear(48222));
    try {
      let nc = await connect({ servers: nats.url });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'KEEP', subjects: ['keep.>'] });
      await nc.jetstream().publish('keep.one', 'x');
      await nc.close();
      await nats.restart();
      nc = await connect({ servers: nats.url });
      const info = await (await nc.jetstreamManager()).streams.info('KEEP');
      expect(info.state.messages).toBe(1);
      await nc.close();
    } finally {
      await nats.destroy();
    }
  });
});
