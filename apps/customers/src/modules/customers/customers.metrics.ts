import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { Metrics } from '@bogholder/service-kit';

export type Decision = 'known' | 'updated' | 'linked' | 'created' | 'recovered' | 'failed' | 'missing';

/** What ensuring customers costs: e-conomic calls per request (a returning customer costs none) and the decisions taken. */
@Injectable()
export class CustomersMetrics {
  readonly economicCalls: Histogram<'operation' | 'decision'>;
  readonly decisions: Counter<'decision'>;

  constructor(private readonly metrics: Metrics) {
    this.economicCalls = new Histogram({
      name: 'bogholder_customers_economic_calls',
      help: 'e-conomic calls made by one rpc.customers.* request, by operation and decision',
      labelNames: ['operation', 'decision'],
      buckets: [0, 1, 2, 3, 4, 6, 10, 20],
      registers: [metrics.registry],
    });
    this.decisions = new Counter({
      name: 'bogholder_customers_decisions_total',
      help: 'How customers were resolved: known (mapping), updated, linked (found in e-conomic), created, recovered (lost answer), failed',
      labelNames: ['decision'],
      registers: [metrics.registry],
    });
  }

  observe(operation: 'ensure' | 'lookup', decision: Decision, calls: number): void {
    this.economicCalls.observe({ operation, decision }, calls);
    if (operation === 'ensure') this.decisions.inc({ decision });
  }

  error(code: string): void {
    this.metrics.errors.inc({ code });
  }
}
