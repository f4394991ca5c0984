import { IsInt, Max, Min } from 'class-validator';
import { BaseEnv } from '@bogholder/service-kit';

export class InvoicingEnv extends BaseEnv {
  @IsInt() @Min(1) @Max(65535) INVOICING_PORT = 3001;
  /** Jobs (invoices, credit notes, payments) this replica runs at once, across all shops. */
  @IsInt() @Min(1) @Max(512) INVOICING_CONCURRENCY = 32;
  /** Jobs of one shop that run at once (across replicas): a shop's backlog never takes every slot. */
  @IsInt() @Min(1) @Max(512) INVOICING_SHOP_CONCURRENCY = 8;
  /** How often the worker looks for due jobs when nothing woke it. */
  @IsInt() @Min(10) @Max(60_000) INVOICING_POLL_MS = 1000;
  /** A claimed job belongs to its replica this long (renewed while it runs); a crashed replica's jobs are taken over after it. */
  @IsInt() @Min(500) @Max(3_600_000) INVOICING_JOB_LEASE_MS = 60_000;
  /** Retryable failures are retried with backoff for this long, then the transfer is parked. */
  @IsInt() @Min(1) @Max(24 * 30) INVOICING_GIVE_UP_HOURS = 24;
  /**
   * After a write whose answer never came (timeout, dropped connection), wait this long before looking
   * the document up and writing again: longer than e-conomic can still be working on the lost request
   * (the client gives up after ECONOMIC_TIMEOUT_MS).
   */
  @IsInt() @Min(0) @Max(3_600_000) INVOICING_UNCERTAIN_LOOKUP_DELAY_MS = 60_000;
}
