import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import type { Subscription } from 'nats';
import {
  createEnvelope, EventEnvelope, Order, OrderLine, RpcSubjects, Settings, Subject, Subjects, TransferView, TransfersListReply, withDefaults,
} from '@bogholder/contracts';
import { EconomicClient } from '@bogholder/economic-client';
import { createSandbox, Sandbox, type SandboxRequest } from '@bogholder/economic-sandbox';
import { Bus, RpcClient } from '@bogholder/messaging';
import { loadEnv, startTestService, TokenCipher } from '@bogholder/service-kit';
import {
  deleteNamespaceStreams, dropSchema, eventually, serviceTestEnv, ServiceProcess, sql, startServiceProcess, TEST_TOKEN_ENCRYPTION_KEY, uniqueName,
} from '@bogholder/testing';
import { AppModule, InvoicingEnv } from '../../src';

export interface TestShop {
  shopId: string;
  agreementNumber: number;
  grantToken: string;
  economic: EconomicClient;
}

let orderCounter = 1000;
export const nextOrderNumber = () => ++orderCounter;
export const today = () => new Date().toISOString().slice(0, 10);

/** A valid order; `overrides` replace top-level fields. */
export function makeOrder(overrides: Partial<Order> & { lines?: OrderLine[] } = {}): Order {
  const orderNumber = overrides.orderNumber ?? nextOrderNumber();
  return {
    orderId: `ord-${orderNumber}-${randomUUID().slice(0, 6)}`,
    orderNumber,
    currency: 'DKK',
    date: today(),
    customer: { id: `cust-${orderNumber}`, name: `Kunde ${orderNumber}`, email: `kunde${orderNumber}@example.dk`, address: 'Vestergade 1', zip: '8000', city: 'Aarhus', country: 'DK' },
    lines: [
      { sku: 'VARE-1', description: 'Kaffe', quantity: 2, unitNetPrice: 100, vatRate: 25 },
      { sku: 'VARE-2', description: 'Kop', quantity: 1, unitNetPrice: 40, discountPercentage: 10, vatRate: 25 },
    ],
    ...overrides,
  };
}

/**
 * One invoicing service in-process against real PostgreSQL and NATS, an in-process e-conomic sandbox
 * (one agreement per test shop) and the real customers service as a child process (built dist), all in
 * this file's own schemas and namespace.
 */
export class Harness {
  app!: INestApplication;
  bus!: Bus;
  rpc!: RpcClient;
  sandbox!: Sandbox;
  customersService: ServiceProcess | null = null;
  readonly schema = uniqueName('inv');
  readonly customersSchema = uniqueName('invcus');
  readonly namespace = uniqueName('inv');
  readonly events: EventEnvelope[] = [];
  private readonly subs: Subscription[] = [];
  private readonly cipher = new TokenCipher(TEST_TOKEN_ENCRYPTION_KEY);

  async start(extraEnv: Record<string, string> = {}): Promise<this> {
    this.sandbox = await createSandbox({ port: 0 });
    this.bus = await Bus.connect({ servers: serviceTestEnv({ schema: this.schema, namespace: this.namespace }).NATS_URL!, name: 'invoicing-test', namespace: this.namespace });
    this.rpc = new RpcClient(this.bus);
    for (const subject of ['invoice.>', 'creditnote.>', 'payment.>']) {
      this.subs.push(
        this.bus.nc.subscribe(this.bus.ns.subject(subject), {
          callback: (err, msg) => {
            if (!err) this.events.push(JSON.parse(new TextDecoder().decode(msg.data)) as EventEnvelope);
          },
        }),
      );
    }
    await this.bus.ensureStreams();
    this.customersService = await startServiceProcess('customers', serviceTestEnv({ schema: this.customersSchema, namespace: this.namespace, economicApiUrl: this.sandbox.url }));
    const env = loadEnv(InvoicingEnv, serviceTestEnv({ schema: this.schema, namespace: this.namespace, economicApiUrl: this.sandbox.url, extra: { INVOICING_POLL_MS: '200', INVOICING_UNCERTAIN_LOOKUP_DELAY_MS: '2000', ...extraEnv } }));
    ({ app: this.app } = await startTestService(AppModule.forRoot(env)));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    await this.app?.close();
    await this.customersService?.stop();
    await this.bus?.close();
    await this.sandbox?.close();
    await dropSchema(this.schema);
    await dropSchema(this.customersSchema);
    await deleteNamespaceStreams(this.namespace);
  }

  /** A shop with its own sandbox agreement (customer group 1337, products), connected, with settings. */
  async shop(settings: Partial<Settings> = {}, options: { connect?: boolean; products?: string[]; group?: boolean } = {}): Promise<TestShop> {
    const shopId = `shop-${randomUUID().slice(0, 8)}`;
    const { agreementNumber, grantToken } = this.sandbox.createAgreement(`Shop ${shopId} ApS`);
    const economic = new EconomicClient({ appSecretToken: this.sandbox.appSecretToken, agreementGrantToken: grantToken, baseUrl: this.sandbox.url, budget: false });
    if (options.group !== false) await economic.customerGroups.create({ customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
    for (const sku of options.products ?? ['VARE-1', 'VARE-2', 'FRAGT']) await this.createProduct(economic, sku);
    const shop: TestShop = { shopId, agreementNumber, grantToken, economic };
    await this.setSettings(shop, settings);
    if (options.connect !== false) await this.connect(shop);
    return shop;
  }

  async createProduct(economic: EconomicClient, productNumber: string, group = 1): Promise<void> {
    await economic.products.create({ productNumber, name: `Produkt ${productNumber}`, productGroup: { productGroupNumber: group }, salesPrice: 10, inventory: { recommendedCostPrice: 1 } });
  }

  async connect(shop: TestShop): Promise<void> {
    const sealed = this.cipher.encrypt(shop.grantToken);
    const env = createEnvelope(Subjects.EconomicConnected, shop.shopId, { agreementNumber: shop.agreementNumber, companyName: `Shop ${shop.shopId} ApS`, grantTokenEncrypted: sealed }, `connect-${randomUUID()}`);
    await this.bus.publish(env);
    await this.handled('invoicing-economic-connected', env.id);
    await this.customersHandled('customers-economic-connected', env.id);
  }

  async disconnect(shop: TestShop): Promise<void> {
    const env = createEnvelope(Subjects.EconomicDisconnected, shop.shopId, {}, `disconnect-${randomUUID()}`);
    await this.bus.publish(env);
    await this.handled('invoicing-economic-disconnected', env.id);
    await this.customersHandled('customers-economic-disconnected', env.id);
  }

  async setSettings(shop: TestShop, settings: Partial<Settings>): Promise<void> {
    const full = withDefaults(settings);
    const env = createEnvelope(Subjects.SettingsUpdated, shop.shopId, full, `settings-${randomUUID()}`);
    await this.bus.publish(env);
    await this.handled('invoicing-settings-updated', env.id);
    await this.customersHandled('customers-settings-updated', env.id);
  }

  /** The customers service has handled (committed) a message too. */
  private async customersHandled(consumer: string, messageId: string): Promise<void> {
    await eventually(async () => (await sql(`SELECT 1 FROM "${this.customersSchema}".inbox WHERE consumer = $1 AND message_id = $2`, [consumer, messageId])).length > 0, 15_000);
  }

  /** Publishes a shop event exactly as the gateway does (envelope id = correlation id = webhook id). */
  async publish(subject: Subject, shopId: string, data: unknown, options: { webhookId?: string; occurredAt?: Date } = {}): Promise<EventEnvelope> {
    const webhookId = options.webhookId ?? `wh_${randomUUID()}`;
    const env = createEnvelope(subject, shopId, data, webhookId, { id: webhookId, occurredAt: options.occurredAt });
    await this.bus.publish(env);
    return env;
  }

  paid(shop: TestShop, order: Order, payment: Partial<{ id: string; amount: number; paidAt: string }> = {}, options: { webhookId?: string; occurredAt?: Date } = {}) {
    const gross = grossOf(order);
    return this.publish(Subjects.ShopOrderPaid, shop.shopId, { order, payment: { amount: gross, currency: order.currency, paidAt: new Date().toISOString(), ...payment } }, options);
  }

  shipped(shop: TestShop, order: Order, options: { webhookId?: string; occurredAt?: Date } = {}) {
    return this.publish(Subjects.ShopOrderShipped, shop.shopId, { order, shippedAt: new Date().toISOString() }, options);
  }

  updated(shop: TestShop, order: Order, options: { webhookId?: string; occurredAt?: Date } = {}) {
    return this.publish(Subjects.ShopOrderUpdated, shop.shopId, { order }, options);
  }

  refunded(shop: TestShop, orderId: string, refundId: string, lines: OrderLine[]) {
    return this.publish(Subjects.ShopOrderRefunded, shop.shopId, { orderId, refundId, lines, refundedAt: new Date().toISOString() });
  }

  /** Waits until a consumer has handled (committed) a message. */
  async handled(consumer: string, messageId: string, timeoutMs = 15_000): Promise<void> {
    await eventually(async () => (await sql(`SELECT 1 FROM "${this.schema}".inbox WHERE consumer = $1 AND message_id = $2`, [consumer, messageId])).length > 0, timeoutMs);
  }

  async transfers(shopId: string, query: { status?: string; orderId?: string; limit?: number; offset?: number } = {}): Promise<TransfersListReply> {
    return await this.rpc.request<TransfersListReply>(RpcSubjects.InvoicingTransfersList, { shopId, limit: 50, offset: 0, ...query });
  }

  async transfer(shopId: string, orderId: string): Promise<TransferView | undefined> {
    return (await this.transfers(shopId, { orderId })).items[0];
  }

  /** Waits until the order's transfer has `status` (and `check` holds). */
  async waitFor(shopId: string, orderId: string, status: string, timeoutMs = 20_000, check: (t: TransferView) => boolean = () => true): Promise<TransferView> {
    let last: TransferView | undefined;
    try {
      return await eventually(async () => {
        last = await this.transfer(shopId, orderId);
        return last && last.status === status && check(last) ? last : undefined;
      }, timeoutMs, 100);
    } catch {
      throw new Error(`transfer ${orderId} did not reach ${status}; last seen: ${JSON.stringify(last)}`);
    }
  }

  async state(shop: TestShop): Promise<SandboxState> {
    const res = await fetch(`${this.sandbox.url}/__sandbox/state`, { headers: { 'X-AgreementGrantToken': shop.grantToken } });
    return (await res.json()) as SandboxState;
  }

  async requests(shop: TestShop): Promise<SandboxRequest[]> {
    const res = await fetch(`${this.sandbox.url}/__sandbox/requests`, { headers: { 'X-AgreementGrantToken': shop.grantToken } });
    return ((await res.json()) as { items: SandboxRequest[] }).items;
  }

  async clearRequests(shop: TestShop): Promise<void> {
    await fetch(`${this.sandbox.url}/__sandbox/requests`, { method: 'DELETE', headers: { 'X-AgreementGrantToken': shop.grantToken } });
  }

  async control(shop: TestShop, method: string, path: string, body?: unknown): Promise<Response> {
    return await fetch(`${this.sandbox.url}/__sandbox/${path}`, {
      method,
      headers: { 'X-AgreementGrantToken': shop.grantToken, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Every document in the sandbox carrying this reference. */
  async documents(shop: TestShop, reference: string): Promise<{ drafts: SandboxDoc[]; booked: SandboxDoc[] }> {
    const s = await this.state(shop);
    return { drafts: s.drafts.filter((d) => d.references?.other === reference), booked: s.booked.filter((b) => b.references?.other === reference) };
  }

  eventsOf(type: string, orderId?: string): EventEnvelope<Record<string, unknown>>[] {
    return this.events.filter((e) => e.type === type && (orderId === undefined || (e.data as { orderId?: string }).orderId === orderId)) as EventEnvelope<Record<string, unknown>>[];
  }
}

export interface SandboxDoc {
  draftInvoiceNumber?: number;
  bookedInvoiceNumber?: number;
  customer: { customerNumber: number };
  references?: { other?: string; customerContact?: { customerContactNumber: number } };
  notes?: { heading?: string; textLine1?: string };
  recipient: { name: string; ean?: string; vatZone: { vatZoneNumber: number } };
  lines: { product?: { productNumber: string }; description: string; quantity: number; unitNetPrice: number; discountPercentage?: number; accrual?: { startDate: string; endDate: string }; totalNetAmount: number }[];
  netAmount: number;
  vatAmount: number;
  grossAmount: number;
  layout: { layoutNumber: number };
  paymentTerms: { paymentTermsNumber: number };
  sentBy?: string;
  date: string;
  remainder?: number;
}

export interface SandboxState {
  drafts: SandboxDoc[];
  booked: SandboxDoc[];
  customers: { customerNumber: number; name: string }[];
  vouchers: { voucherNumber: number; journal: { journalNumber: number }; entries: { customerPayments: { amount: number; text?: string; customerInvoice?: number; contraAccount?: { accountNumber: number } }[] } }[];
}

/** The shop's gross total of an order (what the totals guard compares with). */
export function grossOf(order: Order): number {
  let gross = 0;
  for (const l of order.lines) gross += Math.round(l.quantity * l.unitNetPrice * (1 - (l.discountPercentage ?? 0) / 100) * 100) / 100 * (1 + l.vatRate / 100);
  if (order.shipping) gross += order.shipping.amount * (1 + order.shipping.vatRate / 100);
  return Math.round(gross * 100) / 100;
}
