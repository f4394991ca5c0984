import { numericId } from '../core/id-encoding';
import type { PagedList } from '../core/pagination';
import type { RequestCore, RequestOptions } from '../core/request';
import { APIResource, type ListParams } from '../core/resource';
import type {
  Customer,
  CustomerContact,
  CustomerContactInput,
  CustomerGroup,
  CustomerGroupInput,
  CustomerInput,
} from '../types/customers';

/** `/customers`. */
export class Customers extends APIResource {
  list(params?: ListParams): PagedList<Customer> {
    return this._list('/customers', params);
  }

  async get(customerNumber: number, options?: RequestOptions): Promise<Customer> {
    return this._request('GET', `/customers/${numericId(customerNumber, 'customerNumber')}`, options);
  }

  /** Without `customerNumber`, e-conomic assigns one. A duplicate number fails with E06010. */
  async create(body: CustomerInput, options?: RequestOptions): Promise<Customer> {
    return this._request('POST', '/customers', { ...options, body });
  }

  /** Full replace: fields left out are cleared. */
  async update(customerNumber: number, body: CustomerInput, options?: RequestOptions): Promise<Customer> {
    return this._request('PUT', `/customers/${numericId(customerNumber, 'customerNumber')}`, {
      ...options,
      body: { customerNumber, ...body },
    });
  }

  async delete(customerNumber: number, options?: RequestOptions): Promise<void> {
    await this._request('DELETE', `/customers/${numericId(customerNumber, 'customerNumber')}`, options);
  }

  /** `/customers/:customerNumber/contacts`. */
  contacts(customerNumber: number): CustomerContacts {
    return new CustomerContacts(this._core, customerNumber);
  }
}

/** `/customers/:customerNumber/contacts`. */
export class CustomerContacts extends APIResource {
  readonly #base: string;

  constructor(core: RequestCore, customerNumber: number) {
    super(core);
    this.#base = `/customers/${numericId(customerNumber, 'customerNumber')}/contacts`;
  }

  list(params?: ListParams): PagedList<CustomerContact> {
    return this._list(this.#base, params);
  }

  async get(contactNumber: number, options?: RequestOptions): Promise<CustomerContact> {
    return this._request('GET', `${this.#base}/${numericId(contactNumber, 'contactNumber')}`, options);
  }

  async create(body: CustomerContactInput, options?: RequestOptions): Promise<CustomerContact> {
    return this._request('POST', this.#base, { ...options, body });
  }

  /** Full replace. */
  async update(contactNumber: number, body: CustomerContactInput, options?: RequestOptions): Promise<CustomerContact> {
    return this._request('PUT', `${this.#base}/${numericId(contactNumber, 'contactNumber')}`, {
      ...options,
      body: { customerContactNumber: contactNumber, ...body },
    });
  }

  async delete(contactNumber: number, options?: RequestOptions): Promise<void> {
    await this._request('DELETE', `${this.#base}/${numericId(contactNumber, 'contactNumber')}`, options);
  }
}

/** `/customer-groups`. */
export class CustomerGroups extends APIResource {
  list(params?: ListParams): PagedList<CustomerGroup> {
    return this._list('/customer-groups', params);
  }

  async get(customerGroupNumber: number, options?: RequestOptions): Promise<CustomerGroup> {
    return this._request('GET', `/customer-groups/${numericId(customerGroupNumber, 'customerGroupNumber')}`, options);
  }

  async create(body: CustomerGroupInput, options?: RequestOptions): Promise<CustomerGroup> {
    return this._request('POST', '/customer-groups', { ...options, body });
  }

  /** Full replace; the group number itself cannot change. */
  async update(customerGroupNumber: number, body: Omit<CustomerGroupInput, 'customerGroupNumber'>, options?: RequestOptions): Promise<CustomerGroup> {
    return this._request('PUT', `/customer-groups/${numericId(customerGroupNumber, 'customerGroupNumber')}`, {
      ...options,
      body: { ...body, customerGroupNumber },
    });
  }
}
