import type { FieldSpec } from '../core/filter';
import type { Ctx, Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import type { Layout } from '../state/types';
import { found, idParam, ok } from './common';

const FIELDS: FieldSpec = { layoutNumber: 'number', name: 'string' };

function render(ctx: Ctx, l: Layout) {
  return { layoutNumber: l.layoutNumber, name: l.name, self: ctx.links.url(`/layouts/${l.layoutNumber}`) };
}

const list: Handler = (ctx) =>
  collection(ctx, '/layouts', ctx.agreement.layouts.values(), { fields: FIELDS, defaultSort: 'layoutNumber', render: (l) => render(ctx, l) });

const get: Handler = (ctx) => ok(render(ctx, found(ctx.agreement.layouts.get(idParam(ctx, 'n')))));

/** Layouts are read-only in e-conomic's REST API. */
export function registerLayouts(r: Router<Handler>): void {
  r.get('/layouts', list).get('/layouts/:n', get);
}
