import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics } from '@bogholder/service-kit';
import { QueueService } from '../queue/queue.service';

/** Invoicing's own Prometheus metrics, in the service's registry (served at /metrics). */
@Injectable()
export class InvoicingMetrics {
  readonly jobs: Counter<'kind' | 'outcome'>;
  readonly callsPerDocument: Histogram<'kind'>;

  constructor(metrics: Metrics, dataSource: DataSource, queue: QueueService) {
    const registers = [metrics.registry];
    this.jobs = new Counter({
      name: 'bogholder_invoicing_jobs_total',
      help: 'Jobs run, by kind (invoice, creditnote, payment, booked_check) and outcome (done, retry, parked, waiting)',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.callsPerDocument = new Histogram({
      name: 'bogholder_invoicing_economic_calls_per_document',
      help: 'e-conomic requests spent on a document until it was booked (invoice, creditnote) or posted (payment); 2 per invoice in the steady state',
      labelNames: ['kind'],
      buckets: [1, 2, 3, 4, 5, 6, 8, 10, 20],
      registers,
    });
    new Gauge({
      name: 'bogholder_invoicing_transfers',
      help: 'Transfers by status',
      labelNames: ['status'],
      registers,
      async collect() {
        const rows: { status: string; n: string }[] = await dataSource.query(`SELECT status, count(*) AS n FROM transfers GROUP BY status`);
        this.reset();
        for (const r of rows) this.set({ status: r.status }, Number(r.n));
      },
    });
    const depth = new Gauge({ name: 'bogholder_invoicing_queue_depth', help: 'Jobs in the queue by kind (due now or later)', labelNames: ['kind', 'state'], registers });
    new Gauge({
      name: 'bogholder_invoicing_queue_oldest_due_seconds',
      help: 'Age of the oldest job that is due and not running, by kind',
      labelNames: ['kind'],
      registers,
      async collect() {
        const stats = await queue.stats();
        this.reset();
        depth.reset();
        for (const s of stats) {
          this.set({ kind: s.kind }, s.oldestDueSeconds);
          depth.set({ kind: s.kind, state: 'due' }, s.due);
          depth.set({ kind: s.kind, state: 'scheduled' }, s.depth - s.due);
        }
      },
    });
  }
}
