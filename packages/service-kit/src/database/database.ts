import { Client } from 'pg';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { MESSAGING_ENTITIES, MessagingTables1767000000000 } from '@bogholder/messaging';

export interface DatabaseConfig {
  url: string;
  /** The schema the service owns; all its tables live there (search_path). */
  schema: string;
  poolSize?: number;
  entities: MixedList<Function>;
  migrations: MixedList<Function>;
  migrate?: boolean;
}

/** Creates the database (if the server allows it) and the service's schema. */
export async function prepareDatabase(url: string, schema: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1)) || 'postgres';
  const tryConnect = async (u: string) => {
    const c = new Client({ connectionString: u, connectionTimeoutMillis: 5000 });
    await c.connect();
    return c;
  };
  let client: Client;
  try {
    client = await tryConnect(url);
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw describeConnectError(err, url);
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const adminClient = await tryConnect(admin.toString()).catch((e) => Promise.reject(describeConnectError(e, url)));
    try {
      await adminClient.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04' && e.code !== '23505') throw e;
      });
    } finally {
      await adminClient.end();
    }
    client = await tryConnect(url);
  }
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).catch((e: { code?: string }) => {
      if (e.code !== '23505' && e.code !== '42P06') throw e;
    });
  } finally {
    await client.end();
  }
}

function describeConnectError(err: unknown, url: string): Error {
  const safe = new URL(url);
  if (safe.password) safe.password = '***';
  return new Error(`cannot connect to PostgreSQL at ${safe.toString()}: ${(err as Error).message}. Is PostgreSQL running and DATABASE_URL right?`);
}

export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    entities: [...(config.entities as Function[]), ...MESSAGING_ENTITIES],
    migrations: [MessagingTables1767000000000, ...(config.migrations as Function[])],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    poolSize: config.poolSize ?? 10,
    extra: { options: `-c search_path=${config.schema}`, max: config.poolSize ?? 10, connectionTimeoutMillis: 10_000 },
  };
}

/** Runs pending migrations, one replica at a time. */
export async function runMigrationsLocked(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`bogholder-migrations:${schema}`]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`bogholder-migrations:${schema}`]);
    }
  } finally {
    await runner.release();
  }
}

/** Prepares, connects and migrates a service's database. */
export async function openDataSource(config: DatabaseConfig): Promise<DataSource> {
  await prepareDatabase(config.url, config.schema);
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  if (config.migrate !== false) await runMigrationsLocked(dataSource, config.schema);
  return dataSource;
}
