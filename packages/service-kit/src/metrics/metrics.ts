import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RequestEvent } from '@bogholder/economic-client';

/** Prometheus metrics of one service (own registry, so several services can share a test process). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Histogram({
    name: 'bogholder_http_request_duration_seconds',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly messages = new Histogram({
    name: 'bogholder_messages_handled_seconds',
    help: 'JetStream messages handled, by subject and outcome (ack, duplicate, retry, dead-letter)',
    labelNames: ['subject', 'outcome'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  readonly economicRequests = new Histogram({
    name: 'bogholder_economic_request_duration_seconds',
    help: 'Requests to e-conomic by method, resource, status and outcome',
    labelNames: ['method', 'resource', 'status', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'bogholder_errors_total',
    help: 'Errors by code',
    labelNames: ['code'],
    registers: [this.registry],
  });

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'bogholder_' });
  }

  observeMessage(subject: string, outcome: string, ms: number): void {
    this.messages.observe({ subject, outcome }, ms / 1000);
  }

  observeEconomic(e: RequestEvent): void {
    const resource = e.path.split('?')[0]!.split('/').filter(Boolean).filter((p) => !/\d/.test(p)).join('/') || '/';
    this.economicRequests.observe({ method: e.method, resource, status: String(e.status ?? 'none'), outcome: e.outcome }, e.durationMs / 1000);
  }
}

@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    return await this.metrics.registry.metrics();
  }
}
