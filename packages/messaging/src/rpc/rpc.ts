import { headers as natsHeaders, Msg, Subscription } from 'nats';
import type { RpcErrorBody, RpcReply } from '@bogholder/contracts';
import type { Bus } from '../bus';
import { currentCorrelationId, runWithCorrelation } from '../correlation';
import { BogholderError, errorMessage, RetryableError } from '../errors';
import { MessagingLogger, silentLogger } from '../logger';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Thrown by `RpcClient.request` when the other side answered with an error. */
export class RpcError extends BogholderError {
  constructor(readonly body: RpcErrorBody) {
    super(body.code, body.message, body.retryable, { status: body.status, details: body.errors });
  }
}

/** Thrown when nobody answered (service down, no responders, timeout): always retryable. */
export class RpcUnavailableError extends RetryableError {
  constructor(subject: string, cause: unknown) {
    super('service_unavailable', `no answer on ${subject}: ${errorMessage(cause)}`, { status: 503, cause });
  }
}

export type RpcHandler = (request: any) => Promise<unknown>;

/** Serves request/reply subjects in a queue group, so replicas share the load. */
export class RpcServer {
  private readonly subs: Subscription[] = [];
  private inFlight = 0;

  constructor(
    private readonly bus: Bus,
    private readonly service: string,
    private readonly logger: MessagingLogger = silentLogger,
  ) {}

  serve(subject: string, handler: RpcHandler): void {
    const sub = this.bus.nc.subscribe(this.bus.ns.subject(subject), {
      queue: this.service,
      callback: (err, msg) => {
        if (err) return;
        void this.answer(subject, msg, handler);
      },
    });
    this.subs.push(sub);
  }

  private async answer(subject: string, msg: Msg, handler: RpcHandler): Promise<void> {
    this.inFlight++;
    let reply: RpcReply<unknown>;
    const correlationId = msg.headers?.get('Correlation-Id') || `rpc-${Date.now().toString(36)}`;
    try {
      const request = JSON.parse(decoder.decode(msg.data));
      const data = await runWithCorrelation(correlationId, () => handler(request));
      reply = { ok: true, data };
    } catch (err) {
      if (err instanceof BogholderError) {
        reply = { ok: false, error: { code: err.code, message: err.message, retryable: err.retryable, status: err.status, errors: err.options.details as RpcErrorBody['errors'] } };
      } else {
        this.logger.error({ subject, err: errorMessage(err) }, 'rpc handler failed');
        reply = { ok: false, error: { code: 'internal_error', message: `internal error in ${this.service}: ${errorMessage(err)}`, retryable: true, status: 500 } };
      }
    } finally {
      this.inFlight--;
    }
    if (msg.reply) msg.respond(encoder.encode(JSON.stringify(reply)));
  }

  async stop(timeoutMs = 5000): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}

export class RpcClient {
  constructor(private readonly bus: Bus) {}

  async request<T>(subject: string, payload: unknown, timeoutMs = 10_000): Promise<T> {
    const h = natsHeaders();
    const correlationId = currentCorrelationId();
    if (correlationId) h.set('Correlation-Id', correlationId);
    let msg: Msg;
    try {
      msg = await this.bus.nc.request(this.bus.ns.subject(subject), encoder.encode(JSON.stringify(payload)), { timeout: timeoutMs, headers: h });
    } catch (err) {
      throw new RpcUnavailableError(subject, err);
    }
    const reply = JSON.parse(decoder.decode(msg.data)) as RpcReply<T>;
    if (!reply.ok) throw new RpcError(reply.error);
    return reply.data;
  }
}
