import { AsyncResource } from 'node:async_hooks';

/**
 * Runs a piece of work again and again without overlapping itself: `trigger()` starts it, or asks for
 * one more round if it is running. `work` returns true when there is more to do right away.
 */
export class Pump {
  /** Rounds run in the context the pump was created in, not in the caller's (no stray correlation ids in logs). */
  private readonly scope = new AsyncResource('Pump');
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly work: () => Promise<boolean>,
    private readonly onError: (err: unknown) => void,
  ) {}

  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.scope.runInAsyncScope(() => this.loop()).finally(() => {
      this.running = null;
    });
  }

  /** Triggers after `ms` (e.g. when a coalescing window ends). */
  triggerIn(ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.trigger();
    }, Math.max(0, ms));
    timer.unref();
    this.timers.add(timer);
  }

  /** Waits for the current round, then refuses to run again. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.running;
  }

  /** Resolves once no round is running (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        if (await this.work()) this.again = true;
      } catch (err) {
        this.onError(err);
      }
    } while (this.again && !this.stopped);
  }
}
