import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { createEnvelope, EventEnvelope, InventoryMismatchData, Settings, StockChangedData, Subjects, withDefaults } from '@bogholder/contracts';
import { EconomicClient } from '@bogholder/economic-client';
import { createSandbox, Sandbox } from '@bogholder/economic-sandbox';
import { Bus, RpcClient } from '@bogholder/messaging';
import { loadEnv, startTestService, TokenCipher } from '@bogholder/service-kit';
import {
  deleteNamespaceStreams, dropSchema, eventually, serviceTestEnv, sql, TEST_NATS_URL, TEST_TOKEN_ENCRYPTION_KEY, uniqueName,
} from '@bogholder/testing';
import { AppModule, InventoryEnv, ReconcileService } from '../../src';

export interface Agreement {
  agreementNumber: number;
  grantToken: string;
  economic: EconomicClient;
}

export interface ReceivedCall {
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** A small HTTP server standing in for the shop's callbackUrl; `respond` decides the status. */
export class Receiver {
  readonly calls: ReceivedCall[] = [];
  respond: (call: ReceivedCall) => number = () => 200;
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<Receiver> {
    let self: Receiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const call: ReceivedCall = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        self!.calls.push(call);
        res.statusCode = self!.respond(call);
        res.end(res.statusCode >= 300 ? 'receiver says no' : 'ok');
      });
    });
    const port = await listen(server);
    self = new Receiver(server, `http://127.0.0.1:${port}/stock`);
    return self;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

/**
 * One inventory service under test with its own schema, NATS namespace and e-conomic sandbox, plus
 * what the gateway would do: publish connections, settings and profiles, and turn e-conomic's
 * webhooks into `economic.webhook.received`.
 */
export class Harness {
  readonly stockChanged: EventEnvelope<StockChangedData>[] = [];
  readonly mismatches: EventEnvelope<InventoryMismatchData>[] = [];
  readonly apps: INestApplication[] = [];
  private bridge!: Server;
  bridgeUrl!: string;
  bus!: Bus;
  rpc!: RpcClient;
  sandbox!: Sandbox;
  readonly cipher = new TokenCipher(TEST_TOKEN_ENCRYPTION_KEY);

  private constructor(readonly schema: string, readonly namespace: string, private readonly extraEnv: Record<string, string>) {}

  static async start(prefix: string, extraEnv: Record<string, string> = {}): Promise<Harness> {
    const h = new Harness(uniqueName(prefix), uniqueName(prefix), extraEnv);
    h.sandbox = await createSandbox({ port: 0 });
    h.bus = await Bus.connect({ servers: TEST_NATS_URL, name: `${prefix}-test`, namespace: h.namespace });
    await h.bus.ensureStreams();
    h.rpc = new RpcClient(h.bus);
    for (const [subject, list] of [[Subjects.StockChanged, h.stockChanged], [Subjects.InventoryMismatch, h.mismatches]] as const) {
      h.bus.nc.subscribe(h.bus.ns.subject(subject), { callback: (err, msg) => !err && (list as EventEnvelope<unknown>[]).push(JSON.parse(new TextDecoder().decode(msg.data))) });
    }
    h.bridge = createServer((req, res) => void h.relayWebhook(req, res));
    h.bridgeUrl = `http://127.0.0.1:${await listen(h.bridge)}`;
    await h.startApp();
    return h;
  }

  /** Starts (another replica of) the service on the same schema and namespace. */
  async startApp(): Promise<INestApplication> {
    const env = loadEnv(InventoryEnv, serviceTestEnv({
      schema: this.schema,
      namespace: this.namespace,
      economicApiUrl: this.sandbox.url,
      extra: { INVENTORY_DELIVERY_SCHEDULE_MS: '0,200,500', INVENTORY_RECONCILE_TICK_MS: '500', ...this.extraEnv },
    }));
    const { app } = await startTestService(AppModule.forRoot(env));
    this.apps.push(app);
    return app;
  }

  async stopApp(app: INestApplication): Promise<void> {
    await app.close();
    this.apps.splice(this.apps.indexOf(app), 1);
  }

  get app(): INestApplication {
    return this.apps[0]!;
  }

  reconciler(app: INestApplication = this.app): ReconcileService {
    return app.get(ReconcileService);
  }

  async close(): Promise<void> {
    for (const app of this.apps) await app.close();
    await new Promise<void>((r) => this.bridge.close(() => r()));
    await this.bus.close();
    await this.sandbox.close();
    await dropSchema(this.schema);
    await deleteNamespaceStreams(this.namespace);
  }

  // ---- e-conomic (the sandbox) ---------------------------------------------------------------

  async agreement(options: { inventoryModule?: boolean } = {}): Promise<Agreement> {
    const { agreementNumber, grantToken } = this.sandbox.createAgreement(`Shop ${++agreements} ApS`);
    const economic = new EconomicClient({ appSecretToken: this.sandbox.appSecretToken, agreementGrantToken: grantToken, baseUrl: this.sandbox.url, budget: false });
    if (options.inventoryModule === false) await this.control('PATCH', '/__sandbox/agreement', grantToken, { inventoryModule: false });
    return { agreementNumber, grantToken, economic };
  }

  /** e-conomic calls the gateway's webhook URLs for this shop (here: a bridge that publishes like the gateway). */
  async economicWebhooks(a: Agreement, shopId: string, kinds: ('product' | 'invoice')[]): Promise<void> {
    const hooks = kinds.map((kind) => ({
      kind,
      url: kind === 'product'
        ? `${this.bridgeUrl}/webhooks/economic/${shopId}/product?number=[NEWNUMBER]&old=[OLDNUMBER]`
        : `${this.bridgeUrl}/webhooks/economic/${shopId}/invoice?number=[INVOICENO]`,
    }));
    await this.control('PUT', '/__sandbox/webhooks', a.grantToken, hooks);
  }

  async control<T = unknown>(method: string, path: string, grantToken: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'X-AgreementGrantToken': grantToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async product(a: Agreement, productNumber: string, options: { group?: number; stock?: number } = {}): Promise<void> {
    await a.economic.products.create({ productNumber, name: `Product ${productNumber}`, productGroup: { productGroupNumber: options.group ?? 1 }, salesPrice: 100, inventory: { recommendedCostPrice: 10 } });
    if (options.stock) await this.moveStock(a, productNumber, options.stock);
  }

  /** Goods received (or removed) inside e-conomic. */
  async moveStock(a: Agreement, productNumber: string, delta: number): Promise<void> {
    await this.control('POST', '/__sandbox/stock', a.grantToken, { productNumber, delta });
  }

  /** Books an invoice selling `quantity` of a product (e-conomic lowers its stock). */
  async sell(a: Agreement, productNumber: string, quantity: number): Promise<number> {
    const customer = await a.economic.customers.create({
      name: 'Kunde ApS', currency: 'DKK', customerGroup: { customerGroupNumber: 1 }, paymentTerms: { paymentTermsNumber: 1 }, vatZone: { vatZoneNumber: 1 },
    });
    const draft = await a.economic.invoices.drafts.create({
      date: new Date().toISOString().slice(0, 10),
      currency: 'DKK',
      customer: { customerNumber: customer.customerNumber },
      paymentTerms: { paymentTermsNumber: 1 },
      layout: { layoutNumber: 19 },
      recipient: { name: 'Kunde ApS', vatZone: { vatZoneNumber: 1 } },
      lines: [{ product: { productNumber }, description: 'sold', quantity, unitNetPrice: 100 }],
    });
    const booked = await a.economic.invoices.booked.book({ draftInvoiceNumber: draft.draftInvoiceNumber });
    return booked.bookedInvoiceNumber;
  }

  async requests(a: Agreement): Promise<{ method: string; path: string; query: string; status: number }[]> {
    return (await this.control<{ items: { method: string; path: string; query: string; status: number }[] }>('GET', '/__sandbox/requests', a.grantToken)).items;
  }

  async clearRequests(a: Agreement): Promise<void> {
    await this.control('DELETE', '/__sandbox/requests', a.grantToken);
  }

  // ---- what the gateway publishes ------------------------------------------------------------

  async connect(shopId: string, a: Agreement, settings: Partial<Settings> = {}, profile: { callbackUrl?: string | null; secret?: string } = {}): Promise<string> {
    const secret = profile.secret ?? `whsec_${randomBytes(24).toString('base64')}`;
    if (profile.callbackUrl !== undefined) {
      await this.publish(Subjects.ShopProfileUpdated, shopId, { name: shopId, callbackUrl: profile.callbackUrl, webhookSecretEncrypted: this.cipher.encrypt(secret) });
    }
    await this.publish(Subjects.EconomicConnected, shopId, { agreementNumber: a.agreementNumber, companyName: 'Shop ApS', grantTokenEncrypted: this.cipher.encrypt(a.grantToken) });
    await this.publish(Subjects.SettingsUpdated, shopId, withDefaults({ stockSync: true, stockSyncIntervalSeconds: 86_400, ...settings }));
    return secret;
  }

  async publish(subject: (typeof Subjects)[keyof typeof Subjects], shopId: string, data: unknown, correlationId: string = randomUUID()): Promise<EventEnvelope> {
    const envelope = createEnvelope(subject, shopId, data, correlationId);
    await this.bus.publish(envelope);
    return envelope;
  }

  /** Waits until the service has handled every message published so far on `subject`. */
  async handled(subject: string, count: number): Promise<void> {
    const consumer = `inventory-${subject.replace(/\./g, '-')}`;
    await eventually(async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${this.schema}".inbox WHERE consumer = $1`, [consumer]))[0]!.n >= count, 30_000);
  }

  /** Waits until the shop has been reconciled (by the scheduler or a replica). */
  async reconciled(shopId: string): Promise<void> {
    await eventually(async () => (await sql(`SELECT 1 FROM "${this.schema}".sync_state WHERE shop_id = $1 AND last_reconciled_at IS NOT NULL`, [shopId])).length > 0, 20_000);
  }

  /** Waits until nothing of the shop waits in the refresh queue. */
  async refreshed(shopId: string): Promise<void> {
    await eventually(async () => (await sql(`SELECT 1 FROM "${this.schema}".product_refresh WHERE shop_id = $1`, [shopId])).length === 0, 20_000);
  }

  changesOf(shopId: string, sku?: string): StockChangedData[] {
    return this.stockChanged.filter((e) => e.shopId === shopId && (sku === undefined || e.data.sku === sku)).map((e) => e.data);
  }

  private async relayWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bridge');
    const match = /^\/webhooks\/economic\/([^/]+)\/(product|invoice)$/.exec(url.pathname);
    if (!match) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const number = url.searchParams.get('number') ?? '';
    const old = url.searchParams.get('old');
    await this.publish(Subjects.EconomicWebhookReceived, decodeURIComponent(match[1]!), { kind: match[2], number, ...(old ? { oldNumber: old } : {}) });
    res.statusCode = 202;
    res.end();
  }
}

let agreements = 0;
