import { encodeId, numericId } from '../core/id-encoding';
import type { PagedList } from '../core/pagination';
import type { RequestOptions } from '../core/request';
import { APIResource, type ListParams } from '../core/resource';
import type { Product, ProductGroup, ProductGroupSalesAccount, ProductInput, Unit } from '../types/products';

/** `/products`. Product numbers are strings, encoded in paths with e-conomic's id encoding. */
export class Products extends APIResource {
  list(params?: ListParams): PagedList<Product> {
    return this._list('/products', params);
  }

  async get(productNumber: string, options?: RequestOptions): Promise<Product> {
    return this._request('GET', `/products/${encodeId(productNumber)}`, options);
  }

  async create(body: ProductInput, options?: RequestOptions): Promise<Product> {
    return this._request('POST', '/products', { ...options, body });
  }

  /** Full replace. A different `productNumber` in the body renumbers the product. */
  async update(productNumber: string, body: Omit<ProductInput, 'productNumber'> & { productNumber?: string }, options?: RequestOptions): Promise<Product> {
    return this._request('PUT', `/products/${encodeId(productNumber)}`, { ...options, body: { productNumber, ...body } });
  }

  /** Refused while the product is in use. */
  async delete(productNumber: string, options?: RequestOptions): Promise<void> {
    await this._request('DELETE', `/products/${encodeId(productNumber)}`, options);
  }
}

/** `/product-groups` (read-only in the REST API). */
export class ProductGroups extends APIResource {
  list(params?: ListParams): PagedList<ProductGroup> {
    return this._list('/product-groups', params);
  }

  async get(productGroupNumber: number, options?: RequestOptions): Promise<ProductGroup> {
    return this._request('GET', `/product-groups/${numericId(productGroupNumber, 'productGroupNumber')}`, options);
  }

  /** The group's sales account for each VAT zone. */
  salesAccounts(productGroupNumber: number, params?: ListParams): PagedList<ProductGroupSalesAccount> {
    return this._list(`/product-groups/${numericId(productGroupNumber, 'productGroupNumber')}/sales-accounts`, params);
  }

  products(productGroupNumber: number, params?: ListParams): PagedList<Product> {
    return this._list(`/product-groups/${numericId(productGroupNumber, 'productGroupNumber')}/products`, params);
  }
}

/** `/units`. */
export class Units extends APIResource {
  list(params?: ListParams): PagedList<Unit> {
    return this._list('/units', params);
  }

  async get(unitNumber: number, options?: RequestOptions): Promise<Unit> {
    return this._request('GET', `/units/${numericId(unitNumber, 'unitNumber')}`, options);
  }
}
