import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { RequestEvent } from '@bogholder/economic-client';
import { Metrics } from '@bogholder/service-kit';

interface Tally {
  calls: number;
  taken: number;
}

/**
 * Counts e-conomic requests per piece of work. Every client of the service kit reports each attempt
 * to `Metrics.observeEconomic`, in the caller's async context; wrapping that hook lets a job learn how
 * many calls it made (the steady state is two per booked invoice) without touching the shared client.
 */
@Injectable()
export class EconomicCallMeter {
  private readonly storage = new AsyncLocalStorage<Tally>();

  constructor(metrics: Metrics) {
    const observe = metrics.observeEconomic.bind(metrics);
    metrics.observeEconomic = (event: RequestEvent) => {
      observe(event);
      const tally = this.storage.getStore();
      if (tally) tally.calls++;
    };
  }

  /** Runs `work` with its own tally of e-conomic requests. */
  track<T>(work: () => Promise<T>): Promise<T> {
    return this.storage.run({ calls: 0, taken: 0 }, work);
  }

  /** Calls made in the current tracked work since the last `take()` (to add to a row's counter). */
  take(): number {
    const tally = this.storage.getStore();
    if (!tally) return 0;
    const n = tally.calls - tally.taken;
    tally.taken = tally.calls;
    return n;
  }

  /** Calls made so far in the current tracked work. */
  current(): number {
    return this.storage.getStore()?.calls ?? 0;
  }
}
