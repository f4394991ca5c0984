import type { AddressInfo } from 'node:net';
import { Links } from './core/links';
import type { SandboxEnv } from './sandbox/control';
import { WebhookDispatcher } from './sandbox/webhooks';
import { SandboxServer } from './server';
import { Store } from './state/store';

/** The sandbox's seeded PRNG, for tools that want their runs repeatable too (the chaos run). */
export { seededRandom } from './core/prng';
/** One answered request of `GET /__sandbox/requests` (to count e-conomic calls in tests and benchmarks). */
export type { RequestLogEntry as SandboxRequest } from './state/types';

export interface SandboxOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** The app secret token requests must send in X-AppSecretToken; default `sandbox-app-secret`. */
  appSecretToken?: string;
  /** The app public token the grant page accepts; default `sandbox-app-public`. */
  appPublicToken?: string;
  /** Base URL used in self links; default derived from the bound address. */
  publicUrl?: string;
}

export interface Sandbox {
  /** Base URL of the API (no trailing slash), e.g. http://127.0.0.1:3900 */
  url: string;
  port: number;
  appSecretToken: string;
  appPublicToken: string;
  /** The same as POST /__sandbox/reset: forget everything; one fresh default agreement. */
  reset(): void;
  /** The same as POST /__sandbox/agreements: a new seeded agreement plus a grant token for it. */
  createAgreement(companyName?: string): { agreementNumber: number; grantToken: string };
  /** The same as POST /__sandbox/grants: a new grant token (default: the first agreement). */
  issueGrant(agreementNumber?: number): string;
  close(): Promise<void>;
}

export const DEFAULT_APP_SECRET_TOKEN = 'sandbox-app-secret';
export const DEFAULT_APP_PUBLIC_TOKEN = 'sandbox-app-public';

function baseUrlOf(address: AddressInfo): string {
  const unspecified = address.address === '0.0.0.0' || address.address === '::';
  if (address.family === 'IPv6' && !unspecified) return `http://[${address.address}]:${address.port}`;
  return `http://${unspecified ? '127.0.0.1' : address.address}:${address.port}`;
}

/** Starts an in-memory e-conomic sandbox. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const store = new Store();
  const appSecretToken = options.appSecretToken ?? DEFAULT_APP_SECRET_TOKEN;
  const appPublicToken = options.appPublicToken ?? DEFAULT_APP_PUBLIC_TOKEN;
  const env: SandboxEnv = { store, webhooks: new WebhookDispatcher(), links: new Links(''), appSecretToken, appPublicToken };
  const server = new SandboxServer(env);
  server.http.keepAliveTimeout = 65_000; // longer than clients keep idle sockets, so a reused socket is never closed under it

  await new Promise<void>((resolve, reject) => {
    server.http.once('error', reject);
    server.http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.http.off('error', reject);
      resolve();
    });
  });
  const address = server.http.address() as AddressInfo;
  const url = (options.publicUrl ?? baseUrlOf(address)).replace(/\/+$/, '');
  env.links.base = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    appSecretToken,
    appPublicToken,
    reset: () => {
      store.reset();
    },
    createAgreement: (companyName) => {
      const a = store.addAgreement(companyName);
      return { agreementNumber: a.agreementNumber, grantToken: store.issueGrant(a.agreementNumber) };
    },
    issueGrant: (agreementNumber) => store.issueGrant(agreementNumber ?? store.first().agreementNumber),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.shutdown();
        server.http.close(() => resolve());
        server.http.closeAllConnections();
      });
      return closing;
    },
  };
}
