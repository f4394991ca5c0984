import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ShopWebhookBody } from '@bogholder/contracts';
import { errorMessage } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger } from '@bogholder/service-kit';
import { GatewayEnv } from '../../config/env';
import { BodyCheck, checkWebhookBody } from './webhook-body';
import type { BodyJob } from './webhook-body.worker';

interface Pending {
  job: BodyJob;
  resolve: (check: BodyCheck) => void;
  reject: (err: unknown) => void;
}

/** Checks on this thread instead (a worker failed or is shutting down). */
function checkHere(pending: Pending): void {
  try {
    pending.resolve(checkWebhookBody(pending.job.contentType, pending.job.raw));
  } catch (err) {
    pending.reject(err);
  }
}

interface Thread {
  worker: Worker;
  startedAt: number;
  /** Jobs sent and not answered yet. */
  sent: Map<number, Pending>;
  batches: number;
}

const WORKER_FILE = join(__dirname, 'webhook-body.worker.js');
/** One batch per thread at a time: bodies arriving meanwhile go together in the next message. */
const MAX_BATCHES_IN_FLIGHT = 1;
const MAX_BATCH = 256;
const decoder = new TextDecoder();

/**
 * Checks webhook bodies on WEBHOOK_VALIDATION_THREADS worker threads (0: on the HTTP thread).
 * Jobs are sent in batches, so under load one message carries many bodies. A thread that dies is
 * replaced and its jobs are checked on the HTTP thread, so no webhook is lost or refused for it.
 * From TypeScript sources (tests) there is no compiled worker, and bodies are checked inline.
 */
@Injectable()
export class WebhookBodyChecker implements OnModuleInit, OnModuleDestroy {
  private threads: Thread[] = [];
  private queue: Pending[] = [];
  private nextId = 0;
  private stopping = false;
  private scheduled = false;

  constructor(
    private readonly env: GatewayEnv,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  onModuleInit(): void {
    if (this.env.WEBHOOK_VALIDATION_THREADS > 0 && !existsSync(WORKER_FILE)) {
      this.logger.debug('webhook bodies are checked on the HTTP thread (no compiled worker next to this file)');
      return;
    }
    for (let i = 0; i < this.env.WEBHOOK_VALIDATION_THREADS; i++) this.threads.push(this.spawn());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    const threads = this.threads;
    this.threads = [];
    for (const pending of this.queue.splice(0)) checkHere(pending);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  /** The body's check; when it is fine, the parsed body. */
  check(contentType: string | undefined, raw: Buffer): BodyCheck | Promise<BodyCheck> {
    if (!this.threads.length) return checkWebhookBody(contentType, raw);
    return new Promise<BodyCheck>((resolve, reject) => {
      const job: BodyJob = { id: this.nextId++, contentType, raw };
      this.queue.push({
        job,
        resolve: (check) => resolve(check.ok ? { ok: true, body: JSON.parse(decoder.decode(raw)) as ShopWebhookBody } : check),
        reject,
      });
      // Bodies that arrive in the same turn of the event loop travel in one message.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.dispatch();
        });
      }
    });
  }

  private dispatch(): void {
    while (this.queue.length) {
      const thread = this.threads.reduce<Thread | undefined>((best, t) => (t.batches < MAX_BATCHES_IN_FLIGHT && (!best || t.batches < best.batches) ? t : best), undefined);
      if (!thread) return;
      const batch = this.queue.splice(0, MAX_BATCH);
      for (const pending of batch) thread.sent.set(pending.job.id, pending);
      thread.batches++;
      thread.worker.postMessage(batch.map((p) => p.job));
    }
  }

  private spawn(): Thread {
    const thread: Thread = { worker: new Worker(WORKER_FILE), startedAt: Date.now(), sent: new Map(), batches: 0 };
    thread.worker.on('message', (answers: { id: number; check: BodyCheck | null }[]) => {
      thread.batches--;
      for (const { id, check } of answers) {
        const pending = thread.sent.get(id);
        thread.sent.delete(id);
        if (!pending) continue;
        // null: the check itself failed on the worker; doing it here surfaces the error to the request.
        if (check) pending.resolve(check);
        else checkHere(pending);
      }
      this.dispatch();
    });
    const replace = (why: string) => {
      if (!this.threads.includes(thread)) return;
      this.threads = this.threads.filter((t) => t !== thread);
      for (const pending of thread.sent.values()) checkHere(pending);
      thread.sent.clear();
      if (this.stopping) return;
      if (Date.now() - thread.startedAt < 5_000) {
        // It cannot even start: check on the HTTP thread from now on rather than restart in a loop.
        this.logger.error({ why }, 'a webhook validation thread failed right after starting and is not restarted');
        if (this.threads.length) this.dispatch();
        else for (const pending of this.queue.splice(0)) checkHere(pending);
        return;
      }
      this.logger.error({ why }, 'a webhook validation thread stopped; starting a new one');
      this.threads.push(this.spawn());
      this.dispatch();
    };
    thread.worker.on('error', (err) => replace(errorMessage(err)));
    thread.worker.on('exit', (code) => replace(`exited with ${code}`));
    return thread;
  }
}
