import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EconomicClient, type EconomicClientOptions } from '../../src';

export const APP_SECRET = 'app-secret-5f1c2a9e77';
export const GRANT_TOKEN = 'grant-token-0b8d6e4f13';

export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The raw query string, as sent. */
  rawQuery: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  /** performance.now() when the request arrived. */
  at: number;
}

/** `hit` is 1 for the first request the stub receives. */
export type StubHandler = (req: StubRequest, res: ServerResponse, hit: number) => void | Promise<void>;

export interface Stub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

export async function startStub(handler: StubHandler): Promise<Stub> {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const [path = '', rawQuery = ''] = (req.url ?? '').split('?');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const stubRequest: StubRequest = {
        method: req.method ?? '',
        path,
        rawQuery,
        query: new URLSearchParams(rawQuery),
        headers: req.headers,
        body,
        json,
        at,
      };
      requests.push(stubRequest);
      Promise.resolve(handler(stubRequest, res, requests.length)).catch((err: unknown) => {
        res.statusCode = 599;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Closes the connection without answering. */
export function reset(res: ServerResponse): void {
  res.socket?.destroy();
}

export function stubClient(stub: Stub, options: Partial<EconomicClientOptions> = {}): EconomicClient {
  return new EconomicClient({
    appSecretToken: APP_SECRET,
    agreementGrantToken: GRANT_TOKEN,
    baseUrl: stub.url,
    budget: false,
    ...options,
  });
}

export function envelope<T>(items: T[], skipPages: number, pageSize: number, total: number, base = 'https://restapi.e-conomic.com/x') {
  const lastPage = Math.max(0, Math.ceil(total / pageSize) - 1);
  return {
    collection: items,
    metaData: {},
    pagination: {
      maxPageSizeAllowed: 1000,
      skipPages,
      pageSize,
      results: total,
      resultsWithoutFilter: total,
      firstPage: `${base}?skippages=0&pagesize=${pageSize}`,
      ...(skipPages < lastPage ? { nextPage: `${base}?skippages=${skipPages + 1}&pagesize=${pageSize}` } : {}),
      lastPage: `${base}?skippages=${lastPage}&pagesize=${pageSize}`,
    },
    self: `${base}?skippages=${skipPages}&pagesize=${pageSize}`,
  };
}

/** Captures a rejection so its class and fields can be asserted. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
