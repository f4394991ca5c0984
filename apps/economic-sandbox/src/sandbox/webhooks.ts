import type { Effect } from '../core/http';
import { isRecord } from '../core/validation';
import type { Agreement, WebhookConfig } from '../state/types';
import { ControlError } from './control-error';

/** Delays before the retries of a failed webhook call (so at most 4 attempts). */
export const RETRY_DELAYS_MS = [250, 1000, 5000];
const ATTEMPT_TIMEOUT_MS = 5000;

export function parseWebhooks(body: unknown): WebhookConfig[] {
  if (!Array.isArray(body)) throw new ControlError(400, 'The body must be an array of {kind: "product"|"invoice", url}.');
  return body.map((item, i) => {
    if (!isRecord(item) || (item.kind !== 'product' && item.kind !== 'invoice') || typeof item.url !== 'string') {
      throw new ControlError(400, `Item ${i} must be {kind: "product"|"invoice", url}.`);
    }
    let url: URL;
    try {
      url = new URL(item.url.replace(/\[[A-Z]+\]/g, 'x'));
    } catch {
      throw new ControlError(400, `Item ${i}: url is not a valid absolute URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ControlError(400, `Item ${i}: url must be http or https.`);
    return { kind: item.kind, url: item.url };
  });
}

/** Fills e-conomic's merge fields into a webhook URL template (values URL-encoded). */
export function renderWebhookUrl(template: string, effect: Effect): string {
  const values: Record<string, string> =
    effect.kind === 'product'
      ? { NEWNUMBER: effect.productNumber, OLDNUMBER: effect.productNumber }
      : { INVOICENO: String(effect.invoiceNumber) };
  return template.replace(/\[(NEWNUMBER|OLDNUMBER|INVOICENO)\]/g, (token, name: string) =>
    values[name] !== undefined ? encodeURIComponent(values[name]) : token,
  );
}

/**
 * Calls webhooks in the background, e-conomic style: one POST (no body) per changed resource,
 * retried on failure with backoff; never holds up the request that caused it.
 */
export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  fire(agreement: Agreement, effects: readonly Effect[]): void {
    if (this.closed || effects.length === 0 || agreement.webhooks.length === 0) return;
    for (const effect of effects) {
      for (const hook of agreement.webhooks) {
        if (hook.kind === effect.kind) this.schedule(renderWebhookUrl(hook.url, effect), 0, 0);
      }
    }
  }

  private schedule(url: string, attempt: number, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(url, attempt);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(url: string, attempt: number): Promise<void> {
    if (this.closed) return;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
    let delivered = false;
    try {
      const res = await fetch(url, { method: 'POST', signal: controller.signal });
      await res.arrayBuffer().catch(() => undefined);
      delivered = res.ok;
    } catch {
      delivered = false;
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (!delivered && attempt < RETRY_DELAYS_MS.length) this.schedule(url, attempt + 1, RETRY_DELAYS_MS[attempt]!);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
  }
}
