import { randomUUID } from 'node:crypto';
import { currentCorrelationId } from '@bogholder/messaging';

/** The id of the request being served (service-kit sets it from x-request-id / x-correlation-id / webhook-id), for events it causes. */
export const requestCorrelationId = (): string => currentCorrelationId() || randomUUID();
