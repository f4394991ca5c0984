import { isDeepStrictEqual } from 'node:util';
import { INestApplication } from '@nestjs/common';
import {
  createEnvelope, CustomersEnsureReply, CustomersEnsureRequest, CustomersLookupReply, EventEnvelope, OrderCustomer, Settings, Subjects,
  withDefaults,
} from '@bogholder/contracts';
import { createSandbox, Sandbox, type SandboxRequest } from '@bogholder/economic-sandbox';
import { Bus, RpcClient, RpcError, runWithCorrelation } from '@bogholder/messaging';
import { loadEnv, startTestService, TokenCipher } from '@bogholder/service-kit';
import {
  deleteNamespaceStreams, dropSchema, eventually, serviceTestEnv, sql, TEST_NATS_URL, TEST_TOKEN_ENCRYPTION_KEY, uniqueName,
} from '@bogholder/testing';
import { AppModule, CustomersEnv } from '../src';

/**
 * One customers service booted in-process against real PostgreSQL and NATS, with its own schema,
 * namespace and e-conomic sandbox. Every test gets its own shop on its own sandbox agreement, so
 * request counts and customers never mix.
 */
export interface Harness {
  app: INestApplication;
  bus: Bus;
  rpc: RpcClient;
  sandbox: Sandbox;
  schema: string;
  namespace: string;
  /** Every envelope published on customer.> in this namespace. */
  events: EventEnvelope[];
  /** A shop on a new sandbox agreement (with customer group 1337), or on `agreement` when given (shops sharing one). */
  newShop(settings?: Partial<Settings>, options?: { group?: boolean; agreement?: { agreementNumber: number; grantToken: string } }): Promise<TestShop>;
  close(): Promise<void>;
}

export interface EconomicCustomer {
  customerNumber: number;
  name: string;
  email?: string;
  address?: string;
  zip?: string;
  city?: string;
  country?: string;
  ean?: string;
  corporateIdentificationNumber?: string;
  currency: string;
  telephoneAndFaxNumber?: string;
  creditLimit?: number;
  customerGroup: { customerGroupNumber: number };
  paymentTerms: { paymentTermsNumber: number };
  vatZone: { vatZoneNumber: number };
}

export interface EconomicContact {
  customerContactNumber: number;
  name: string;
  eInvoiceId?: string;
  customer: { customerNumber: number };
}

export interface TestShop {
  shopId: string;
  agreementNumber: number;
  grantToken: string;
  ensure(customer: OrderCustomer, extra?: Partial<CustomersEnsureRequest>): Promise<CustomersEnsureReply>;
  /** Like `ensure`, but resolves with the RpcError it answered. */
  ensureError(customer: OrderCustomer, extra?: Partial<CustomersEnsureRequest>): Promise<RpcError>;
  lookup(customer: OrderCustomer, needContact?: boolean): Promise<CustomersLookupReply>;
  settings(partial: Partial<Settings>): Promise<void>;
  /** A REST call to the shop's sandbox agreement (as a bookkeeper or another system would make it). */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  requests(): Promise<SandboxRequest[]>;
  clearRequests(): Promise<void>;
  customers(): Promise<EconomicCustomer[]>;
  contacts(): Promise<EconomicContact[]>;
  faults(config: Record<string, unknown> | null): Promise<void>;
}

export async function startHarness(prefix: string): Promise<Harness> {
  const schema = uniqueName(prefix);
  const namespace = uniqueName(prefix);
  const sandbox = await createSandbox({ port: 0 });
  const env = loadEnv(CustomersEnv, serviceTestEnv({ schema, namespace, economicApiUrl: sandbox.url }));
  const { app } = await startTestService(AppModule.forRoot(env));
  const bus = await Bus.connect({ servers: TEST_NATS_URL, name: `${prefix}-test`, namespace });
  const rpc = new RpcClient(bus);
  const cipher = new TokenCipher(TEST_TOKEN_ENCRYPTION_KEY);
  const events: EventEnvelope[] = [];
  const sub = bus.nc.subscribe(bus.ns.subject('customer.>'), {
    callback: (err, msg) => {
      if (!err) events.push(JSON.parse(new TextDecoder().decode(msg.data)) as EventEnvelope);
    },
  });

  const control = async (grantToken: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'X-AgreementGrantToken': grantToken, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  const publishSettings = async (shopId: string, settings: Settings) => {
    await bus.publish(createEnvelope(Subjects.SettingsUpdated, shopId, settings, `settings-${shopId}`));
    await eventually(async () => {
      const rows = await sql<{ settings: Settings | null }>(`SELECT settings FROM "${schema}".shop_config WHERE shop_id = $1`, [shopId]);
      // (through JSON: withDefaults' structuredClone makes objects of another realm under jest)
      return rows[0]?.settings && isDeepStrictEqual(rows[0].settings, JSON.parse(JSON.stringify(settings)));
    });
  };

  const newShop = async (partial: Partial<Settings> = {}, options: { group?: boolean; agreement?: { agreementNumber: number; grantToken: string } } = {}): Promise<TestShop> => {
    const shopId = uniqueName('shop');
    const { agreementNumber, grantToken } = options.agreement ?? sandbox.createAgreement(`Shop ${shopId} ApS`);
    const api = async <T>(method: string, path: string, body?: unknown) => {
      const res = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: { 'X-AppSecretToken': sandbox.appSecretToken, 'X-AgreementGrantToken': grantToken, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    };
    if (options.group !== false && !options.agreement) {
      const group = await api('POST', '/customer-groups', { customerGroupNumber: 1337, name: 'Webshop', account: { accountNumber: 5600 } });
      expect(group.status).toBe(201);
    }
    let settings = withDefaults(partial);
    await bus.publish(
      createEnvelope(Subjects.EconomicConnected, shopId, { agreementNumber, companyName: `Shop ${shopId} ApS`, grantTokenEncrypted: cipher.encrypt(grantToken) }, `connect-${shopId}`),
    );
    await publishSettings(shopId, settings);
    await eventually(async () => (await sql<{ connected: boolean }>(`SELECT connected FROM "${schema}".shop_config WHERE shop_id = $1`, [shopId]))[0]?.connected);
    await control(grantToken, 'DELETE', '/__sandbox/requests'); // count only what the service does

    const ensure = (customer: OrderCustomer, extra: Partial<CustomersEnsureRequest> = {}) => {
      const correlationId = extra.correlationId ?? `test-${shopId}`;
      const request: CustomersEnsureRequest = { shopId, customer, needContact: false, correlationId, ...extra };
      return runWithCorrelation(correlationId, () => rpc.request<CustomersEnsureReply>('rpc.customers.ensure', request, 30_000));
    };
    return {
      shopId,
      agreementNumber,
      grantToken,
      ensure,
      ensureError: async (customer, extra) => {
        try {
          const reply = await ensure(customer, extra);
          throw new Error(`expected an error, got ${JSON.stringify(reply)}`);
        } catch (err) {
          if (err instanceof RpcError) return err;
          throw err;
        }
      },
      lookup: (customer, needContact = false) => rpc.request<CustomersLookupReply>('rpc.customers.lookup', { shopId, customer, needContact }, 30_000),
      settings: async (changes) => {
        settings = withDefaults({ ...settings, ...changes });
        await publishSettings(shopId, settings);
      },
      api,
      requests: async () => (await control(grantToken, 'GET', '/__sandbox/requests')).body.items as SandboxRequest[],
      clearRequests: async () => {
        await control(grantToken, 'DELETE', '/__sandbox/requests');
      },
      customers: async () => (await control(grantToken, 'GET', '/__sandbox/state')).body.customers as EconomicCustomer[],
      contacts: async () => (await control(grantToken, 'GET', '/__sandbox/state')).body.contacts as EconomicContact[],
      faults: async (config) => {
        const res = await control(grantToken, 'PUT', '/__sandbox/faults', config ?? { rate: 0 });
        expect(res.status).toBe(200);
      },
    };
  };

  return {
    app,
    bus,
    rpc,
    sandbox,
    schema,
    namespace,
    events,
    newShop,
    close: async () => {
      sub.unsubscribe();
      await bus.close();
      await app.close();
      await sandbox.close();
      await dropSchema(schema);
      await deleteNamespaceStreams(namespace);
    },
  };
}

/** A customer as a shop sends it, with a unique e-mail. */
export function aCustomer(overrides: Partial<OrderCustomer> = {}): OrderCustomer {
  const tag = uniqueName('c');
  return {
    id: `cust-${tag}`,
    name: 'Jens Hansen',
    email: `${tag}@example.dk`,
    address: 'Vestergade 1',
    zip: '8000',
    city: 'Aarhus C',
    country: 'DK',
    ...overrides,
  };
}

/** The requests that reached e-conomic's REST API, as `METHOD /path` lines. */
export const calls = (requests: SandboxRequest[]): string[] => requests.map((r) => `${r.method} ${r.path}`);
