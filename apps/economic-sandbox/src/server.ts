import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  ApiError,
  ForbiddenError,
  InternalServerError,
  MethodNotAllowedError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from './core/errors';
import { ClientGoneError, type Ctx, type Handler, header, isJsonContentType, parseJson, Query, readRawBody, type Reply, sendHtml, sendJson } from './core/http';
import type { Router } from './core/router';
import { apiRouter } from './resources';
import { ControlError } from './sandbox/control-error';
import { type ControlHandler, controlRouter, MAX_REQUEST_LOG, type SandboxEnv } from './sandbox/control';
import { decideFault } from './sandbox/faults';
import { approveGrant, grantErrorPage, grantPage, grantParams } from './sandbox/grant-page';
import { homePage } from './sandbox/home-page';
import { takeToken } from './sandbox/rate-limit';
import type { Agreement, FaultKind } from './state/types';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

interface Auth {
  agreement: Agreement;
  demo: boolean;
  token: string;
}

/** The HTTP front: routes a request to the control plane, the grant page, the home page or the REST API. */
export class SandboxServer {
  readonly http: Server;
  private readonly api: Router<Handler>;
  private readonly control: Router<ControlHandler>;
  private readonly held = new Map<Socket, NodeJS.Timeout>();

  constructor(private readonly env: SandboxEnv) {
    this.api = apiRouter({ appPublicToken: env.appPublicToken });
    this.control = controlRouter();
    this.http = createServer((req, res) => {
      this.dispatch(req, res).catch((err: unknown) => this.crash(res, err));
    });
  }

  /** Ends held (timeout-faulted) requests and background webhook calls. */
  shutdown(): void {
    for (const [socket, timer] of this.held) {
      clearTimeout(timer);
      socket.destroy();
    }
    this.held.clear();
    this.env.webhooks.close();
  }

  private crash(res: ServerResponse, err: unknown): void {
    if (err instanceof ClientGoneError || !res.socket || res.socket.destroyed) {
      res.destroy();
      return;
    }
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'economic-sandbox request failed', error: String(err instanceof Error ? err.stack : err) })}\n`);
    if (!res.headersSent) {
      const e = new InternalServerError();
      sendJson(res, 500, e.body());
    } else {
      res.destroy();
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const lower = url.pathname.toLowerCase();
    if (lower.startsWith('/__sandbox/')) return this.controlRequest(req, res, method, url.pathname);
    if (lower === '/requestaccess.aspx') return this.grantRequest(req, res, method, url);
    if (url.pathname === '/' && (method === 'GET' || method === 'HEAD')) {
      return sendHtml(res, 200, homePage(this.env.store, url.searchParams.get('agreement')));
    }
    return this.apiRequest(req, res, method, url);
  }

  // ------------------------------------------------------------------ control plane

  private async controlRequest(req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<void> {
    const store = this.env.store;
    try {
      const raw = await readRawBody(req);
      let body: unknown;
      try {
        body = raw.trim() === '' ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        throw new ControlError(400, 'The request body is not valid JSON.');
      }
      const route = this.control.resolve(method, path);
      if (route.kind === 'none') throw new ControlError(404, `Unknown sandbox route ${method} ${path}.`);
      if (route.kind === 'method') throw new ControlError(405, `Method not allowed; use ${route.allowed.join(', ')}.`);
      const token = header(req, 'x-agreementgranttoken');
      const reply = route.match.handler({
        env: this.env,
        params: route.match.params,
        body,
        agreement: () => {
          if (!token || token === 'demo') return store.first();
          const grant = store.grant(token);
          if (!grant?.agreement) throw new ControlError(401, 'Unknown X-AgreementGrantToken.');
          return grant.agreement;
        },
      });
      sendJson(res, reply.status, reply.body, reply.headers, true);
    } catch (err) {
      if (err instanceof ControlError) return sendJson(res, err.status, { statusCode: err.status, message: err.message }, {}, true);
      if (err instanceof ApiError) return sendJson(res, err.status, { statusCode: err.status, message: err.message }, {}, true);
      throw err;
    }
  }

  // ------------------------------------------------------------------ grant page

  private async grantRequest(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const { store, appPublicToken } = this.env;
    try {
      if (method === 'GET') return sendHtml(res, 200, grantPage(store, grantParams(url.searchParams), appPublicToken));
      if (method === 'POST') {
        const form = new URLSearchParams(await readRawBody(req));
        const outcome = approveGrant(store, grantParams(form, url.searchParams), appPublicToken);
        if (outcome.kind === 'page') return sendHtml(res, 200, outcome.html);
        res.writeHead(302, { Location: outcome.location, 'Content-Length': 0 });
        res.end();
        return;
      }
      res.writeHead(405, { Allow: 'GET, POST', 'Content-Length': 0 });
      res.end();
    } catch (err) {
      if (err instanceof ControlError || err instanceof ApiError) return sendHtml(res, err instanceof ControlError ? err.status : err.status, grantErrorPage(err.message));
      throw err;
    }
  }

  // ------------------------------------------------------------------ REST API

  private authenticate(req: IncomingMessage, url: URL): Auth {
    const store = this.env.store;
    const secret = header(req, 'x-appsecrettoken');
    const token = header(req, 'x-agreementgranttoken');
    const demoQuery = !secret && !token && url.searchParams.get('demo')?.toLowerCase() === 'true';
    if ((secret === 'demo' && token === 'demo') || demoQuery) return { agreement: store.first(), demo: true, token: 'demo' };
    if (!secret) throw new UnauthorizedError('The X-AppSecretToken header is missing.');
    if (!token) throw new UnauthorizedError('The X-AgreementGrantToken header is missing.');
    if (secret !== this.env.appSecretToken) throw new UnauthorizedError('The X-AppSecretToken is not valid.');
    const grant = store.grant(token);
    if (!grant || !grant.agreement) throw new UnauthorizedError('The X-AgreementGrantToken is not valid.');
    if (grant.revoked) throw new UnauthorizedError('The agreement grant has been revoked.');
    return { agreement: grant.agreement, demo: false, token };
  }

  /** Is the agreement behind this request still there, with the grant intact (a reset may have run meanwhile)? */
  private stillValid(auth: Auth): boolean {
    const store = this.env.store;
    if (store.agreements.get(auth.agreement.agreementNumber) !== auth.agreement) return false;
    if (auth.demo) return true;
    const grant = store.grant(auth.token);
    return grant !== undefined && !grant.revoked;
  }

  private async apiRequest(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const path = url.pathname;
    let auth: Auth;
    try {
      auth = this.authenticate(req, url);
    } catch (err) {
      if (err instanceof ApiError) return sendJson(res, err.status, err.body(), err.headers);
      throw err;
    }
    const a = auth.agreement;
    const log = (status: number, fault?: FaultKind): void => {
      a.requests.push({ method, path, query: url.search, status, ...(fault ? { fault } : {}), at: new Date().toISOString() });
      if (a.requests.length > MAX_REQUEST_LOG + 1000) a.requests.splice(0, a.requests.length - MAX_REQUEST_LOG);
    };
    const answer = (err: ApiError, fault?: FaultKind): void => {
      sendJson(res, err.status, err.body(), err.headers);
      log(err.status, fault);
    };

    if (auth.demo && method !== 'GET') {
      return answer(new ForbiddenError('Demo access is read-only.', 'Requests made with the demo tokens may only use GET.'));
    }
    if (a.rateLimit) {
      const wait = takeToken(a.rateLimit);
      if (wait !== undefined) return answer(new TooManyRequestsError(wait));
    }
    const route = this.api.resolve(method, path);
    if (route.kind === 'none') return answer(new NotFoundError());
    if (route.kind === 'method') return answer(new MethodNotAllowedError(route.allowed));

    const fault = decideFault(a, method, path);
    if (fault?.kind === 'timeout') {
      log(0, 'timeout');
      return this.hold(req, fault.holdMs);
    }
    if (fault?.kind === '500') return answer(new InternalServerError(), '500');
    if (fault?.kind === '429') return answer(new TooManyRequestsError(1), '429');

    let body: unknown;
    try {
      if (BODY_METHODS.has(method) && !isJsonContentType(req)) throw new UnsupportedMediaTypeError();
      const raw = await readRawBody(req);
      body = BODY_METHODS.has(method) ? parseJson(raw) : undefined;
    } catch (err) {
      if (err instanceof ApiError) return answer(err, fault?.kind);
      throw err;
    }
    if (!this.stillValid(auth)) {
      return sendJson(res, 401, new UnauthorizedError('The agreement grant is no longer valid.').body());
    }

    // From here to the reply everything is synchronous, so no other request interleaves.
    const ctx: Ctx = {
      method,
      path,
      query: new Query(url.searchParams),
      params: route.match.params,
      body,
      agreement: a,
      links: this.env.links,
      effects: [],
    };
    let reply: Reply;
    try {
      reply = route.match.handler(ctx);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      ctx.effects = [];
      reply = { status: err.status, body: err.body(), headers: err.headers };
    }
    if (fault?.kind === 'drop-after-commit') {
      log(reply.status, 'drop-after-commit');
      req.socket.destroy();
    } else {
      sendJson(res, reply.status, reply.body, reply.headers);
      log(reply.status);
    }
    this.env.webhooks.fire(a, ctx.effects);
  }

  /** The `timeout` fault: keep the request unanswered, then drop the connection. Nothing is committed. */
  private hold(req: IncomingMessage, holdMs: number): void {
    const socket = req.socket;
    const timer = setTimeout(() => {
      this.held.delete(socket);
      socket.destroy();
    }, holdMs);
    this.held.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.held.delete(socket);
    });
  }
}
