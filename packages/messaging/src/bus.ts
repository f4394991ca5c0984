import {
  connect, DiscardPolicy, headers as natsHeaders, JetStreamClient, JetStreamManager, NatsConnection, nanos, RetentionPolicy,
  StorageType, StreamConfig,
} from 'nats';
import { EventEnvelope, STREAMS, StreamDefinition } from '@bogholder/contracts';
import { BusNamespace } from './namespace';

export interface BusOptions {
  /** e.g. nats://127.0.0.1:4222 (comma-separated for a cluster). */
  servers: string;
  /** Connection name shown by the NATS server, e.g. `invoicing`. */
  name: string;
  namespace?: string;
  /** How long to wait for a PubAck before a publish fails (default 5 s). */
  publishTimeoutMs?: number;
}

export interface PublishResult {
  stream: string;
  seq: number;
  /** The server already had a message with this id (inside the stream's duplicate window). */
  duplicate: boolean;
}

/** Stream limits: long enough to replay a week of events; dedupe window wide enough for retries. */
export const STREAM_MAX_AGE_MS = 14 * 24 * 3600 * 1000;
export const STREAM_DUPLICATE_WINDOW_MS = 15 * 60 * 1000;

/** One NATS connection per process: JetStream publishing, stream provisioning and the raw client. */
export class Bus {
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly ns: BusNamespace,
    private readonly publishTimeoutMs: number,
  ) {}

  static async connect(options: BusOptions): Promise<Bus> {
    const nc = await connect({
      servers: options.servers.split(',').map((s) => s.trim()),
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      timeout: 5000,
    });
    const jsm = await nc.jetstreamManager({ timeout: 10_000 });
    return new Bus(nc, nc.jetstream({ timeout: options.publishTimeoutMs ?? 5000 }), jsm, new BusNamespace(options.namespace), options.publishTimeoutMs ?? 5000);
  }

  /** Creates or updates every stream so that it matches its definition; safe to run on every start. */
  async ensureStreams(definitions: readonly StreamDefinition[] = STREAMS): Promise<void> {
    for (const def of definitions) {
      const config: Partial<StreamConfig> & { name: string } = {
        name: this.ns.stream(def.name),
        subjects: def.subjects.map((s) => this.ns.subject(s)),
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_age: nanos(STREAM_MAX_AGE_MS),
        duplicate_window: nanos(STREAM_DUPLICATE_WINDOW_MS),
        num_replicas: 1,
      };
      try {
        await this.jsm.streams.info(config.name);
        await this.jsm.streams.update(config.name, config);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        try {
          await this.jsm.streams.add(config);
        } catch (addErr) {
          // Another service created it in the meantime: make sure it has our config.
          if (!/already in use/i.test(String(addErr))) throw addErr;
          await this.jsm.streams.update(config.name, config);
        }
      }
    }
  }

  /** Publishes an envelope and waits for JetStream's PubAck; `Nats-Msg-Id` = `envelope.id`. */
  async publish(envelope: EventEnvelope): Promise<PublishResult> {
    const h = natsHeaders();
    h.set('Correlation-Id', envelope.correlationId);
    h.set('Bogholder-Shop-Id', envelope.shopId);
    const ack = await this.js.publish(this.ns.subject(envelope.type), JSON.stringify(envelope), {
      msgID: envelope.id,
      headers: h,
      timeout: this.publishTimeoutMs,
    });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }

  /** Round trip to the server, for health checks. */
  async ping(timeoutMs = 2000): Promise<number> {
    if (this.nc.isClosed()) throw new Error('NATS connection is closed');
    return await Promise.race([
      this.nc.rtt(),
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`NATS did not answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    try {
      await this.nc.drain();
    } catch {
      await this.nc.close();
    }
  }
}

export function isNotFound(err: unknown): boolean {
  const e = err as { code?: string; api_error?: { err_code?: number } };
  return e?.code === '404' || e?.api_error?.err_code === 10059 || e?.api_error?.err_code === 10014 || /not found/i.test(String(err));
}
