import type { FieldError } from '@bogholder/contracts';
import { RpcClient, RpcError, RpcUnavailableError } from '@bogholder/messaging';
import { HttpProblem } from '@bogholder/service-kit';

/** How long the admin waits for a backing service before 503. */
export const RPC_TIMEOUT_MS = 10_000;

/**
 * Asks another service over NATS request/reply and maps its answer to HTTP: its typed errors keep
 * their status (default 422, or 503 when retryable), silence becomes 503.
 */
export async function relay<T>(rpc: RpcClient, subject: string, payload: unknown, service: 'invoicing' | 'inventory', timeoutMs = RPC_TIMEOUT_MS): Promise<T> {
  try {
    return await rpc.request<T>(subject, payload, timeoutMs);
  } catch (err) {
    if (err instanceof RpcUnavailableError) {
      throw new HttpProblem(503, `the ${service} service is not answering; try again shortly`, [], 'service_unavailable');
    }
    if (err instanceof RpcError) {
      const status = err.body.status ?? (err.body.retryable ? 503 : 422);
      throw new HttpProblem(status, err.body.message, (err.body.errors ?? []) as FieldError[], err.body.code);
    }
    throw err;
  }
}
