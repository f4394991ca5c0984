import { AckPolicy, ConsumerConfig, ConsumerEvents, ConsumerMessages, DeliverPolicy, JsMsg, nanos, ReplayPolicy } from 'nats';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope, PayloadMap, Subject, streamFor, validateEnvelope } from '@bogholder/contracts';
import type { Bus } from '../bus';
import { runWithCorrelation } from '../correlation';
import { BogholderError, errorCode, errorMessage, PermanentError } from '../errors';
import { MessagingLogger, silentLogger } from '../logger';
import type { Outbox } from '../outbox/outbox';
import { Semaphore } from './semaphore';

export interface HandlerContext {
  /** The transaction the inbox row is written in: write business changes and outbox rows here. */
  manager: EntityManager;
  deliveryCount: number;
  streamSeq: number;
}

export type EventHandler<S extends Subject = Subject> = (
  envelope: EventEnvelope<S extends keyof PayloadMap ? PayloadMap[S] : unknown>,
  ctx: HandlerContext,
) => Promise<void>;

export interface ConsumerOptions {
  /** How many messages of this consumer are handled at once (default 1). */
  concurrency?: number;
  /** Deliveries before the message is dead-lettered (default 10). */
  maxDeliver?: number;
  /** Delay before the n-th retry (the last value repeats); default 1 s, 5 s, 30 s, 2 min, 10 min. */
  backoffMs?: number[];
  /** Time a delivery may stay unacknowledged before the server redelivers it (default 30 s); long handlers are kept alive. */
  ackWaitMs?: number;
}

export interface ConsumerRunnerOptions {
  /** The consuming service, e.g. `invoicing`; durable names are `<service>-<subject with dashes>`. */
  service: string;
  logger?: MessagingLogger;
  onOutcome?: (subject: string, outcome: 'ack' | 'duplicate' | 'retry' | 'dead-letter', durationMs: number) => void;
  /** Missed idle heartbeats before a pull loop is rebuilt (default 2). */
  heartbeatsBeforeRestart?: number;
  /** Lifetime of each pull request; the server sends idle heartbeats every half of it (default 10 s). */
  pullExpiresMs?: number;
}

const DEFAULT_BACKOFF = [1000, 5000, 30_000, 120_000, 600_000];

interface Registration {
  subject: Subject;
  handler: EventHandler;
  options: Required<ConsumerOptions>;
  durable: string;
  stream: string;
}

/**
 * Durable pull consumers with an explicit ack policy: one per (service, subject). A message is
 * validated, handled in a DB transaction together with its inbox row (so a redelivery is handled
 * once), then acked. `RetryableError` or any unknown error → nak with backoff; `PermanentError`,
 * an invalid message or the last allowed delivery → term + a dead-letter row.
 */
export class ConsumerRunner {
  private readonly registrations: Registration[] = [];
  private readonly loops: ConsumerLoop[] = [];
  private readonly logger: MessagingLogger;
  private advisorySub: { unsubscribe(): void } | null = null;
  /** Pull loops rebuilt after missed heartbeats or errors, for metrics and tests. */
  get restarts(): number {
    return this.loops.reduce((n, l) => n + l.restarts, 0);
  }

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: Bus,
    private readonly outbox: Outbox | null,
    private readonly options: ConsumerRunnerOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  register<S extends Subject>(subject: S, handler: EventHandler<S>, options: ConsumerOptions = {}): void {
    const durable = `${this.options.service}-${subject.replace(/\./g, '-')}`;
    if (this.registrations.some((r) => r.durable === durable)) throw new Error(`${durable} is registered twice`);
    this.registrations.push({
      subject,
      handler: handler as EventHandler,
      durable,
      stream: this.bus.ns.stream(streamFor(subject).name),
      options: {
        concurrency: options.concurrency ?? 1,
        maxDeliver: options.maxDeliver ?? 10,
        backoffMs: options.backoffMs ?? DEFAULT_BACKOFF,
        ackWaitMs: options.ackWaitMs ?? 30_000,
      },
    });
  }

  durableNames(): string[] {
    return this.registrations.map((r) => r.durable);
  }

  async start(): Promise<void> {
    for (const reg of this.registrations) {
      await this.ensureConsumer(reg);
      const loop = new ConsumerLoop(reg, this.dataSource, this.bus, this.outbox, this.options, this.logger, () => this.ensureConsumer(reg));
      this.loops.push(loop);
      loop.start();
    }
    this.watchMaxDeliveries();
  }

  /** Stops pulling, lets in-flight handlers finish (up to `timeoutMs`), and returns. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.advisorySub?.unsubscribe();
    await Promise.all(this.loops.map((l) => l.stop(timeoutMs)));
    this.loops.length = 0;
  }

  private async ensureConsumer(reg: Registration): Promise<void> {
    const config: Partial<ConsumerConfig> = {
      durable_name: reg.durable,
      filter_subject: this.bus.ns.subject(reg.subject),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      replay_policy: ReplayPolicy.Instant,
      ack_wait: nanos(reg.options.ackWaitMs),
      max_deliver: reg.options.maxDeliver,
      max_ack_pending: Math.max(1000, reg.options.concurrency * 4),
    };
    try {
      await this.bus.jsm.consumers.info(reg.stream, reg.durable);
      await this.bus.jsm.consumers.update(reg.stream, reg.durable, config);
    } catch (err) {
      if (!/not found/i.test(String(err))) throw err;
      await this.bus.jsm.consumers.add(reg.stream, config);
    }
  }

  /** A delivery that ran out of attempts without reaching our code (crash loops) still gets a dead-letter row. */
  private watchMaxDeliveries(): void {
    const byKey = new Map(this.registrations.map((r) => [`${r.stream}.${r.durable}`, r]));
    if (!byKey.size) return;
    this.advisorySub = this.bus.nc.subscribe('$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>', {
      queue: `${this.options.service}-advisories`,
      callback: (err, msg) => {
        if (err) return;
        void (async () => {
          const advisory = JSON.parse(new TextDecoder().decode(msg.data)) as { stream: string; consumer: string; stream_seq: number; deliveries: number };
          const reg = byKey.get(`${advisory.stream}.${advisory.consumer}`);
          if (!reg) return;
          const stored = await this.bus.jsm.streams.getMessage(advisory.stream, { seq: advisory.stream_seq }).catch(() => null);
          const payload = stored ? new TextDecoder().decode(stored.data) : '';
          await deadLetter(this.dataSource, reg, payload, advisory.stream_seq, advisory.deliveries, 'max_deliveries',
            `not handled after ${advisory.deliveries} deliveries (the handler crashed or timed out each time)`);
          this.logger.error({ consumer: reg.durable, streamSeq: advisory.stream_seq }, 'message dead-lettered after max deliveries');
        })().catch((e) => this.logger.error({ err: errorMessage(e) }, 'could not record a max-deliveries dead letter'));
      },
    });
  }
}

/** Ack/nak/term on a closed connection throw; the server will redeliver, and the inbox makes that harmless. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // connection gone: nothing to do
  }
}

async function deadLetter(dataSource: DataSource, reg: Registration, payload: string, streamSeq: number, deliveries: number, code: string, message: string) {
  let messageId: string | null = null;
  try {
    messageId = (JSON.parse(payload) as { id?: string }).id ?? null;
  } catch {
    messageId = null;
  }
  await dataSource.query(
    `INSERT INTO dead_letters (consumer, subject, stream_seq, message_id, payload, error_code, error_message, deliveries)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8
     WHERE NOT EXISTS (SELECT 1 FROM dead_letters WHERE consumer = $1 AND stream_seq = $3)`,
    [reg.durable, reg.subject, streamSeq, messageId, payload, code, message.slice(0, 4000), deliveries],
  );
}

class ConsumerLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private messages: ConsumerMessages | null = null;
  private readonly semaphore: Semaphore;
  restarts = 0;

  constructor(
    private readonly reg: Registration,
    private readonly dataSource: DataSource,
    private readonly bus: Bus,
    private readonly outbox: Outbox | null,
    private readonly runner: ConsumerRunnerOptions,
    private readonly logger: MessagingLogger,
    private readonly ensureConsumer: () => Promise<void>,
  ) {
    this.semaphore = new Semaphore(reg.options.concurrency);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(timeoutMs: number): Promise<void> {
    this.running = false;
    this.messages?.stop();
    await Promise.race([
      (async () => {
        await this.loop;
        await this.semaphore.idle();
      })(),
      new Promise((r) => setTimeout(r, timeoutMs).unref()),
    ]);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const consumer = await this.bus.js.consumers.get(this.reg.stream, this.reg.durable).catch(async (err: unknown) => {
          // Deleted behind our back (or the stream was recreated): provision it again.
          if (!/not found/i.test(String(err))) throw err;
          await this.ensureConsumer();
          return await this.bus.js.consumers.get(this.reg.stream, this.reg.durable);
        });
        const messages = await consumer.consume({
          max_messages: Math.max(2 * this.reg.options.concurrency, 8),
          expires: this.runner.pullExpiresMs ?? 10_000,
        });
        this.messages = messages;
        this.watchHeartbeats(messages);
        failures = 0;
        for await (const msg of messages) {
          if (!this.running) {
            settle(() => msg.nak());
            continue;
          }
          await this.semaphore.acquire();
          void this.handle(msg).finally(() => this.semaphore.release());
        }
      } catch (err) {
        failures++;
        this.logger.warn({ consumer: this.reg.durable, err: errorMessage(err) }, 'consumer loop failed; rebuilding');
      }
      if (this.running) this.restarts++;
      if (this.running) await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** failures, 5000)));
    }
  }

  private watchHeartbeats(messages: ConsumerMessages): void {
    const limit = this.runner.heartbeatsBeforeRestart ?? 2;
    void (async () => {
      for await (const status of await messages.status()) {
        if (status.type === ConsumerEvents.HeartbeatsMissed && Number(status.data) >= limit) {
          this.logger.warn({ consumer: this.reg.durable, missed: status.data }, 'heartbeats missed; restarting the pull loop');
          messages.stop();
          return;
        }
        if (status.type === ConsumerEvents.ConsumerDeleted) {
          messages.stop();
          return;
        }
      }
    })().catch(() => undefined);
  }

  private async handle(msg: JsMsg): Promise<void> {
    const started = Date.now();
    const { deliveryCount } = msg.info;
    const streamSeq = msg.seq;
    const payload = new TextDecoder().decode(msg.data);
    const keepAlive = setInterval(() => settle(() => msg.working()), Math.max(this.reg.options.ackWaitMs / 3, 200));
    let outcome: 'ack' | 'duplicate' | 'retry' | 'dead-letter' = 'ack';
    let envelope: EventEnvelope | null = null;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(payload);
      } catch {
        throw new PermanentError('invalid_message', 'the message is not JSON');
      }
      const checked = validateEnvelope(raw);
      if (!checked.ok) throw new PermanentError('invalid_message', `invalid envelope: ${checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
      envelope = checked.envelope;
      const env = envelope;
      const duplicate = await runWithCorrelation(env.correlationId, () =>
        this.dataSource.transaction(async (manager) => {
          const inserted: unknown[] = await manager.query(
            `INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
            [this.reg.durable, env.id],
          );
          if (!inserted.length) return true;
          await this.reg.handler(env as EventEnvelope<never>, { manager, deliveryCount, streamSeq });
          return false;
        }),
      );
      outcome = duplicate ? 'duplicate' : 'ack';
      this.outbox?.notify();
      settle(() => msg.ack());
    } catch (err) {
      const permanent = err instanceof BogholderError && !err.retryable;
      const exhausted = deliveryCount >= this.reg.options.maxDeliver;
      if (permanent || exhausted) {
        outcome = 'dead-letter';
        try {
          await deadLetter(this.dataSource, this.reg, payload, streamSeq, deliveryCount, errorCode(err),
            exhausted && !permanent ? `gave up after ${deliveryCount} deliveries: ${errorMessage(err)}` : errorMessage(err));
          settle(() => msg.term(errorMessage(err).slice(0, 200)));
        } catch (dlqErr) {
          // Without a dead-letter row we must not drop the message: let it come back.
          outcome = 'retry';
          settle(() => msg.nak(this.delayFor(deliveryCount, err)));
          this.logger.error({ consumer: this.reg.durable, err: errorMessage(dlqErr) }, 'could not write a dead letter; message will be redelivered');
        }
        this.logger.error({ consumer: this.reg.durable, messageId: envelope?.id, code: errorCode(err), err: errorMessage(err), deliveryCount }, 'message dead-lettered');
      } else {
        outcome = 'retry';
        const delay = this.delayFor(deliveryCount, err);
        settle(() => msg.nak(delay));
        this.logger.warn({ consumer: this.reg.durable, messageId: envelope?.id, code: errorCode(err), err: errorMessage(err), deliveryCount, retryInMs: delay }, 'handler failed; will retry');
      }
    } finally {
      clearInterval(keepAlive);
      this.runner.onOutcome?.(this.reg.subject, outcome, Date.now() - started);
    }
  }

  private delayFor(deliveryCount: number, err: unknown): number {
    const list = this.reg.options.backoffMs;
    const base = list[Math.min(deliveryCount - 1, list.length - 1)] ?? 1000;
    const hinted = err instanceof BogholderError ? err.retryAfterMs : undefined;
    return Math.max(base, hinted ?? 0);
  }
}
