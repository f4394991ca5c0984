import type { FieldError } from '../validation';

/** Every request/reply answer: either data or a typed error the caller can act on. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: RpcErrorBody };

export interface RpcErrorBody {
  code: string;
  message: string;
  /** true when trying again later may succeed (e-conomic down, rate limited, …). */
  retryable: boolean;
  /** Suggested HTTP status when the gateway relays the error. */
  status?: number;
  errors?: FieldError[];
}

