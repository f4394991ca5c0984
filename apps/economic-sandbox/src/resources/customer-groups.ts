import { ApiError, ErrorCode } from '../core/errors';
import type { FieldSpec } from '../core/filter';
import type { Ctx, Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import type { Reader } from '../core/validation';
import type { Agreement, CustomerGroup } from '../state/types';
import { created, found, idParam, noContent, objectReader, ok } from './common';
import { CUSTOMER_FIELDS, renderCustomer } from './customers';
import { accountExpanded, layoutNamed } from './refs';

const FIELDS: FieldSpec = { customerGroupNumber: 'number', name: 'string', 'account.accountNumber': 'number' };

export function renderCustomerGroup(ctx: Ctx, g: CustomerGroup) {
  const a = ctx.agreement;
  return {
    customerGroupNumber: g.customerGroupNumber,
    name: g.name,
    account: accountExpanded(ctx, a, g.account.accountNumber),
    layout: g.layout ? layoutNamed(ctx, a, g.layout.layoutNumber) : undefined,
    customers: ctx.links.url(`/customer-groups/${g.customerGroupNumber}/customers`),
    self: ctx.links.url(`/customer-groups/${g.customerGroupNumber}`),
  };
}

function readGroup(r: Reader, a: Agreement, number: number): CustomerGroup {
  const name = r.string(['name'], { max: 50 });
  const account = r.ref(['account'], 'accountNumber', { required: true, exists: (n) => a.accounts.has(n), collection: '/accounts' });
  const layout = r.ref(['layout'], 'layoutNumber', { exists: (n) => a.layouts.has(n), collection: '/layouts' });
  r.issues.throwIfAny();
  const g: CustomerGroup = { customerGroupNumber: number, account: { accountNumber: account! } };
  if (name !== undefined) g.name = name;
  if (layout !== undefined) g.layout = { layoutNumber: layout };
  return g;
}

const list: Handler = (ctx) =>
  collection(ctx, '/customer-groups', ctx.agreement.customerGroups.values(), {
    fields: FIELDS,
    defaultSort: 'customerGroupNumber',
    render: (g) => renderCustomerGroup(ctx, g),
  });

const get: Handler = (ctx) => ok(renderCustomerGroup(ctx, found(ctx.agreement.customerGroups.get(idParam(ctx, 'n')))));

const customers: Handler = (ctx) => {
  const g = found(ctx.agreement.customerGroups.get(idParam(ctx, 'n')));
  const members = [...ctx.agreement.customers.values()].filter((c) => c.customerGroup.customerGroupNumber === g.customerGroupNumber);
  return collection(ctx, `/customer-groups/${g.customerGroupNumber}/customers`, members, {
    fields: CUSTOMER_FIELDS,
    defaultSort: 'customerNumber',
    render: (c) => renderCustomer(ctx, c),
  });
};

const create: Handler = (ctx) => {
  const a = ctx.agreement;
  const r = objectReader(ctx);
  const n = r.number(['customerGroupNumber'], { required: true, integer: true, min: 1, max: 2_147_483_647 });
  if (n !== undefined && a.customerGroups.has(n)) {
    r.add(['customerGroupNumber'], ErrorCode.alreadyExists, `CustomerGroup '${n}' already exists.`, n);
  }
  const g = readGroup(r, a, n ?? 0);
  a.customerGroups.set(g.customerGroupNumber, g);
  return created(ctx, `/customer-groups/${g.customerGroupNumber}`, renderCustomerGroup(ctx, g));
};

const replace: Handler = (ctx) => {
  const a = ctx.agreement;
  const existing = found(a.customerGroups.get(idParam(ctx, 'n')));
  const g = readGroup(objectReader(ctx), a, existing.customerGroupNumber);
  a.customerGroups.set(g.customerGroupNumber, g);
  return ok(renderCustomerGroup(ctx, g));
};

const remove: Handler = (ctx) => {
  const a = ctx.agreement;
  const g = found(a.customerGroups.get(idParam(ctx, 'n')));
  for (const c of a.customers.values()) {
    if (c.customerGroup.customerGroupNumber === g.customerGroupNumber) {
      throw new ApiError(400, 'The customer group is in use and cannot be deleted.', `Customer ${c.customerNumber} belongs to the group.`, ErrorCode.inUse);
    }
  }
  a.customerGroups.delete(g.customerGroupNumber);
  return noContent;
};

export function registerCustomerGroups(r: Router<Handler>): void {
  r.get('/customer-groups', list)
    .post('/customer-groups', create)
    .get('/customer-groups/:n', get)
    .put('/customer-groups/:n', replace)
    .delete('/customer-groups/:n', remove)
    .get('/customer-groups/:n/customers', customers);
}
