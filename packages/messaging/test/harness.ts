import { DataSource } from 'typeorm';
import { Bus, MESSAGING_ENTITIES, MessagingTables1767000000000 } from '../src';
import { deleteNamespaceStreams, dropSchema, ensureDatabase, sql, TEST_DATABASE_URL, TEST_NATS_URL, uniqueName } from '@bogholder/testing';

/** A schema + namespace of our own on the real PostgreSQL and NATS servers. */
export async function setup() {
  const schema = uniqueName('msg');
  const namespace = uniqueName('msg');
  await ensureDatabase();
  await sql(`CREATE SCHEMA "${schema}"`);
  const dataSource = new DataSource({
    type: 'postgres',
    url: TEST_DATABASE_URL,
    entities: MESSAGING_ENTITIES,
    migrations: [MessagingTables1767000000000],
    extra: { options: `-c search_path=${schema}`, max: 6 },
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const buses: Bus[] = [];
  const connectBus = async () => {
    const bus = await Bus.connect({ servers: TEST_NATS_URL, name: 'messaging-test', namespace });
    buses.push(bus);
    return bus;
  };
  const bus = await connectBus();
  await bus.ensureStreams();
  return {
    schema,
    namespace,
    dataSource,
    bus,
    connectBus,
    async teardown() {
      for (const b of buses) await b.close().catch(() => undefined);
      await dataSource.destroy();
      await dropSchema(schema);
      await deleteNamespaceStreams(namespace);
    },
  };
}
