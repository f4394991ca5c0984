import { Inject, Injectable } from '@nestjs/common';
import { EconomicClient, EconomicNotFoundError, filter, MAX_PAGE_SIZE, Product } from '@bogholder/economic-client';
import { EconomicClients } from '@bogholder/service-kit';
import { fromEconomicError } from '../../common/errors';
import { InventoryEnv } from '../../config/env';

/** e-conomic's inventory module is module 15 ("Lager" in Danish agreements; the name follows the language). */
export const INVENTORY_MODULE_NUMBER = 15;
/** `$in` takes at most 200 values (economic-api.md §3.3). */
const MAX_IN_VALUES = 200;

export interface EconomicShop {
  agreementNumber: number | null;
  grantTokenEncrypted: string;
}

/** What an agreement can tell about stock: cached per agreement (two calls: /self and /product-groups). */
export interface AgreementInventory {
  hasInventoryModule: boolean;
  /** Product groups with `inventoryEnabled`: only their products have stock. */
  inventoryGroups: number[];
}

export interface StockRead {
  /** e-conomic's product number. */
  sku: string;
  available: number;
}

export interface InventoryListing {
  reads: StockRead[];
  /** Requests spent on the listing. */
  calls: number;
}

/** Every read the inventory service makes in e-conomic, through the agreement's shared, paced client. */
@Injectable()
export class EconomicReaderService {
  private readonly cache = new Map<string, { value: AgreementInventory; at: number }>();

  constructor(
    private readonly clients: EconomicClients,
    @Inject(InventoryEnv) private readonly env: InventoryEnv,
  ) {}

  client(shop: EconomicShop): EconomicClient {
    return this.clients.forEncryptedToken(shop.grantTokenEncrypted);
  }

  /** Forget what we know about an agreement (it was connected again; its modules may have changed). */
  forget(agreementNumber: number | null): void {
    if (agreementNumber === null) this.cache.clear();
    else this.cache.delete(String(agreementNumber));
  }

  /** Whether the agreement has the inventory module, and which product groups carry stock. */
  async agreement(shop: EconomicShop): Promise<AgreementInventory> {
    const client = this.client(shop);
    const key = shop.agreementNumber === null ? client.agreementKey : String(shop.agreementNumber);
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < this.env.INVENTORY_AGREEMENT_CACHE_MS) return cached.value;
    let value: AgreementInventory;
    try {
      const self = await client.self.get();
      const hasInventoryModule = (self.modules ?? []).some((m) => m.moduleNumber === INVENTORY_MODULE_NUMBER);
      const inventoryGroups = hasInventoryModule
        ? (await client.productGroups.list({ pageSize: MAX_PAGE_SIZE }).toArray()).filter((g) => g.inventoryEnabled).map((g) => g.productGroupNumber)
        : [];
      value = { hasInventoryModule, inventoryGroups };
    } catch (err) {
      throw fromEconomicError(err, 'reading the agreement (/self, /product-groups)');
    }
    this.cache.set(key, { value, at: Date.now() });
    return value;
  }

  /** `available` of every product in the inventory-enabled groups: one call per 1000 products. */
  async inventoryProducts(shop: EconomicShop, groups: number[]): Promise<InventoryListing> {
    const client = this.client(shop);
    const reads: StockRead[] = [];
    let calls = 0;
    try {
      for (let i = 0; i < groups.length; i += MAX_IN_VALUES) {
        const list = client.products.list({ filter: filter.in('productGroup.productGroupNumber', groups.slice(i, i + MAX_IN_VALUES)), pageSize: MAX_PAGE_SIZE });
        for await (const page of list.pages()) {
          calls++;
          for (const p of page.items) {
            const available = p.inventory?.available;
            if (typeof available === 'number') reads.push({ sku: p.productNumber, available });
          }
        }
      }
    } catch (err) {
      throw fromEconomicError(err, 'reading the products of the inventory-enabled product groups');
    }
    return { reads, calls };
  }

  /** Every product of the agreement, keyed by lower-case number (e-conomic's numbers ignore case). */
  async allProducts(shop: EconomicShop): Promise<{ products: Map<string, Product>; calls: number }> {
    const client = this.client(shop);
    const products = new Map<string, Product>();
    let calls = 0;
    try {
      for await (const page of client.products.list({ pageSize: MAX_PAGE_SIZE }).pages()) {
        calls++;
        for (const p of page.items) products.set(p.productNumber.toLowerCase(), p);
      }
    } catch (err) {
      throw fromEconomicError(err, 'reading the product list');
    }
    return { products, calls };
  }

  /** One product, or null when e-conomic has no product with that number. */
  async product(shop: EconomicShop, sku: string): Promise<Product | null> {
    try {
      return await this.client(shop).products.get(sku);
    } catch (err) {
      if (err instanceof EconomicNotFoundError) return null;
      throw fromEconomicError(err, `reading product ${sku}`);
    }
  }

  /** The product numbers on a booked invoice, or null when there is no such invoice. */
  async bookedInvoiceSkus(shop: EconomicShop, bookedInvoiceNumber: number): Promise<string[] | null> {
    try {
      const invoice = await this.client(shop).invoices.booked.get(bookedInvoiceNumber);
      const skus = (invoice.lines ?? []).map((l) => l.product?.productNumber).filter((n): n is string => typeof n === 'string' && n.length > 0);
      return [...new Set(skus)];
    } catch (err) {
      if (err instanceof EconomicNotFoundError) return null;
      throw fromEconomicError(err, `reading booked invoice ${bookedInvoiceNumber}`);
    }
  }
}

/** Does this product carry stock we sync (module on, inventory-enabled group, `available` present)? */
export function stockOf(product: Product, agreement: AgreementInventory): number | null {
  if (!agreement.hasInventoryModule) return null;
  const group = product.productGroup?.productGroupNumber;
  if (group === undefined || !agreement.inventoryGroups.includes(group)) return null;
  return typeof product.inventory?.available === 'number' ? product.inventory.available : null;
}
