import { ensureDatabase, eventually, sql, startServiceProcess, uniqueName } from '../src';

describe('test helpers', () => {
  it('makes unique names that are valid schema and stream identifiers', () => {
    const names = new Set(Array.from({ length: 200 }, () => uniqueName('t')));
    expect(names.size).toBe(200);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('creates the test database once even when several files race for it', async () => {
    await Promise.all([ensureDatabase(), ensureDatabase(), ensureDatabase()]);
    expect(await sql('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('waits for a condition and says so when it never comes', async () => {
    let n = 0;
    await expect(eventually(() => ++n >= 3, 2000, 10)).resolves.toBe(true);
    await expect(eventually(() => false, 100, 10)).rejects.toThrow('condition not met within 100 ms');
  });

  it('runs a built service as a process that can be killed and restarted', async () => {
    const sandbox = await startServiceProcess('economic-sandbox', {});
    try {
      expect((await fetch(`${sandbox.url}/__sandbox/health`)).status).toBe(200);
      await sandbox.kill();
      await expect(fetch(`${sandbox.url}/__sandbox/health`)).rejects.toThrow();
      await sandbox.restart();
      expect((await fetch(`${sandbox.url}/__sandbox/health`)).status).toBe(200);
    } finally {
      await sandbox.stop();
    }
  });
});
