import { INestApplication, Module } from '@nestjs/common';
import request from 'supertest';
import { createEnvelope, DEFAULT_SETTINGS, Subjects, withDefaults } from '@bogholder/contracts';
import { Bus } from '@bogholder/messaging';
import {
  deleteNamespaceStreams, dropSchema, eventually, sql, TEST_DATABASE_URL, TEST_NATS_URL, TEST_TOKEN_ENCRYPTION_KEY, uniqueName,
} from '@bogholder/testing';
import {
  BaseEnv, ConfigError, createServiceApp, loadEnv, redactUrl, ServiceKitModule, ShopDirectory, TokenCipher,
} from '../src';

describe('configuration', () => {
  it('lists every bad variable at once', () => {
    let error: ConfigError | undefined;
    try {
      loadEnv(BaseEnv, { DATABASE_URL: 'mysql://x', NATS_URL: 'http://nats', TOKEN_ENCRYPTION_KEY: 'short', DATABASE_POOL_SIZE: 'many' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    expect(error!.problems).toHaveLength(4);
    expect(text).toMatch(/DATABASE_URL: .*postgres:\/\//);
    expect(text).toMatch(/NATS_URL: .*nats:\/\//);
    expect(text).toMatch(/TOKEN_ENCRYPTION_KEY: .*openssl rand -base64 32/);
    expect(text).toMatch(/DATABASE_POOL_SIZE/);
  });

  it('works with no variables set and refuses development secrets in production', () => {
    expect(loadEnv(BaseEnv, {}).NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(() => loadEnv(BaseEnv, { NODE_ENV: 'production' })).toThrow(/TOKEN_ENCRYPTION_KEY: must be set to a real secret in production/);
  });
});

describe('token cipher', () => {
  it('round-trips, never shows the token and refuses a wrong key', () => {
    const cipher = new TokenCipher(TEST_TOKEN_ENCRYPTION_KEY);
    const sealed = cipher.encrypt('grant-123-secret');
    expect(sealed).not.toContain('grant-123');
    expect(sealed).not.toBe(cipher.encrypt('grant-123-secret'));
    expect(cipher.decrypt(sealed)).toBe('grant-123-secret');
    const other = new TokenCipher(Buffer.alloc(32, 9).toString('base64'));
    expect(() => other.decrypt(sealed)).toThrow(/TOKEN_ENCRYPTION_KEY differs/);
    // rotation: the new key still reads what the previous one sealed, and says it should be resealed
    const rotated = new TokenCipher(Buffer.alloc(32, 9).toString('base64'), [TEST_TOKEN_ENCRYPTION_KEY]);
    expect(rotated.decrypt(sealed)).toBe('grant-123-secret');
    expect(rotated.needsReseal(sealed)).toBe(true);
    expect(rotated.needsReseal(rotated.encrypt('x'))).toBe(false);
  });
});

describe('log redaction', () => {
  it('removes grant tokens and webhook secrets from URLs', () => {
    expect(redactUrl('/api/economic/callback?state=abc&token=GRANT')).toBe('/api/economic/callback?state=[redacted]&token=[redacted]');
    expect(redactUrl('/webhooks/economic/shop-1/s3cr3t/product?number=1')).toBe('/webhooks/economic/shop-1/[redacted]/product?number=1');
  });
});

describe('a service built on the kit', () => {
  const schema = uniqueName('kit');
  const namespace = uniqueName('kit');
  let app: INestApplication;
  let bus: Bus;

  @Module({})
  class EmptyFeature {}

  beforeAll(async () => {
    const env = loadEnv(BaseEnv, {
      DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, NATS_URL: TEST_NATS_URL, NATS_NAMESPACE: namespace,
      TOKEN_ENCRYPTION_KEY: TEST_TOKEN_ENCRYPTION_KEY, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '4',
    });
    app = await createServiceApp({
      module: EmptyFeature,
      imports: [ServiceKitModule.forRoot({ service: 'customers', env, entities: [], migrations: [], shopDirectory: true })],
    });
    await app.init();
    bus = await Bus.connect({ servers: TEST_NATS_URL, name: 'kit-test', namespace });
  });

  afterAll(async () => {
    await bus.close();
    await app.close();
    await dropSchema(schema);
    await deleteNamespaceStreams(namespace);
  });

  it('answers /health with status ok when the database and NATS are up', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, nats: { status: 'up' } } });
  });

  it('serves Prometheus metrics', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.text).toMatch(/bogholder_process_cpu_seconds_total\{service="customers"\}/);
  });

  it('owns its tables in its own schema, created by migrations', async () => {
    const tables = await sql<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    expect(tables.map((t) => t.table_name)).toEqual(['dead_letters', 'inbox', 'migrations', 'outbox', 'shop_config']);
  });

  it('keeps its copy of shop connections and settings, and an older event never wins', async () => {
    const directory = app.get(ShopDirectory);
    const sealed = new TokenCipher(TEST_TOKEN_ENCRYPTION_KEY).encrypt('grant-token');
    const t0 = new Date(Date.now() - 60_000);
    await bus.publish(createEnvelope(Subjects.EconomicConnected, 'shop-a', { agreementNumber: 7, companyName: 'Shop A ApS', grantTokenEncrypted: sealed }, 'c1', { occurredAt: new Date(t0.getTime() + 1000) }));
    await bus.publish(createEnvelope(Subjects.SettingsUpdated, 'shop-a', withDefaults({ bookingMode: 'draft' }), 'c2', { occurredAt: new Date(t0.getTime() + 2000) }));
    await eventually(async () => {
      const shop = await directory.get('shop-a');
      return shop.connected && shop.settings.bookingMode === 'draft';
    });
    // A late, older settings event and an older disconnect arrive afterwards: both ignored.
    await bus.publish(createEnvelope(Subjects.SettingsUpdated, 'shop-a', withDefaults({ bookingMode: 'bookWithNumber' }), 'c3', { occurredAt: t0 }));
    await bus.publish(createEnvelope(Subjects.EconomicDisconnected, 'shop-a', {}, 'c4', { occurredAt: t0 }));
    const marker = createEnvelope(Subjects.SettingsUpdated, 'shop-b', withDefaults({}), 'c5');
    await bus.publish(marker);
    await eventually(async () => (await directory.get('shop-b')).settings.bookingMode === DEFAULT_SETTINGS.bookingMode && (await sql(`SELECT 1 FROM "${schema}".inbox WHERE message_id = $1`, [marker.id])).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    const shop = await directory.get('shop-a');
    expect(shop).toMatchObject({ connected: true, agreementNumber: 7, companyName: 'Shop A ApS', settings: { bookingMode: 'draft' } });
    expect(shop.grantTokenEncrypted).toBe(sealed);
  });
});
