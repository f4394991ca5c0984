import { createSandbox, type Sandbox } from '../../src';

export interface Res<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A tiny client for tests: real HTTP against a sandbox started in-process. */
export class Api {
  constructor(
    readonly sb: Sandbox,
    public token: string,
    public secret = sb.appSecretToken,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const res = await fetch(this.sb.url + path, {
      method,
      headers: {
        'X-AppSecretToken': this.secret,
        'X-AgreementGrantToken': this.token,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as T) : (undefined as T) };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = any>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** A `/__sandbox/*` control route, acting on this client's agreement. */
  async control<T = any>(method: string, path: string, body?: unknown, token: string | null = this.token): Promise<Res<T>> {
    const res = await fetch(`${this.sb.url}/__sandbox${path}`, {
      method,
      headers: {
        ...(token ? { 'X-AgreementGrantToken': token } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as T) : (undefined as T) };
  }
}

/** Starts one sandbox for a spec file; `fresh()` resets it and hands out a client with a new grant. */
export function useSandbox(): { sb: () => Sandbox; fresh: () => Api } {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  return {
    sb: () => sandbox!,
    fresh: () => {
      sandbox!.reset();
      return new Api(sandbox!, sandbox!.issueGrant());
    },
  };
}

export const customerBody = (extra: Record<string, unknown> = {}) => ({
  name: 'Jensen ApS',
  currency: 'DKK',
  customerGroup: { customerGroupNumber: 1 },
  paymentTerms: { paymentTermsNumber: 1 },
  vatZone: { vatZoneNumber: 1 },
  ...extra,
});

export const productBody = (productNumber: string, extra: Record<string, unknown> = {}) => ({
  productNumber,
  name: `Product ${productNumber}`,
  productGroup: { productGroupNumber: 1 },
  salesPrice: 100,
  inventory: { recommendedCostPrice: 40 },
  ...extra,
});

export const draftBody = (customerNumber: number, lines: unknown[], extra: Record<string, unknown> = {}) => ({
  date: `${new Date().getUTCFullYear()}-03-15`,
  currency: 'DKK',
  customer: { customerNumber },
  paymentTerms: { paymentTermsNumber: 1 },
  layout: { layoutNumber: 19 },
  recipient: { name: 'Jensen ApS', vatZone: { vatZoneNumber: 1 } },
  lines,
  ...extra,
});

export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
