import { agreementKey, type BudgetOptions, DEFAULT_BUDGET, RequestBudget } from './core/budget';
import { EconomicError } from './core/errors';
import { type ClientStats, type HttpMethod, RequestCore, type RequestEvent, type RequestParams } from './core/request';
import { Customers, CustomerGroups } from './resources/customers';
import { Invoices } from './resources/invoices';
import { Journals } from './resources/journals';
import { ProductGroups, Products, Units } from './resources/products';
import { Accounts, Layouts, PaymentTermsResource, VatZones } from './resources/reference-data';
import { SelfResource } from './resources/self';

export const DEFAULT_BASE_URL = 'https://restapi.e-conomic.com';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;

export interface EconomicClientOptions {
  appSecretToken: string;
  agreementGrantToken: string;
  /** Default `https://restapi.e-conomic.com`. */
  baseUrl?: string;
  /** Time limit of each attempt, response body included. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, where retrying is safe. Default 3. */
  maxRetries?: number;
  /**
   * Request pacing for the agreement. Default: the agreement's shared budget with e-conomic's bucket
   * (burst 2000, 30/s). Options create (or join) the agreement's shared budget; an instance is used as
   * is; `false` turns pacing off.
   */
  budget?: RequestBudget | BudgetOptions | false;
  /** A `fetch` implementation; default the global one. */
  fetch?: typeof fetch;
  /** Called after every attempt (metrics, logs). Exceptions it throws are ignored. */
  onRequest?: (event: RequestEvent) => void;
  userAgent?: string;
}

/**
 * A typed e-conomic REST client for one agreement.
 *
 *   const economic = new EconomicClient({ appSecretToken, agreementGrantToken });
 *   const customer = await economic.customers.get(42);
 */
export class EconomicClient {
  readonly baseUrl: string;
  /** A SHA-256 prefix of the grant token: safe to log, identifies the agreement's shared budget. */
  readonly agreementKey: string;
  readonly budget: RequestBudget | undefined;

  readonly self: SelfResource;
  readonly customers: Customers;
  readonly customerGroups: CustomerGroups;
  readonly products: Products;
  readonly productGroups: ProductGroups;
  readonly units: Units;
  readonly layouts: Layouts;
  readonly paymentTerms: PaymentTermsResource;
  readonly vatZones: VatZones;
  readonly accounts: Accounts;
  readonly invoices: Invoices;
  readonly journals: Journals;

  readonly #core: RequestCore;

  constructor(options: EconomicClientOptions) {
    if (!options || typeof options.appSecretToken !== 'string' || options.appSecretToken === '') {
      throw new EconomicError('EconomicClient: appSecretToken is required');
    }
    if (typeof options.agreementGrantToken !== 'string' || options.agreementGrantToken === '') {
      throw new EconomicError('EconomicClient: agreementGrantToken is required');
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!(timeoutMs > 0)) throw new EconomicError('EconomicClient: timeoutMs must be > 0');
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new EconomicError('EconomicClient: maxRetries must be an integer >= 0');
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') throw new EconomicError('EconomicClient: no fetch implementation available');

    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.agreementKey = agreementKey(options.agreementGrantToken);
    const budget = options.budget;
    this.budget =
      budget === false
        ? undefined
        : budget instanceof RequestBudget
          ? budget
          : RequestBudget.forAgreement(this.agreementKey, budget ?? DEFAULT_BUDGET);

    this.#core = new RequestCore({
      appSecretToken: options.appSecretToken,
      agreementGrantToken: options.agreementGrantToken,
      baseUrl: this.baseUrl,
      timeoutMs,
      maxRetries,
      budget: this.budget,
      fetch: fetchImpl,
      onRequest: options.onRequest,
      userAgent: options.userAgent ?? `bogholder-economic-client/0.1 node/${process.versions.node}`,
    });

    this.self = new SelfResource(this.#core);
    this.customers = new Customers(this.#core);
    this.customerGroups = new CustomerGroups(this.#core);
    this.products = new Products(this.#core);
    this.productGroups = new ProductGroups(this.#core);
    this.units = new Units(this.#core);
    this.layouts = new Layouts(this.#core);
    this.paymentTerms = new PaymentTermsResource(this.#core);
    this.vatZones = new VatZones(this.#core);
    this.accounts = new Accounts(this.#core);
    this.invoices = new Invoices(this.#core);
    this.journals = new Journals(this.#core);
  }

  /** Counters since the client was created (a copy). */
  get stats(): ClientStats {
    return this.#core.stats;
  }

  /**
   * A call to an endpoint without a typed method. `path` starts with `/`; the answer's parsed body is
   * returned (undefined for 204). The usual retry rules apply: mark safe writes `{ idempotent: true }`.
   */
  async request<T = unknown>(method: HttpMethod, path: string, params?: RequestParams): Promise<T> {
    return (await this.#core.request<T>(method, path, params)).data;
  }

  toString(): string {
    return `EconomicClient(${this.baseUrl}, agreement ${this.agreementKey})`;
  }

  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, agreementKey: this.agreementKey };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
