import type { Ctx } from '../core/http';
import { encodeId } from '../core/links';
import type { Agreement } from '../state/types';

/** Reference objects as e-conomic writes them in responses: the number plus a `self` link. */
export function customerRef(ctx: Ctx, n: number) {
  return { customerNumber: n, self: ctx.links.url(`/customers/${n}`) };
}

export function contactRef(ctx: Ctx, customerNumber: number, n: number) {
  return { customerContactNumber: n, self: ctx.links.url(`/customers/${customerNumber}/contacts/${n}`) };
}

export function customerGroupRef(ctx: Ctx, n: number) {
  return { customerGroupNumber: n, self: ctx.links.url(`/customer-groups/${n}`) };
}

export function paymentTermsRef(ctx: Ctx, n: number) {
  return { paymentTermsNumber: n, self: ctx.links.url(`/payment-terms/${n}`) };
}

/** Payment terms expanded as on invoices: days, name, type and description. */
export function paymentTermsExpanded(ctx: Ctx, a: Agreement, n: number) {
  const t = a.paymentTerms.get(n);
  if (!t) return paymentTermsRef(ctx, n);
  return {
    paymentTermsNumber: n,
    daysOfCredit: t.daysOfCredit,
    description: t.description,
    name: t.name,
    paymentTermsType: t.paymentTermsType,
    self: ctx.links.url(`/payment-terms/${n}`),
  };
}

export function vatZoneRef(ctx: Ctx, n: number) {
  return { vatZoneNumber: n, self: ctx.links.url(`/vat-zones/${n}`) };
}

export function vatZoneExpanded(ctx: Ctx, a: Agreement, n: number) {
  const z = a.vatZones.get(n);
  if (!z) return vatZoneRef(ctx, n);
  return {
    name: z.name,
    vatZoneNumber: n,
    enabledForCustomer: z.enabledForCustomer,
    enabledForSupplier: z.enabledForSupplier,
    self: ctx.links.url(`/vat-zones/${n}`),
  };
}

export function layoutRef(ctx: Ctx, n: number) {
  return { layoutNumber: n, self: ctx.links.url(`/layouts/${n}`) };
}

export function layoutNamed(ctx: Ctx, a: Agreement, n: number) {
  return { layoutNumber: n, name: a.layouts.get(n)?.name, self: ctx.links.url(`/layouts/${n}`) };
}

export function unitExpanded(ctx: Ctx, a: Agreement, n: number) {
  return {
    unitNumber: n,
    name: a.units.get(n)?.name,
    products: ctx.links.url(`/units/${n}/products`),
    self: ctx.links.url(`/units/${n}`),
  };
}

export function productRef(ctx: Ctx, productNumber: string) {
  return { productNumber, self: ctx.links.url(`/products/${encodeId(productNumber)}`) };
}

export function productGroupExpanded(ctx: Ctx, a: Agreement, n: number) {
  const g = a.productGroups.get(n);
  return {
    productGroupNumber: n,
    name: g?.name,
    inventoryEnabled: g?.inventoryEnabled,
    salesAccounts: ctx.links.url(`/product-groups/${n}/sales-accounts`),
    products: ctx.links.url(`/product-groups/${n}/products`),
    self: ctx.links.url(`/product-groups/${n}`),
  };
}

export function accountRef(ctx: Ctx, n: number) {
  return { accountNumber: n, self: ctx.links.url(`/accounts/${n}`) };
}

export function accountExpanded(ctx: Ctx, a: Agreement, n: number) {
  const acc = a.accounts.get(n);
  if (!acc) return accountRef(ctx, n);
  return {
    accountNumber: n,
    accountType: acc.accountType,
    balance: acc.balance,
    blockDirectEntries: acc.blockDirectEntries,
    debitCredit: acc.debitCredit,
    name: acc.name,
    vatAccount: acc.vatCode ? { vatCode: acc.vatCode, self: ctx.links.url(`/vat-accounts/${acc.vatCode}`) } : undefined,
    accountingYears: ctx.links.url(`/accounts/${n}/accounting-years`),
    self: ctx.links.url(`/accounts/${n}`),
  };
}
