import { ApiError, ErrorCode } from '../core/errors';
import type { FieldSpec } from '../core/filter';
import type { Ctx, Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import type { Reader } from '../core/validation';
import type { Unit } from '../state/types';
import { created, found, idParam, noContent, objectReader, ok } from './common';
import { PRODUCT_FIELDS, renderProduct } from './products';

const FIELDS: FieldSpec = { unitNumber: 'number', name: 'string' };

function render(ctx: Ctx, u: Unit) {
  return {
    unitNumber: u.unitNumber,
    name: u.name,
    products: ctx.links.url(`/units/${u.unitNumber}/products`),
    self: ctx.links.url(`/units/${u.unitNumber}`),
  };
}

function read(r: Reader, unitNumber: number): Unit {
  const name = r.string(['name'], { required: true, max: 8 });
  r.issues.throwIfAny();
  return { unitNumber, name: name! };
}

const list: Handler = (ctx) =>
  collection(ctx, '/units', ctx.agreement.units.values(), { fields: FIELDS, defaultSort: 'unitNumber', render: (u) => render(ctx, u) });

const get: Handler = (ctx) => ok(render(ctx, found(ctx.agreement.units.get(idParam(ctx, 'n')))));

const products: Handler = (ctx) => {
  const u = found(ctx.agreement.units.get(idParam(ctx, 'n')));
  const items = [...ctx.agreement.products.values()].filter((p) => p.unit?.unitNumber === u.unitNumber);
  return collection(ctx, `/units/${u.unitNumber}/products`, items, {
    fields: PRODUCT_FIELDS,
    defaultSort: 'productNumber',
    render: (p) => renderProduct(ctx, p),
  });
};

const create: Handler = (ctx) => {
  const a = ctx.agreement;
  const u = read(objectReader(ctx), a.nextUnitNumber);
  a.nextUnitNumber++;
  a.units.set(u.unitNumber, u);
  return created(ctx, `/units/${u.unitNumber}`, render(ctx, u));
};

const replace: Handler = (ctx) => {
  const existing = found(ctx.agreement.units.get(idParam(ctx, 'n')));
  const u = read(objectReader(ctx), existing.unitNumber);
  ctx.agreement.units.set(u.unitNumber, u);
  return ok(render(ctx, u));
};

const remove: Handler = (ctx) => {
  const a = ctx.agreement;
  const u = found(a.units.get(idParam(ctx, 'n')));
  const n = u.unitNumber;
  const inUse =
    [...a.products.values()].some((p) => p.unit?.unitNumber === n) ||
    [...a.drafts.values()].some((d) => d.lines.some((l) => l.unit?.unitNumber === n));
  if (inUse) throw new ApiError(400, 'The unit is in use and cannot be deleted.', 'Products or draft invoice lines use it.', ErrorCode.inUse);
  a.units.delete(n);
  return noContent;
};

export function registerUnits(r: Router<Handler>): void {
  r.get('/units', list)
    .post('/units', create)
    .get('/units/:n', get)
    .put('/units/:n', replace)
    .delete('/units/:n', remove)
    .get('/units/:n/products', products);
}
