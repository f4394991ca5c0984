import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

describe('main (npm start)', () => {
  it('starts from env, prints one JSON line, serves health and stops on SIGTERM with exit code 0', async () => {
    const root = join(__dirname, '..');
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const child = spawn(process.execPath, ['-r', join(__dirname, 'support/ts-register.js'), join(root, 'src/main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        ECONOMIC_SANDBOX_PORT: String(port),
        ECONOMIC_SANDBOX_HOST: '127.0.0.1',
        ECONOMIC_APP_SECRET_TOKEN: 'env-secret',
        ECONOMIC_SANDBOX_PUBLIC_URL: 'http://sandbox.test:1234/',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      const started = JSON.parse(line) as { level: string; msg: string; url: string };
      expect(started).toEqual({ level: 'info', msg: 'economic-sandbox listening', url: 'http://sandbox.test:1234' });

      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/__sandbox/health`)).json()).toEqual({ status: 'ok' });
      const token = ((await (await fetch(`${base}/__sandbox/grants`, { method: 'POST' })).json()) as { grantToken: string }).grantToken;
      const self = await fetch(`${base}/self`, { headers: { 'X-AppSecretToken': 'env-secret', 'X-AgreementGrantToken': token } });
      expect(self.status).toBe(200);
      expect(((await self.json()) as { self: string }).self).toBe('http://sandbox.test:1234/self');

      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
