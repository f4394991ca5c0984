import { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { EventEnvelope } from '@bogholder/contracts';
import { createSandbox, Sandbox } from '@bogholder/economic-sandbox';
import { Bus } from '@bogholder/messaging';
import { createServiceApp, loadEnv } from '@bogholder/service-kit';
import { deleteNamespaceStreams, dropSchema, eventually, freePort, serviceTestEnv, uniqueName } from '@bogholder/testing';
import { AppModule } from '../src/app.module';
import { GatewayEnv } from '../src/config/env';
import { configureGateway } from '../src/setup';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface RecordedEvent {
  subject: string;
  envelope: EventEnvelope;
  msgId: string | undefined;
}

/** Every event the gateway publishes in a test namespace (core subscription: JetStream publishes reach it too). */
export class EventRecorder {
  readonly events: RecordedEvent[] = [];

  private constructor(readonly bus: Bus) {}

  static async start(namespace: string): Promise<EventRecorder> {
    const bus = await Bus.connect({ servers: serviceTestEnv({ schema: 'x', namespace }).NATS_URL!, name: 'gateway-test-recorder', namespace });
    const recorder = new EventRecorder(bus);
    bus.nc.subscribe(`${namespace}.>`, {
      callback: (err, msg) => {
        if (err || msg.subject.includes('.rpc.')) return;
        recorder.events.push({ subject: bus.ns.unprefix(msg.subject), envelope: JSON.parse(msg.string()) as EventEnvelope, msgId: msg.headers?.get('Nats-Msg-Id') });
      },
    });
    await bus.nc.flush();
    return recorder;
  }

  of(subject: string, shopId?: string): RecordedEvent[] {
    return this.events.filter((e) => e.subject === subject && (shopId === undefined || e.envelope.shopId === shopId));
  }

  withId(id: string): RecordedEvent[] {
    return this.events.filter((e) => e.envelope.id === id);
  }

  async waitFor(predicate: (e: RecordedEvent) => boolean, timeoutMs = 10_000): Promise<RecordedEvent> {
    return await eventually(() => this.events.find(predicate), timeoutMs);
  }

  async close(): Promise<void> {
    await this.bus.close();
  }
}

export interface Harness {
  app: INestApplication;
  url: string;
  env: GatewayEnv;
  schema: string;
  namespace: string;
  sandbox: Sandbox;
  events: EventRecorder;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * A gateway app in-process (the same module and configure hook as main.ts) on a free port, on the
 * given schema, namespace and sandbox — `startGateway` for a fresh one, or again on the same ones
 * (a restart with other settings).
 */
export async function launchGateway(on: { schema: string; namespace: string; sandbox: Sandbox }, extra: Record<string, string> = {}): Promise<{ app: INestApplication; url: string; env: GatewayEnv }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = loadEnv(GatewayEnv, {
    ...serviceTestEnv({ schema: on.schema, namespace: on.namespace, economicApiUrl: on.sandbox.url }),
    ADMIN_TOKEN,
    ECONOMIC_GRANT_URL: `${on.sandbox.url}/requestaccess.aspx`,
    PUBLIC_URL: url,
    ...extra,
  });
  const app = await createServiceApp(AppModule.forRoot(env), { configure: configureGateway });
  await app.listen(port, '127.0.0.1');
  return { app, url, env };
}

/** The gateway in-process with its own schema, namespace and e-conomic sandbox. */
export async function startGateway(extra: Record<string, string> = {}): Promise<Harness> {
  const schema = uniqueName('gw');
  const namespace = uniqueName('gw');
  const sandbox = await createSandbox({ port: 0 });
  const events = await EventRecorder.start(namespace);
  const { app, url, env } = await launchGateway({ schema, namespace, sandbox }, extra);
  return {
    app, url, env, schema, namespace, sandbox, events,
    http: () => request(url),
    async close() {
      await app.close();
      await events.close();
      await sandbox.close();
      await dropSchema(schema);
      await deleteNamespaceStreams(namespace);
    },
  };
}

export interface TestShop {
  id: string;
  name: string;
  webhookSecret: string;
}

export async function createShop(h: Harness, name = 'Kaffe & Kage ApS', callbackUrl?: string): Promise<TestShop> {
  const res = await h.http().post('/api/shops').set(bearer).send({ name, ...(callbackUrl ? { callbackUrl } : {}) }).expect(201);
  return res.body as TestShop;
}

export function order(overrides: Record<string, unknown> = {}) {
  return {
    orderId: 'A-1001',
    orderNumber: 1001,
    currency: 'DKK',
    date: '2026-12-01',
    customer: { id: 'c-1', name: 'Jens Hansen', email: 'jens@example.dk', country: 'DK' },
    lines: [{ sku: 'MUG-1', description: 'Mug', quantity: 2, unitNetPrice: 80, vatRate: 25 }],
    ...overrides,
  };
}

export function orderPaid(overrides: Record<string, unknown> = {}) {
  return {
    type: 'order.paid',
    timestamp: '2026-12-01T10:15:00Z',
    data: { order: order(overrides), payment: { amount: 200, currency: 'DKK', paidAt: '2026-12-01T10:15:00Z' } },
  };
}

let counter = 0;
export const newWebhookId = () => `msg_${Date.now().toString(36)}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;

export interface SendOptions {
  id?: string;
  secret?: string;
  /** Seconds to shift the signed timestamp by. */
  skewSeconds?: number;
  contentType?: string;
  headers?: Record<string, string>;
  shopId?: string;
}

/** POSTs a webhook signed with the standardwebhooks library, the way a shop would. */
export function sendWebhook(h: Harness, shop: TestShop, body: unknown, options: SendOptions = {}) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const id = options.id ?? newWebhookId();
  const at = new Date(Date.now() + (options.skewSeconds ?? 0) * 1000);
  const signature = new Webhook(options.secret ?? shop.webhookSecret).sign(id, at, raw);
  return h
    .http()
    .post(`/webhooks/shops/${options.shopId ?? shop.id}`)
    .set({
      'content-type': options.contentType ?? 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
      ...options.headers,
    })
    // The exact bytes (superagent would turn a Buffer into JSON).
    .serialize(() => raw as unknown as string)
    .send(raw);
}

/** Control routes of the sandbox, on the agreement of `grantToken`. */
export async function sandboxCall(sb: Sandbox, method: string, path: string, grantToken?: string, body?: unknown): Promise<Response> {
  return await fetch(`${sb.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(grantToken ? { 'X-AgreementGrantToken': grantToken } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A REST call to the sandbox as the app, with a grant token. */
export async function economicCall(sb: Sandbox, method: string, path: string, grantToken: string, body?: unknown): Promise<Response> {
  return await fetch(`${sb.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'X-AppSecretToken': sb.appSecretToken, 'X-AgreementGrantToken': grantToken },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Connects a shop with a fresh sandbox agreement through PUT …/economic; answers the grant token. */
export async function connectShop(h: Harness, shop: TestShop, companyName = 'Test ApS'): Promise<{ grantToken: string; agreementNumber: number }> {
  const agreement = h.sandbox.createAgreement(companyName);
  await h.http().put(`/api/shops/${shop.id}/economic`).set(bearer).send({ grantToken: agreement.grantToken }).expect(200);
  return agreement;
}

/** The events JetStream stored in the gateway's stream (what durable consumers will get), oldest first. */
export async function storedEvents(h: Harness): Promise<EventEnvelope[]> {
  const { jsm, ns } = h.events.bus;
  const stream = ns.stream('GATEWAY');
  const { state } = await jsm.streams.info(stream);
  const out: EventEnvelope[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    out.push((await jsm.streams.getMessage(stream, { seq })).json<EventEnvelope>());
  }
  return out;
}

/** Publishes a marker event through the gateway and waits for it: every event published before it has arrived by then. */
export async function settle(h: Harness, shop: TestShop): Promise<void> {
  const res = await sendWebhook(h, shop, { type: 'stock.snapshot', timestamp: '2026-12-01T10:15:00Z', data: { items: [] } }).expect(202);
  await h.events.waitFor((e) => e.envelope.id === res.body.id);
}
