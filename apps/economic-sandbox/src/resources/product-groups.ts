import type { FieldSpec } from '../core/filter';
import type { Ctx, Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import type { ProductGroup } from '../state/types';
import { found, idParam, ok } from './common';
import { PRODUCT_FIELDS, renderProduct } from './products';
import { accountExpanded, vatZoneExpanded } from './refs';

const FIELDS: FieldSpec = { productGroupNumber: 'number', name: 'string' };
const SALES_ACCOUNT_FIELDS: FieldSpec = { 'vatZone.vatZoneNumber': 'number', 'salesAccount.accountNumber': 'number' };

export function renderProductGroup(ctx: Ctx, g: ProductGroup) {
  const n = g.productGroupNumber;
  return {
    productGroupNumber: n,
    name: g.name,
    inventoryEnabled: g.inventoryEnabled,
    salesAccounts: ctx.links.url(`/product-groups/${n}/sales-accounts`),
    products: ctx.links.url(`/product-groups/${n}/products`),
    self: ctx.links.url(`/product-groups/${n}`),
  };
}

function group(ctx: Ctx): ProductGroup {
  return found(ctx.agreement.productGroups.get(idParam(ctx, 'n')));
}

const list: Handler = (ctx) =>
  collection(ctx, '/product-groups', ctx.agreement.productGroups.values(), {
    fields: FIELDS,
    defaultSort: 'productGroupNumber',
    render: (g) => renderProductGroup(ctx, g),
  });

const get: Handler = (ctx) => ok(renderProductGroup(ctx, group(ctx)));

const salesAccounts: Handler = (ctx) => {
  const g = group(ctx);
  const items = [...g.salesAccounts].map(([zone, account]) => ({ vatZone: { vatZoneNumber: zone }, salesAccount: { accountNumber: account } }));
  return collection(ctx, `/product-groups/${g.productGroupNumber}/sales-accounts`, items, {
    fields: SALES_ACCOUNT_FIELDS,
    defaultSort: 'vatZone.vatZoneNumber',
    render: (x) => ({
      salesAccount: accountExpanded(ctx, ctx.agreement, x.salesAccount.accountNumber),
      vatZone: vatZoneExpanded(ctx, ctx.agreement, x.vatZone.vatZoneNumber),
    }),
  });
};

const products: Handler = (ctx) => {
  const g = group(ctx);
  const items = [...ctx.agreement.products.values()].filter((p) => p.productGroup.productGroupNumber === g.productGroupNumber);
  return collection(ctx, `/product-groups/${g.productGroupNumber}/products`, items, {
    fields: PRODUCT_FIELDS,
    defaultSort: 'productNumber',
    render: (p) => renderProduct(ctx, p),
  });
};

/** Product groups are read-only in the legacy REST API. */
export function registerProductGroups(r: Router<Handler>): void {
  r.get('/product-groups', list)
    .get('/product-groups/:n', get)
    .get('/product-groups/:n/sales-accounts', salesAccounts)
    .get('/product-groups/:n/products', products);
}
