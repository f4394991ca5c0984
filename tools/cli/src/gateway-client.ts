import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A small client for the gateway's public interfaces (admin REST and signed shop webhooks). */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private readonly adminToken: string,
  ) {}

  async api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: { authorization: `Bearer ${this.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON (HTML pages) */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Like `api`, but throws with the gateway's message unless the status is one of `ok`. */
  async call<T = any>(method: string, path: string, body?: unknown, ok: number[] = [200, 201, 202]): Promise<T> {
    const res = await this.api<T>(method, path, body);
    if (!ok.includes(res.status)) {
      const b = res.body as { message?: string; errors?: { field: string; message: string }[] } | string;
      const detail = typeof b === 'object' && b ? `${b.message ?? ''}${b.errors?.length ? `: ${b.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` : ''}` : String(b).slice(0, 300);
      throw new Error(`${method} ${path} answered ${res.status}: ${detail}`);
    }
    return res.body;
  }

  /** POSTs a webhook signed like a shop does (Standard Webhooks). */
  async sendWebhook(shopId: string, secret: string, type: string, data: unknown, options: { id?: string; timestamp?: Date } = {}) {
    const id = options.id ?? `msg_${randomUUID()}`;
    const at = options.timestamp ?? new Date();
    const body = JSON.stringify({ type, timestamp: at.toISOString(), data });
    const signature = new Webhook(secret).sign(id, at, body);
    const res = await fetch(`${this.baseUrl}/webhooks/shops/${encodeURIComponent(shopId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature },
      body,
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { id, status: res.status, body: parsed };
  }
}

/** Approves the grant on the e-conomic (sandbox) grant page the way a person would, returning the callback's page (and the grant token it carried). */
export async function approveGrant(connectUrl: string, agreementNumber?: number): Promise<{ status: number; html: string; grantToken: string | null; callbackUrl: string }> {
  const page = await fetch(connectUrl);
  const html = await page.text();
  if (!page.ok) throw new Error(`the grant page answered ${page.status}: ${html.slice(0, 200)}`);
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error('the grant page has no form to approve');
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*>/gi)) fields.set(decode(input[1]!), decode(input[2]!));
  const select = /<select[^>]*name="([^"]+)"/i.exec(form[2]!);
  if (select) {
    const first = /<option[^>]*value="([^"]*)"/i.exec(form[2]!);
    fields.set(decode(select[1]!), agreementNumber !== undefined ? String(agreementNumber) : decode(first?.[1] ?? ''));
  }
  const action = new URL(decode(form[1]!) || connectUrl, connectUrl);
  const approved = await fetch(action, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
  const location = approved.headers.get('location');
  if (approved.status !== 302 || !location) throw new Error(`approving answered ${approved.status}, expected a redirect back to the gateway`);
  const callbackUrl = new URL(location, action);
  const callback = await fetch(callbackUrl);
  return { status: callback.status, html: await callback.text(), grantToken: callbackUrl.searchParams.get('token'), callbackUrl: callbackUrl.toString() };
}

function decode(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
