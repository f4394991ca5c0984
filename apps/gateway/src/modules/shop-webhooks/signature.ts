import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Webhook } from 'standardwebhooks';
import type { FieldError } from '@bogholder/contracts';
import { HttpProblem } from '@bogholder/service-kit';

const SIGNED_CONTENT = '"v1,<base64 of HMAC-SHA256 over \\"<webhook-id>.<webhook-timestamp>.<raw body>\\", keyed by the shop\'s whsec_ secret>"';

const unauthorized = (message: string, errors: FieldError[]) => new HttpProblem(401, message, errors, 'signature_invalid');

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a Standard Webhooks signature: the three headers, the timestamp within `toleranceSeconds`
 * of our clock, and at least one `v1,` signature (space-separated list, for secret rotation) equal to
 * the one the standardwebhooks library computes with the shop's secret, compared in constant time.
 */
export function verifySignature(webhook: Webhook, headers: IncomingHttpHeaders, raw: Buffer, toleranceSeconds: number, nowMs = Date.now()): string {
  const id = headerValue(headers, 'webhook-id');
  const timestamp = headerValue(headers, 'webhook-timestamp');
  const signature = headerValue(headers, 'webhook-signature');
  const missing = (['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const).filter((_, i) => ![id, timestamp, signature][i]);
  if (missing.length) {
    throw unauthorized(`the webhook is not signed: missing ${missing.join(', ')} (Standard Webhooks headers)`, missing.map((field) => ({ field, message: `${field} header is required` })));
  }
  if (!/^\d{1,12}$/.test(timestamp!)) {
    const message = 'webhook-timestamp must be the sending time in Unix seconds';
    throw unauthorized(message, [{ field: 'webhook-timestamp', message }]);
  }
  const skew = Math.floor(nowMs / 1000) - Number(timestamp);
  if (Math.abs(skew) > toleranceSeconds) {
    const message = `webhook-timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}; at most ${toleranceSeconds} s either way is accepted: check the sender's clock and sign every attempt anew`;
    throw unauthorized(message, [{ field: 'webhook-timestamp', message }]);
  }
  const expected = Buffer.from(webhook.sign(id!, new Date(Number(timestamp) * 1000), raw));
  for (const candidate of signature!.split(' ')) {
    const given = Buffer.from(candidate);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return id!;
  }
  const message = `no signature matches: webhook-signature must be ${SIGNED_CONTENT}; check the secret and sign the body exactly as sent`;
  throw unauthorized(message, [{ field: 'webhook-signature', message: 'no signature matches' }]);
}
