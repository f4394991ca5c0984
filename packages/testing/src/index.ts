import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connect } from 'nats';

/**
 * Test infrastructure: every test file gets its own PostgreSQL schema and its own NATS namespace
 * (subjects, streams and consumers prefixed), so files run in parallel against the real servers
 * without seeing each other.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bogholder_test';
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
/** The key tests encrypt grant tokens with (32 bytes, base64). */
export const TEST_TOKEN_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

/** A short unique, lowercase name usable as a schema, namespace or stream prefix. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`.toLowerCase();
}

function adminUrl(url: string): { url: string; database: string } {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  return { url: u.toString(), database };
}

/** Creates the test database when it does not exist yet (safe when several files race). */
export async function ensureDatabase(url = TEST_DATABASE_URL): Promise<void> {
  const { url: admin, database } = adminUrl(url);
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!found.rowCount) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      });
    }
  } finally {
    await client.end();
  }
}

export async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = [], url = TEST_DATABASE_URL): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string, url = TEST_DATABASE_URL): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`, [], url);
}

/** Deletes every stream of a test namespace (and with them their consumers). */
export async function deleteNamespaceStreams(namespace: string, url = TEST_NATS_URL): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    const prefix = `${namespace.toUpperCase().replace(/-/g, '_')}_`;
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(prefix)) await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.close();
  }
}

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Environment for one service under test: its own schema and NATS namespace (share `namespace`
 * between services that must talk to each other), quiet logs, the test encryption key.
 */
export function serviceTestEnv(options: { schema: string; namespace: string; economicApiUrl?: string; extra?: Record<string, string> }): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: options.schema,
    DATABASE_POOL_SIZE: '4',
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: options.namespace,
    TOKEN_ENCRYPTION_KEY: TEST_TOKEN_ENCRYPTION_KEY,
    ...(options.economicApiUrl ? { ECONOMIC_API_URL: options.economicApiUrl } : {}),
    ...options.extra,
  };
}
export * from './processes';
