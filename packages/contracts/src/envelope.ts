import { randomUUID } from 'node:crypto';
import type { Subject } from './subjects';

/** Every event on the bus (CONTRACT.md §4). `id` is also the JetStream `Nats-Msg-Id`. */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: Subject;
  shopId: string;
  occurredAt: string;
  /** The webhook id or request id that started the chain; never empty. */
  correlationId: string;
  data: T;
}

export function createEnvelope<T>(
  type: Subject,
  shopId: string,
  data: T,
  correlationId: string,
  options: { id?: string; occurredAt?: Date | string } = {},
): EventEnvelope<T> {
  if (!correlationId) throw new Error(`createEnvelope(${type}): correlationId must not be empty`);
  const occurredAt = options.occurredAt ?? new Date();
  return {
    id: options.id ?? randomUUID(),
    type,
    shopId,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
    correlationId,
    data,
  };
}
