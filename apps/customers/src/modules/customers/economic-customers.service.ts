import { Injectable } from '@nestjs/common';
import type { Settings } from '@bogholder/contracts';
import {
  Customer, CustomerContact, CustomerContactInput, CustomerInput, EconomicClient, EconomicNotFoundError, filter,
} from '@bogholder/economic-client';
import { economicEmails, normaliseCvr, normaliseEmail } from './customer-fields';
import { CustomerGroupMissingError, EconomicRejectedError } from './customers.errors';

/** One ensure/lookup call against one shop's agreement; counts the e-conomic calls it makes. */
export interface EconomicSession {
  shopId: string;
  agreementNumber: number;
  settings: Settings;
  client: EconomicClient;
  /** e-conomic calls made so far (client-side retries not counted). */
  calls: number;
}

/** Reference data that rarely changes is checked once per agreement and remembered this long. */
const CACHE_TTL_MS = 10 * 60_000;
/** How many numbers one look-up of taken customer numbers covers. */
export const TAKEN_WINDOW = 1000;

/**
 * The e-conomic calls of this service, through @bogholder/economic-client. Errors are the client's
 * own (the customers service maps them to typed errors at the edge).
 */
@Injectable()
export class EconomicCustomers {
  private readonly groups = new Map<string, number>();
  private readonly firstTerms = new Map<number, { value: number; until: number }>();

  async getCustomer(s: EconomicSession, customerNumber: number): Promise<Customer | null> {
    s.calls++;
    try {
      return await s.client.customers.get(customerNumber);
    } catch (err) {
      if (err instanceof EconomicNotFoundError) return null;
      throw err;
    }
  }

  /** A customer whose e-mail (one of its addresses) is `email`; the lowest-numbered one that is not barred wins. */
  async findByEmail(s: EconomicSession, email: string): Promise<Customer | undefined> {
    const wanted = normaliseEmail(email);
    s.calls++;
    const page = await s.client.customers.list({ filter: filter.contains('email', wanted), sort: 'customerNumber', pageSize: 100 }).page();
    return pick(page.items.filter((c) => economicEmails(c).includes(wanted)));
  }

  /** A customer with this CVR (written with or without a DK prefix). */
  async findByCvr(s: EconomicSession, cvr: string): Promise<Customer | undefined> {
    const wanted = normaliseCvr(cvr);
    const variants = /^\d{8}$/.test(wanted) ? [wanted, `DK${wanted}`] : [wanted];
    s.calls++;
    const page = await s.client.customers
      .list({ filter: filter.or(...variants.map((v) => filter.eq('corporateIdentificationNumber', v))), sort: 'customerNumber', pageSize: 100 })
      .page();
    return pick(page.items.filter((c) => typeof c.corporateIdentificationNumber === 'string' && normaliseCvr(c.corporateIdentificationNumber) === wanted));
  }

  /** Customer numbers taken in e-conomic within [from, from + TAKEN_WINDOW). */
  async takenNumbers(s: EconomicSession, from: number): Promise<Set<number>> {
    s.calls++;
    const page = await s.client.customers
      .list({
        filter: filter.and(filter.gte('customerNumber', from), filter.lt('customerNumber', from + TAKEN_WINDOW)),
        sort: 'customerNumber',
        pageSize: TAKEN_WINDOW,
      })
      .page();
    return new Set(page.items.map((c) => c.customerNumber));
  }

  async create(s: EconomicSession, body: CustomerInput): Promise<Customer> {
    s.calls++;
    return await s.client.customers.create(body);
  }

  async replace(s: EconomicSession, customerNumber: number, body: CustomerInput): Promise<Customer> {
    s.calls++;
    // A repeated full replace with the same body is harmless, so the client may retry it.
    return await s.client.customers.update(customerNumber, body, { idempotent: true });
  }

  /** Throws `customer_group_missing` unless the group exists; a group seen once is trusted for a while. */
  async ensureGroup(s: EconomicSession, group: number): Promise<void> {
    const key = `${s.agreementNumber}:${group}`;
    if ((this.groups.get(key) ?? 0) > Date.now()) return;
    s.calls++;
    try {
      await s.client.customerGroups.get(group);
    } catch (err) {
      if (err instanceof EconomicNotFoundError) throw new CustomerGroupMissingError(group);
      throw err;
    }
    this.groups.set(key, Date.now() + CACHE_TTL_MS);
  }

  /** Called when e-conomic says the group is gone after all. */
  forgetGroup(s: EconomicSession, group: number): void {
    this.groups.delete(`${s.agreementNumber}:${group}`);
  }

  /** `paymentTermsNumber` from the settings, else the agreement's first payment terms. */
  async paymentTerms(s: EconomicSession): Promise<number> {
    if (s.settings.paymentTermsNumber !== null) return s.settings.paymentTermsNumber;
    const cached = this.firstTerms.get(s.agreementNumber);
    if (cached && cached.until > Date.now()) return cached.value;
    s.calls++;
    const first = await s.client.paymentTerms.list({ sort: 'paymentTermsNumber', pageSize: 1 }).page();
    const value = first.items[0]?.paymentTermsNumber;
    if (value === undefined) {
      throw new EconomicRejectedError(
        'the e-conomic agreement has no payment terms: create payment terms in e-conomic (Settings → Payment terms) or set paymentTermsNumber in the settings',
        [{ field: 'paymentTermsNumber', message: 'no payment terms exist in e-conomic' }],
      );
    }
    this.firstTerms.set(s.agreementNumber, { value, until: Date.now() + CACHE_TTL_MS });
    return value;
  }

  /** A contact of the customer by name (case-insensitive), lowest number first. */
  async findContactByName(s: EconomicSession, customerNumber: number, name: string): Promise<CustomerContact | undefined> {
    s.calls++;
    const page = await s.client.customers
      .contacts(customerNumber)
      .list({ filter: filter.eq('name', name), sort: 'customerContactNumber', pageSize: 100 })
      .page();
    const wanted = name.trim().toLowerCase();
    return page.items.find((c) => !c.deleted && c.name.trim().toLowerCase() === wanted);
  }

  async getContact(s: EconomicSession, customerNumber: number, contactNumber: number): Promise<CustomerContact | null> {
    s.calls++;
    try {
      return await s.client.customers.contacts(customerNumber).get(contactNumber);
    } catch (err) {
      if (err instanceof EconomicNotFoundError) return null;
      throw err;
    }
  }

  async createContact(s: EconomicSession, customerNumber: number, body: CustomerContactInput): Promise<CustomerContact> {
    s.calls++;
    return await s.client.customers.contacts(customerNumber).create(body);
  }

  async replaceContact(s: EconomicSession, customerNumber: number, contactNumber: number, body: CustomerContactInput): Promise<CustomerContact> {
    s.calls++;
    return await s.client.customers.contacts(customerNumber).update(contactNumber, body, { idempotent: true });
  }
}

function pick(candidates: Customer[]): Customer | undefined {
  return candidates.find((c) => !c.barred) ?? candidates[0];
}
