import { Injectable } from '@nestjs/common';
import {
  CustomersEnsureReply, CustomersEnsureRequest, CustomersLookupReply, CustomersLookupRequest, OrderCustomer, RpcSubjects,
} from '@bogholder/contracts';
import { RpcClient } from '@bogholder/messaging';

/** How long an answer of `ensure` is reused for the same customer data (a backlog repeats customers). */
const ENSURE_TTL_MS = 10 * 60 * 1000;
const ENSURE_CACHE_SIZE = 20_000;

/** The customer's data in a stable form: any change to it asks the customers service again. */
function fingerprint(shopId: string, customer: OrderCustomer, needContact: boolean): string {
  const sorted = Object.fromEntries(Object.entries(customer).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return `${shopId}\u0000${needContact ? 1 : 0}\u0000${JSON.stringify(sorted)}`;
}

/**
 * The customers service over request/reply (it finds or creates the e-conomic customer and contact).
 * An answer is reused for ten minutes for exactly the same customer data: the customers service would
 * answer the same from its mapping, and a backlog of orders from returning customers then costs one
 * request per customer instead of one per order. Changed data (name, address, EAN…) asks again.
 */
@Injectable()
export class CustomersClient {
  private readonly ensured = new Map<string, { reply: CustomersEnsureReply; expiresAt: number }>();

  constructor(private readonly rpc: RpcClient) {}

  /** Throws `RpcError` (typed, retryable or not) or `RpcUnavailableError` (always retryable). */
  async ensure(request: CustomersEnsureRequest): Promise<CustomersEnsureReply> {
    const key = fingerprint(request.shopId, request.customer, request.needContact);
    const hit = this.ensured.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.reply;
    const reply = await this.rpc.request<CustomersEnsureReply>(RpcSubjects.CustomersEnsure, request, 20_000);
    this.ensured.delete(key);
    if (this.ensured.size >= ENSURE_CACHE_SIZE) this.ensured.delete(this.ensured.keys().next().value as string);
    this.ensured.set(key, { reply, expiresAt: Date.now() + ENSURE_TTL_MS });
    return reply;
  }

  /** Forget a customer (e-conomic says it does not exist any more). */
  forget(shopId: string, customer: OrderCustomer): void {
    for (const needContact of [false, true]) this.ensured.delete(fingerprint(shopId, customer, needContact));
  }

  /** No writes anywhere: for the invoice preview. */
  async lookup(request: CustomersLookupRequest): Promise<CustomersLookupReply> {
    return await this.rpc.request<CustomersLookupReply>(RpcSubjects.CustomersLookup, request, 10_000);
  }
}
