import { createHash } from 'node:crypto';

export interface BudgetOptions {
  /** Tokens the bucket holds when full: how many requests may start at once. */
  burst: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

/** e-conomic's token bucket per agreement (rolled out from December 2025): burst 2000, refill 30/s. */
export const DEFAULT_BUDGET: BudgetOptions = { burst: 2000, refillPerSecond: 30 };

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const registry = new Map<string, RequestBudget>();

/**
 * A token bucket that paces requests to one agreement. `acquire()` waits for a token; waiters are served
 * first come, first served, by a single timer (no polling). After a 429, `pause(ms)` empties the bucket
 * and holds every waiter until e-conomic's `Retry-After` has passed.
 */
export class RequestBudget {
  readonly burst: number;
  readonly refillPerSecond: number;
  #tokens: number;
  #updatedAt: number;
  #pausedUntil = 0;
  #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: BudgetOptions) {
    if (!(options.burst >= 1) || !Number.isFinite(options.burst)) {
      throw new RangeError('RequestBudget: burst must be a number >= 1');
    }
    if (!(options.refillPerSecond > 0) || !Number.isFinite(options.refillPerSecond)) {
      throw new RangeError('RequestBudget: refillPerSecond must be a number > 0');
    }
    this.burst = options.burst;
    this.refillPerSecond = options.refillPerSecond;
    this.#tokens = options.burst;
    this.#updatedAt = performance.now();
  }

  /**
   * The budget shared by every client of one agreement in this process. `key` identifies the agreement
   * (use `agreementKey(grantToken)`, never the token itself). The first caller's options win.
   */
  static forAgreement(key: string, options: BudgetOptions = DEFAULT_BUDGET): RequestBudget {
    let budget = registry.get(key);
    if (!budget) {
      budget = new RequestBudget(options);
      registry.set(key, budget);
    }
    return budget;
  }

  /** Whole tokens available right now. */
  get available(): number {
    this.#refill();
    return Math.floor(this.#tokens);
  }

  /** Callers waiting for a token. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Takes a token if one is free and nobody is queued before us. */
  tryAcquire(): boolean {
    this.#refill();
    if (this.#waiters.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    return false;
  }

  /** Waits for a token. Rejects with the signal's reason if it aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  /** Empties the bucket and holds all callers for `ms` (e.g. e-conomic's `Retry-After`). */
  pause(ms: number): void {
    this.#refill();
    this.#tokens = 0;
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + Math.max(0, ms));
    this.#schedule();
  }

  toJSON(): Record<string, unknown> {
    return { burst: this.burst, refillPerSecond: this.refillPerSecond, available: this.available, waiting: this.waiting };
  }

  #refill(): void {
    const now = performance.now();
    const from = Math.max(this.#updatedAt, this.#pausedUntil);
    if (now > from) {
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - from) * this.refillPerSecond) / 1000);
    }
    this.#updatedAt = Math.max(this.#updatedAt, now);
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#refill();
    while (this.#waiters.length > 0 && this.#tokens >= 1) {
      const waiter = this.#waiters.shift() as Waiter;
      this.#tokens -= 1;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    if (this.#waiters.length === 0) return;
    const now = performance.now();
    const pausedFor = Math.max(0, this.#pausedUntil - now);
    const refillFor = ((1 - this.#tokens) * 1000) / this.refillPerSecond;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#schedule();
      },
      Math.max(1, Math.ceil(pausedFor + refillFor)),
    );
  }
}

/** A stable, non-reversible key for an agreement: a SHA-256 prefix of its grant token. */
export function agreementKey(agreementGrantToken: string): string {
  return createHash('sha256').update(agreementGrantToken).digest('hex').slice(0, 16);
}
