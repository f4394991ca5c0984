/** Products, product groups and units (economic-api.md §4.4–4.6, §5). Absent booleans mean false. */
import type { AccountRef, DepartmentalDistributionRef, MetaData, ProductGroupRef, UnitRef, VatZoneRef } from './common';

export interface ProductInput {
  /** 1–25 characters; encoded in URLs per e-conomic's id encoding. */
  productNumber: string;
  name: string;
  productGroup: ProductGroupRef;
  description?: string;
  barCode?: string;
  /** Ignored when the inventory module is on. */
  costPrice?: number;
  /** The default `unitNetPrice` on invoice lines. */
  salesPrice?: number;
  recommendedPrice?: number;
  barred?: boolean;
  unit?: UnitRef;
  departmentalDistribution?: DepartmentalDistributionRef;
  /** Only the writable part; `recommendedCostPrice` is required when the inventory module is on. */
  inventory?: { packageVolume?: number; recommendedCostPrice?: number };
}

/** Present only when the inventory module is on; stock figures are read-only. */
export interface ProductInventory {
  available?: number;
  inStock?: number;
  orderedByCustomers?: number;
  orderedFromSuppliers?: number;
  grossWeight?: number;
  netWeight?: number;
  inventoryLastUpdated?: string;
  packageVolume?: number;
  recommendedCostPrice?: number;
}

export interface Product extends Omit<ProductInput, 'inventory'> {
  inventory?: ProductInventory;
  lastUpdated?: string;
  invoices?: { drafts?: string; booked?: string };
  pricing?: { currencySpecificSalesPrices?: string };
  metaData?: MetaData;
  self: string;
}

export interface ProductGroup {
  productGroupNumber: number;
  name: string;
  inventoryEnabled?: boolean;
  accrual?: AccountRef;
  products?: string;
  salesAccounts?: string;
  self: string;
}

/** One item of `/product-groups/:n/sales-accounts`: the sales account used for a VAT zone. */
export interface ProductGroupSalesAccount {
  salesAccount: AccountRef & { name?: string; vatAccount?: { vatCode: string; self?: string } };
  vatZone: VatZoneRef & { name?: string };
  self?: string;
}

export interface Unit {
  unitNumber: number;
  /** Max 8 characters. */
  name: string;
  products?: string;
  self: string;
}
