import type { FieldSpec } from '../core/filter';
import type { Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import { found, idParam, ok } from './common';
import { vatZoneExpanded } from './refs';

const FIELDS: FieldSpec = { vatZoneNumber: 'number', name: 'string', enabledForCustomer: 'boolean', enabledForSupplier: 'boolean' };

const list: Handler = (ctx) =>
  collection(ctx, '/vat-zones', ctx.agreement.vatZones.values(), {
    fields: FIELDS,
    defaultSort: 'vatZoneNumber',
    render: (z) => vatZoneExpanded(ctx, ctx.agreement, z.vatZoneNumber),
  });

const get: Handler = (ctx) => {
  const z = found(ctx.agreement.vatZones.get(idParam(ctx, 'n')));
  return ok(vatZoneExpanded(ctx, ctx.agreement, z.vatZoneNumber));
};

/** VAT zones are read-only. */
export function registerVatZones(r: Router<Handler>): void {
  r.get('/vat-zones', list).get('/vat-zones/:n', get);
}
