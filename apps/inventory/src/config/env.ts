import { IsInt, Matches, Max, Min } from 'class-validator';
import { BaseEnv } from '@bogholder/service-kit';

/** Standard Webhooks / Svix: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then dead. */
export const DEFAULT_DELIVERY_SCHEDULE_MS = '0,5000,300000,1800000,7200000,18000000,36000000,36000000';

export class InventoryEnv extends BaseEnv {
  @IsInt() @Min(1) @Max(65535) INVENTORY_PORT = 3003;

  /** How often the scheduler looks for shops whose reconciliation is due. */
  @IsInt() @Min(100) @Max(600_000) INVENTORY_RECONCILE_TICK_MS = 2000;
  /** Shops reconciled at once by one replica (never two of the same agreement). */
  @IsInt() @Min(1) @Max(64) INVENTORY_RECONCILE_CONCURRENCY = 4;
  /**
   * e-conomic's fair use is about 50,000 calls per agreement per 24 h; reconciliation may spend at most
   * this many of them, so a large catalogue stretches the interval instead of exhausting the agreement.
   */
  @IsInt() @Min(100) @Max(50_000) INVENTORY_DAILY_RECONCILE_CALLS = 20_000;
  /** How long /self and the product groups of an agreement are cached. */
  @IsInt() @Min(0) @Max(86_400_000) INVENTORY_AGREEMENT_CACHE_MS = 300_000;

  /** Product webhooks for the same SKU within this window are read once. */
  @IsInt() @Min(0) @Max(4000) INVENTORY_COALESCE_MS = 300;
  /** How often the product refresh queue is polled (webhooks also wake it directly). */
  @IsInt() @Min(20) @Max(60_000) INVENTORY_REFRESH_POLL_MS = 250;
  /** From this many queued SKUs of one shop on, one paged product list is read instead of one GET per SKU. */
  @IsInt() @Min(2) @Max(100_000) INVENTORY_BULK_READ_THRESHOLD = 25;

  /** Delay before each delivery attempt to the shop's callbackUrl, comma-separated ms; after the last failed attempt the delivery is dead. */
  @Matches(/^\d+(,\d+)*$/, { message: 'INVENTORY_DELIVERY_SCHEDULE_MS must be comma-separated milliseconds, e.g. 0,5000,300000' })
  INVENTORY_DELIVERY_SCHEDULE_MS = DEFAULT_DELIVERY_SCHEDULE_MS;
  @IsInt() @Min(100) @Max(120_000) INVENTORY_DELIVERY_TIMEOUT_MS = 15_000;
  @IsInt() @Min(20) @Max(60_000) INVENTORY_DELIVERY_POLL_MS = 500;
  @IsInt() @Min(1) @Max(64) INVENTORY_DELIVERY_CONCURRENCY = 8;
  /** Delivered deliveries older than this are removed from the log (dead ones are kept). */
  @IsInt() @Min(1) @Max(3650) INVENTORY_DELIVERY_RETENTION_DAYS = 30;
}

export function deliverySchedule(env: InventoryEnv): number[] {
  return env.INVENTORY_DELIVERY_SCHEDULE_MS.split(',').map(Number);
}
