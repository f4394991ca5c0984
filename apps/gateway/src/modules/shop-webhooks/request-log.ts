import pino from 'pino';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * The webhook fast path's request log: the same JSON lines the service's pino-http writes
 * (`{level, time, service, correlationId, req, res, responseTime, msg}`), gathered and written to
 * stdout once per turn of the event loop instead of one write per request. The lines hold nothing
 * secret (the URL has no secret, no headers are logged), so they skip the logger's redaction.
 */
export class RequestLog {
  private buffer = '';
  private scheduled = false;
  private readonly threshold: number;
  private readonly out = pino.destination({ dest: 1, sync: true });

  constructor(
    private readonly service: string,
    level: string,
  ) {
    this.threshold = LEVELS[level] ?? LEVELS.info!;
  }

  write(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, msg: string): void {
    if (LEVELS[level]! < this.threshold) return;
    this.buffer += `${JSON.stringify({ level, time: new Date().toISOString(), service: this.service, ...fields, msg })}\n`;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    const lines = this.buffer;
    this.buffer = '';
    if (lines) this.out.write(lines);
  };
}
