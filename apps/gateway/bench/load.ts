import { createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

/** One run of the load generator against one server. */
export interface LoadResult {
  label: string;
  durationMs: number;
  requests: number;
  accepted: number;
  /** Answers other than 202, by status (0 = no answer: connection error or timeout). */
  rejected: Record<string, number>;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadOptions {
  label: string;
  /** Base URL of the server; requests go to `${url}/webhooks/shops/${shopId}`. */
  url: string;
  shopId: string;
  /** The shop's Standard Webhooks secret (`whsec_…`). */
  secret: string;
  body: string;
  concurrency: number;
  durationMs: number;
  /** Requests answered in this first part of the run are not counted (warm-up). */
  warmupMs?: number;
  /** Called when the measured window starts and ends (e.g. to read CPU counters). */
  window?: { start(): void; end(): void };
}

const percentile = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

/**
 * A closed-loop keep-alive load generator: `concurrency` workers each send one signed webhook,
 * wait for the answer and send the next, each with a unique `webhook-id`. Signing uses node:crypto
 * (the same bytes the standardwebhooks library produces) so the generator spends little CPU.
 */
export async function drive(options: LoadOptions): Promise<LoadResult> {
  const { hostname, port } = new URL(options.url);
  const path = `/webhooks/shops/${options.shopId}`;
  const key = Buffer.from(options.secret.replace(/^whsec_/, ''), 'base64');
  const body = Buffer.from(options.body);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency });
  const prefix = `bench_${randomBytes(4).toString('hex')}_`;
  const latencies = new Float64Array(4_000_000);
  let count = 0;
  let requests = 0;
  let accepted = 0;
  const rejected: Record<string, number> = {};
  let seq = 0;
  const started = performance.now();
  const warmupEnd = started + (options.warmupMs ?? 0);
  const end = warmupEnd + options.durationMs;

  const once = () =>
    new Promise<number>((resolve) => {
      const id = `${prefix}${seq++}`;
      const ts = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest('base64');
      const req = request(
        {
          agent, hostname, port, path, method: 'POST',
          headers: {
            'content-type': 'application/json', 'content-length': body.length,
            'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${signature}`,
          },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', () => resolve(0));
        },
      );
      req.setTimeout(10_000, () => req.destroy());
      req.on('error', () => resolve(0));
      req.end(body);
    });

  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const status = await once();
      const t1 = performance.now();
      if (t0 < warmupEnd) continue;
      requests++;
      if (status === 202) accepted++;
      else rejected[status] = (rejected[status] ?? 0) + 1;
      if (count < latencies.length) latencies[count++] = t1 - t0;
    }
  };
  const windowTimer = setTimeout(() => options.window?.start(), Math.max(0, warmupEnd - performance.now()));
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  clearTimeout(windowTimer);
  options.window?.end();
  const measuredMs = performance.now() - warmupEnd;
  agent.destroy();
  const sorted = latencies.subarray(0, count).sort();
  return {
    label: options.label,
    durationMs: Math.round(measuredMs),
    requests,
    accepted,
    rejected,
    throughput: accepted / (measuredMs / 1000),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}
