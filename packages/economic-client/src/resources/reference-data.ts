import { numericId } from '../core/id-encoding';
import type { PagedList } from '../core/pagination';
import type { RequestOptions } from '../core/request';
import { APIResource, type ListParams } from '../core/resource';
import type { Account, Layout, PaymentTerms, VatZone } from '../types/reference-data';

/** `/layouts` (read-only). */
export class Layouts extends APIResource {
  list(params?: ListParams): PagedList<Layout> {
    return this._list('/layouts', params);
  }

  async get(layoutNumber: number, options?: RequestOptions): Promise<Layout> {
    return this._request('GET', `/layouts/${numericId(layoutNumber, 'layoutNumber')}`, options);
  }
}

/** `/payment-terms`. */
export class PaymentTermsResource extends APIResource {
  list(params?: ListParams): PagedList<PaymentTerms> {
    return this._list('/payment-terms', params);
  }

  async get(paymentTermsNumber: number, options?: RequestOptions): Promise<PaymentTerms> {
    return this._request('GET', `/payment-terms/${numericId(paymentTermsNumber, 'paymentTermsNumber')}`, options);
  }
}

/** `/vat-zones` (read-only). */
export class VatZones extends APIResource {
  list(params?: ListParams): PagedList<VatZone> {
    return this._list('/vat-zones', params);
  }

  async get(vatZoneNumber: number, options?: RequestOptions): Promise<VatZone> {
    return this._request('GET', `/vat-zones/${numericId(vatZoneNumber, 'vatZoneNumber')}`, options);
  }
}

/** `/accounts` (read-only). */
export class Accounts extends APIResource {
  list(params?: ListParams): PagedList<Account> {
    return this._list('/accounts', params);
  }

  async get(accountNumber: number, options?: RequestOptions): Promise<Account> {
    return this._request('GET', `/accounts/${numericId(accountNumber, 'accountNumber')}`, options);
  }
}
