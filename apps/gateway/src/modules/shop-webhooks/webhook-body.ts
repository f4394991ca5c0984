import { FieldError, ShopWebhookBody, shopSubjectFor, validateEventData, validatePayload } from '@bogholder/contracts';
import { MAX_JSON_DEPTH, nestsDeeperThan, unsafeValues } from '../../common/json-guard';

/** The outcome of checking a webhook body: plain data, so it can come back from a worker thread. */
export type BodyCheck = { ok: true; body?: ShopWebhookBody } | { ok: false; message: string; errors: FieldError[] };

const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const refuse = (message: string, errors: FieldError[]): BodyCheck => ({ ok: false, message, errors });

function invalid(errors: FieldError[]): BodyCheck {
  const shown = errors.slice(0, 5).map((e) => e.message).join('; ');
  return refuse(`the webhook is invalid (${errors.length} field${errors.length === 1 ? '' : 's'}): ${shown}${errors.length > 5 ? '; …' : ''}`, errors);
}

/**
 * Checks a shop webhook's body: JSON content type, UTF-8, nesting depth, numbers JSON can keep,
 * the envelope (ShopWebhookBody) and `data` against its type's contract class. Every invalid field
 * is named by its path (e.g. `data.order.lines[0].quantity`).
 */
export function checkWebhookBody(contentType: string | undefined, raw: Uint8Array): BodyCheck {
  if (!contentType || !JSON_CONTENT_TYPE.test(contentType)) {
    const message = `Content-Type must be application/json (UTF-8), not ${contentType ? JSON.stringify(contentType) : 'missing'}`;
    return refuse(message, [{ field: 'content-type', message }]);
  }
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return refuse('the body is not valid UTF-8', [{ field: '(body)', message: 'the body must be UTF-8 encoded JSON' }]);
  }
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    return refuse(`the body nests deeper than ${MAX_JSON_DEPTH} levels`, [{ field: '(body)', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return refuse(`the body is not valid JSON: ${(err as Error).message}`, [{ field: '(body)', message: 'the body must be valid JSON' }]);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return refuse('the body must be a JSON object {type, timestamp, data}', [{ field: '(body)', message: 'the body must be a JSON object' }]);
  }
  const unsafe = unsafeValues(json);
  if (unsafe.length) return invalid(unsafe);
  // The envelope is checked with `data` stubbed (copying it through class-transformer twice would
  // double the cost); `data` is then checked against its type's class.
  const { type, timestamp, data } = json as Record<string, unknown>;
  const envelope = validatePayload(ShopWebhookBody, { type, timestamp, data: typeof data === 'object' && data !== null && !Array.isArray(data) ? {} : data });
  if (!envelope.ok) return invalid(envelope.errors);
  const checked = validateEventData(shopSubjectFor(envelope.value.type), data, 'data');
  if (!checked.ok) return invalid(checked.errors);
  return { ok: true, body: json as ShopWebhookBody };
}
