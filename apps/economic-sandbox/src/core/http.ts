import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, BadRequestError, ErrorCode } from './errors';
import type { Links } from './links';
import type { Agreement } from '../state/types';

/** What a handler answers; the server writes it. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A side effect that happens after a request committed (webhooks). */
export type Effect = { kind: 'product'; productNumber: string } | { kind: 'invoice'; invoiceNumber: number };

/** Everything a REST handler gets. Handlers are synchronous: state changes never straddle an await. */
export interface Ctx {
  method: string;
  path: string;
  query: Query;
  params: Record<string, string>;
  body: unknown;
  agreement: Agreement;
  links: Links;
  effects: Effect[];
}

/** Query parameters with case-insensitive names. */
export class Query {
  private readonly map = new Map<string, string>();

  constructor(search: URLSearchParams) {
    for (const [k, v] of search) {
      const key = k.toLowerCase();
      if (!this.map.has(key)) this.map.set(key, v);
    }
  }

  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase());
  }
}

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export class PayloadTooLargeError extends ApiError {
  constructor() {
    super(413, 'Request entity too large.', `The request body must be at most ${MAX_BODY_BYTES} bytes.`);
  }
}

/** The client went away while we were reading its request; there is nobody to answer. */
export class ClientGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientGoneError';
  }
}

export function readRawBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new PayloadTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    const fail = (err: Error): void => {
      if (failed || ended) return;
      failed = true;
      reject(new ClientGoneError(err.message));
    };
    req.on('error', fail);
    req.on('close', () => fail(new Error('the client closed the connection before sending the whole body')));
  });
}

export function isJsonContentType(req: IncomingMessage): boolean {
  const ct = req.headers['content-type'];
  if (!ct) return false;
  const media = ct.split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError('The request body is not valid JSON.', 'Send a JSON document as the request body.', ErrorCode.invalidJson);
  }
}

/** e-conomic leaves out booleans that are false; the REST API's responses follow that. */
function omitFalse(_key: string, value: unknown): unknown {
  return value === false ? undefined : value;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, keepFalse = false): void {
  const payload = body === undefined ? '' : JSON.stringify(body, keepFalse ? undefined : omitFalse);
  res.writeHead(status, {
    ...headers,
    ...(payload ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export type Handler = (ctx: Ctx) => Reply;
