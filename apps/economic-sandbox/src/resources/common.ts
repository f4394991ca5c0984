import { NotFoundError } from '../core/errors';
import type { Ctx, Reply } from '../core/http';
import { Issues, Reader } from '../core/validation';

/** e-conomic's `lastUpdated`: ISO date-time in UTC without fraction. */
export function stamp(now = new Date()): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

/** A numeric id from the URL; anything else is a 404 like e-conomic's. */
export function idParam(ctx: Ctx, name: string): number {
  const raw = ctx.params[name] ?? '';
  if (!/^\d{1,10}$/.test(raw)) throw new NotFoundError();
  return Number(raw);
}

export function found<T>(value: T | undefined): T {
  if (value === undefined) throw new NotFoundError();
  return value;
}

export function reader(ctx: Ctx): Reader {
  return new Reader(ctx.body, new Issues(), [], ctx.links.base);
}

/** A body that must be a JSON object: anything else is one validation issue. */
export function objectReader(ctx: Ctx): Reader {
  const r = reader(ctx);
  if (typeof ctx.body !== 'object' || ctx.body === null || Array.isArray(ctx.body)) {
    r.issues.add([], 'E04020', 'The request body must be a JSON object.', ctx.body ?? null);
    r.issues.throwIfAny();
  }
  return r;
}

export function created(ctx: Ctx, selfPath: string, body: unknown): Reply {
  return { status: 201, body, headers: { Location: ctx.links.url(selfPath) } };
}

export function ok(body: unknown): Reply {
  return { status: 200, body };
}

export const noContent: Reply = { status: 204 };

export function metaData(ctx: Ctx, path: string, noun: string): Record<string, unknown> {
  const href = ctx.links.url(path);
  return {
    delete: { description: `Delete this ${noun}.`, href, httpMethod: 'delete' },
    replace: { description: `Replace this ${noun}.`, href, httpMethod: 'put' },
  };
}
