import { ApiError, ErrorCode } from '../core/errors';
import type { FieldSpec } from '../core/filter';
import type { Ctx, Handler } from '../core/http';
import { decodeId, encodeId } from '../core/links';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import type { Reader } from '../core/validation';
import type { Agreement, Inventory, Product } from '../state/types';
import { created, found, metaData, noContent, objectReader, ok, stamp } from './common';
import { productGroupExpanded, unitExpanded } from './refs';

export const PRODUCT_FIELDS: FieldSpec = {
  barCode: 'string',
  barred: 'boolean',
  costPrice: 'number',
  'departmentalDistribution.departmentalDistributionNumber': 'number',
  description: 'string',
  'inventory.grossWeight': 'number',
  'inventory.netWeight': 'number',
  'inventory.packageVolume': 'number',
  'inventory.recommendedCostPrice': 'number',
  lastUpdated: 'date',
  name: 'string',
  'productGroup.productGroupNumber': 'number',
  productNumber: 'string',
  recommendedPrice: 'number',
  salesPrice: 'number',
  'unit.unitNumber': 'number',
};

export function productKey(productNumber: string): string {
  return productNumber.toLowerCase();
}

export function findProduct(a: Agreement, productNumber: string): Product | undefined {
  return a.products.get(productKey(productNumber));
}

/** Does stock move for this product (inventory module on and an inventory-enabled group)? */
export function tracksStock(a: Agreement, p: Product): boolean {
  return a.inventoryModule && (a.productGroups.get(p.productGroup.productGroupNumber)?.inventoryEnabled ?? false);
}

export function moveStock(p: Product, delta: number): void {
  p.inventory.inStock = Number((p.inventory.inStock + delta).toPrecision(15));
  p.inventory.inventoryLastUpdated = stamp();
}

export function available(p: Product): number {
  return Number((p.inventory.inStock - p.inventory.orderedByCustomers).toPrecision(15));
}

export function renderProduct(ctx: Ctx, p: Product) {
  const a = ctx.agreement;
  const path = `/products/${encodeId(p.productNumber)}`;
  const inv = p.inventory;
  return {
    productNumber: p.productNumber,
    description: p.description,
    name: p.name,
    costPrice: a.inventoryModule ? inv.recommendedCostPrice : p.costPrice,
    recommendedPrice: p.recommendedPrice,
    salesPrice: p.salesPrice,
    barCode: p.barCode,
    barred: p.barred,
    lastUpdated: p.lastUpdated,
    productGroup: productGroupExpanded(ctx, a, p.productGroup.productGroupNumber),
    unit: p.unit ? unitExpanded(ctx, a, p.unit.unitNumber) : undefined,
    inventory: a.inventoryModule
      ? {
          available: available(p),
          inStock: inv.inStock,
          orderedByCustomers: inv.orderedByCustomers,
          orderedFromSuppliers: inv.orderedFromSuppliers,
          grossWeight: inv.grossWeight,
          netWeight: inv.netWeight,
          inventoryLastUpdated: inv.inventoryLastUpdated,
          packageVolume: inv.packageVolume,
          recommendedCostPrice: inv.recommendedCostPrice,
        }
      : undefined,
    invoices: {
      drafts: ctx.links.url(`${path}/invoices/drafts`),
      booked: ctx.links.url(`${path}/invoices/booked`),
      self: ctx.links.url(`${path}/invoices`),
    },
    pricing: { currencySpecificSalesPrices: ctx.links.url(`${path}/pricing/currency-specific-sales-prices`) },
    metaData: metaData(ctx, path, 'product'),
    self: ctx.links.url(path),
  };
}

function readProduct(r: Reader, a: Agreement, productNumber: string, existing: Product | undefined): Product {
  const name = r.string(['name'], { required: true, max: 300 });
  const group = r.ref(['productGroup'], 'productGroupNumber', {
    required: true,
    exists: (n) => a.productGroups.has(n),
    collection: '/product-groups',
  });
  const unit = r.ref(['unit'], 'unitNumber', { exists: (n) => a.units.has(n), collection: '/units' });
  r.ref(['departmentalDistribution'], 'departmentalDistributionNumber', { exists: () => false, entity: 'DepartmentalDistribution' });
  const costPrice = r.number(['costPrice']);
  const salesPrice = r.number(['salesPrice']);
  const recommendedPrice = r.number(['recommendedPrice']);
  const barred = r.boolean(['barred']);
  let recommendedCostPrice: number | undefined;
  let packageVolume: number | undefined;
  if (a.inventoryModule) {
    r.object(['inventory'], { required: true });
    recommendedCostPrice = r.number(['inventory', 'recommendedCostPrice'], { required: r.raw(['inventory']) !== undefined });
    packageVolume = r.number(['inventory', 'packageVolume'], { min: 0 });
  }
  const inventory: Inventory = existing?.inventory
    ? { ...existing.inventory }
    : { inStock: 0, orderedByCustomers: 0, orderedFromSuppliers: 0, grossWeight: 0, netWeight: 0, packageVolume: 0, recommendedCostPrice: 0 };
  if (a.inventoryModule) {
    inventory.recommendedCostPrice = recommendedCostPrice ?? 0;
    inventory.packageVolume = packageVolume ?? 0;
  }
  const p: Product = {
    productNumber,
    name: name ?? '',
    barred: barred ?? false,
    lastUpdated: stamp(),
    productGroup: { productGroupNumber: group ?? 0 },
    inventory,
  };
  r.copyStrings(p, { description: 500, barCode: 50 });
  if (unit !== undefined) p.unit = { unitNumber: unit };
  if (costPrice !== undefined && !a.inventoryModule) p.costPrice = costPrice;
  if (salesPrice !== undefined) p.salesPrice = salesPrice;
  if (recommendedPrice !== undefined) p.recommendedPrice = recommendedPrice;
  r.issues.throwIfAny();
  return p;
}

function productFromUrl(ctx: Ctx): Product {
  return found(findProduct(ctx.agreement, decodeId(ctx.params.productNumber ?? '')));
}

/** Where is the product used? (drafts and booked invoices) */
export function productInUse(a: Agreement, productNumber: string): string | undefined {
  const key = productKey(productNumber);
  for (const d of a.drafts.values()) {
    if (d.lines.some((l) => l.product && productKey(l.product.productNumber) === key)) return `draft invoice ${d.draftInvoiceNumber}`;
  }
  for (const b of a.booked.values()) {
    if (b.lines.some((l) => l.product && productKey(l.product.productNumber) === key)) return `booked invoice ${b.bookedInvoiceNumber}`;
  }
  return undefined;
}

const list: Handler = (ctx) =>
  collection(ctx, '/products', ctx.agreement.products.values(), {
    fields: PRODUCT_FIELDS,
    defaultSort: 'productNumber',
    render: (p) => renderProduct(ctx, p),
  });

const get: Handler = (ctx) => ok(renderProduct(ctx, productFromUrl(ctx)));

const create: Handler = (ctx) => {
  const a = ctx.agreement;
  const r = objectReader(ctx);
  const number = r.string(['productNumber'], { required: true, max: 25 });
  if (number !== undefined && findProduct(a, number)) {
    r.add(['productNumber'], ErrorCode.alreadyExists, `Product '${number}' already exists.`, number);
  }
  const p = readProduct(r, a, number ?? '', undefined);
  a.products.set(productKey(p.productNumber), p);
  ctx.effects.push({ kind: 'product', productNumber: p.productNumber });
  return created(ctx, `/products/${encodeId(p.productNumber)}`, renderProduct(ctx, p));
};

const replace: Handler = (ctx) => {
  const a = ctx.agreement;
  const existing = productFromUrl(ctx);
  const r = objectReader(ctx);
  const bodyNumber = r.string(['productNumber'], { max: 25 });
  if (bodyNumber !== undefined && productKey(bodyNumber) !== productKey(existing.productNumber)) {
    r.add(['productNumber'], ErrorCode.invalidValue, 'productNumber must match the product in the URL; products cannot be renumbered here.', bodyNumber);
  }
  const p = readProduct(r, a, existing.productNumber, existing);
  a.products.set(productKey(p.productNumber), p);
  ctx.effects.push({ kind: 'product', productNumber: p.productNumber });
  return ok(renderProduct(ctx, p));
};

const remove: Handler = (ctx) => {
  const a = ctx.agreement;
  const p = productFromUrl(ctx);
  const usedBy = productInUse(a, p.productNumber);
  if (usedBy) throw new ApiError(400, 'The product is in use and cannot be deleted.', `It is used on ${usedBy}.`, ErrorCode.inUse);
  a.products.delete(productKey(p.productNumber));
  ctx.effects.push({ kind: 'product', productNumber: p.productNumber });
  return noContent;
};

export function registerProducts(r: Router<Handler>): void {
  r.get('/products', list)
    .post('/products', create)
    .get('/products/:productNumber', get)
    .put('/products/:productNumber', replace)
    .delete('/products/:productNumber', remove);
}
