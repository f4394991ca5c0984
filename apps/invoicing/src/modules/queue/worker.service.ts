import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { errorMessage } from '@bogholder/messaging';
import { ROOT_LOGGER, RootLogger, SERVICE_ENV } from '@bogholder/service-kit';
import { InvoicingEnv } from '../../config/env';
import type { JobKind } from './entities/job.entity';
import { ClaimedJob, QueueService } from './queue.service';

export interface JobContext {
  /** Aborted when the service shuts down: stop, do not record a failure. */
  signal: AbortSignal;
  /** The lease owner to settle the job with (`complete` / `retryLater`). */
  owner: string;
}

/** Runs one kind of job. It must settle the job (QueueService.complete / retryLater) in its last transaction. */
export interface JobProcessor {
  run(job: ClaimedJob, ctx: JobContext): Promise<void>;
}

/** A processor that threw or forgot to settle: look again after this long. */
const UNSETTLED_RETRY_MS = 5_000;

/**
 * The worker loop of a replica: claims due jobs (fair across shops, capped per shop and overall),
 * runs them concurrently, renews their leases while they run and gives them back on shutdown. It
 * is woken right after intake commits and when a job finishes; otherwise it polls.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly owner = `invoicing-${randomUUID()}`;
  private readonly processors = new Map<JobKind, JobProcessor>();
  private readonly active = new Map<string, Promise<void>>();
  private readonly logger: RootLogger;
  private readonly shutdown = new AbortController();
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private renewTimer: NodeJS.Timeout | null = null;
  /** Jobs run since start, for metrics and benchmarks. */
  completed = 0;

  constructor(
    private readonly queue: QueueService,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENV) private readonly env: InvoicingEnv,
    @Inject(ROOT_LOGGER) logger: RootLogger,
  ) {
    this.logger = logger.child({ component: 'worker' });
    queue.onWake(() => this.wake());
  }

  register(kind: JobKind, processor: JobProcessor): void {
    this.processors.set(kind, processor);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
    this.renewTimer = setInterval(() => {
      this.queue.renew(this.owner, [...this.active.keys()], this.env.INVOICING_JOB_LEASE_MS).catch((err) => this.logger.warn({ err: errorMessage(err) }, 'could not renew job leases'));
    }, Math.max(200, Math.floor(this.env.INVOICING_JOB_LEASE_MS / 3)));
    this.renewTimer.unref();
  }

  /**
   * Shutdown: stop claiming, let running jobs finish (an interrupted write would only cost a look-up
   * later), abort what is still running after 10 s, and give the remaining leases back at once.
   */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.settleActive(10_000);
    if (this.active.size) {
      this.shutdown.abort(new Error('the invoicing service is shutting down'));
      await this.settleActive(3_000);
    }
    if (this.renewTimer) clearInterval(this.renewTimer);
    await this.queue.release(this.owner, [...this.active.keys()]).catch(() => undefined);
  }

  private async settleActive(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.active.size && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.active.values()]), new Promise((r) => setTimeout(r, 100))]);
    }
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Jobs running in this replica now. */
  get inFlight(): number {
    return this.active.size;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.woken = false;
      const free = this.env.INVOICING_CONCURRENCY - this.active.size;
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        try {
          claimed = await this.queue.claim(this.owner, free, this.env.INVOICING_SHOP_CONCURRENCY, this.env.INVOICING_JOB_LEASE_MS);
          failures = 0;
        } catch (err) {
          failures++;
          if (this.running) this.logger.warn({ err: errorMessage(err) }, 'could not claim jobs; will try again');
        }
      }
      for (const job of claimed) this.launch(job);
      if (!this.running) break;
      if (claimed.length > 0 && claimed.length === free) continue;
      if (this.woken) continue;
      let waitMs = failures ? Math.min(250 * 2 ** failures, 10_000) : this.env.INVOICING_POLL_MS;
      // With jobs running, their completion wakes the loop; when idle, sleep until the next job is due.
      if (!failures && this.active.size === 0) {
        const due = await this.queue.nextDueInMs().catch(() => null);
        if (due !== null) waitMs = Math.min(waitMs, Math.max(due, 10));
      }
      if (this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  private launch(job: ClaimedJob): void {
    const done = this.execute(job).finally(() => {
      this.active.delete(job.id);
      this.completed++;
      this.wake();
    });
    this.active.set(job.id, done);
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const processor = this.processors.get(job.kind);
    const log = { jobId: job.id, kind: job.kind, shopId: job.shopId, orderId: job.orderId, subId: job.subId || undefined };
    try {
      if (!processor) throw new Error(`no processor for job kind ${job.kind}`);
      await processor.run(job, { signal: this.shutdown.signal, owner: this.owner });
    } catch (err) {
      if (this.shutdown.signal.aborted) return;
      this.logger.error({ ...log, err: errorMessage(err) }, 'job failed unexpectedly; it will run again');
    }
    if (job.settled || this.shutdown.signal.aborted) return;
    await this.dataSource
      .transaction((m) => this.queue.retryLater(m, job, this.owner, UNSETTLED_RETRY_MS))
      .catch((err) => this.logger.error({ ...log, err: errorMessage(err) }, 'could not reschedule a job; its lease will expire and it runs again'));
  }
}
