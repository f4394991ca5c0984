import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerContact, CustomerContactInput, EconomicOutcomeUnknownError } from '@bogholder/economic-client';
import { normaliseName } from './customer-fields';
import { CustomerStore, Scope } from './customer-store.service';
import { CustomerCreationDisabledError, EconomicUnavailableError } from './customers.errors';
import { EconomicCustomers, EconomicSession } from './economic-customers.service';

export interface EnsuredContact {
  contactNumber: number;
  created: boolean;
  name: string;
  nameKey: string;
  eInvoiceId: string | null;
}

const CONTACT_READ_ONLY = new Set(['customerContactNumber', 'customer', 'self', 'deleted']);

/**
 * The customer's reference contact ("Deres reference", required on EAN invoices): found by name in
 * our table, else among the customer's contacts in e-conomic, else created. A create whose answer
 * was lost is found again by name.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly store: CustomerStore,
    private readonly economic: EconomicCustomers,
  ) {}

  /** The stored contact, when it needs no e-conomic call (the caller saves what `ensure` returns). */
  async known(m: EntityManager, scope: Scope, customerNumber: number, name: string, eInvoiceId: string | undefined): Promise<number | undefined> {
    const row = await this.store.findContact(m, scope, customerNumber, normaliseName(name));
    if (!row) return undefined;
    if (eInvoiceId !== undefined && row.eInvoiceId !== eInvoiceId) return undefined;
    return row.contactNumber;
  }

  async ensure(s: EconomicSession, m: EntityManager, scope: Scope, customerNumber: number, name: string, eInvoiceId: string | undefined): Promise<EnsuredContact> {
    const nameKey = normaliseName(name);
    const result = (contact: CustomerContact, created: boolean): EnsuredContact => ({
      contactNumber: contact.customerContactNumber,
      created,
      name,
      nameKey,
      eInvoiceId: contact.eInvoiceId ?? null,
    });

    const row = await this.store.findContact(m, scope, customerNumber, nameKey);
    if (row) {
      if (eInvoiceId === undefined || row.eInvoiceId === eInvoiceId) {
        return { contactNumber: row.contactNumber, created: false, name: row.name, nameKey, eInvoiceId: row.eInvoiceId };
      }
      const existing = await this.economic.getContact(s, customerNumber, row.contactNumber);
      if (existing) return result(await this.withEInvoiceId(s, customerNumber, existing, eInvoiceId), false);
      await this.store.deleteContact(m, scope, customerNumber, nameKey); // deleted in e-conomic: find or create it again
    }

    const found = await this.economic.findContactByName(s, customerNumber, name);
    if (found) return result(await this.withEInvoiceId(s, customerNumber, found, eInvoiceId), false);

    if (!s.settings.createCustomers) {
      throw new CustomerCreationDisabledError(
        `the reference contact "${name}" does not exist on customer ${customerNumber} in e-conomic and createCustomers is off: ` +
          `add the contact to customer ${customerNumber} in e-conomic, or turn createCustomers on in the settings`,
      );
    }
    const body: CustomerContactInput = { name };
    if (eInvoiceId !== undefined) body.eInvoiceId = eInvoiceId;
    try {
      return result(await this.economic.createContact(s, customerNumber, body), true);
    } catch (err) {
      if (!(err instanceof EconomicOutcomeUnknownError)) throw err;
      // The answer was lost: the contact may exist now. Look before anyone creates it again.
      const again = await this.economic.findContactByName(s, customerNumber, name).catch((lookupErr: unknown) => {
        throw new EconomicUnavailableError(`creating contact "${name}" on customer ${customerNumber} got no answer and it could not be looked up; the next attempt looks it up first`, { cause: lookupErr });
      });
      if (again) return result(again, true);
      throw new EconomicUnavailableError(`creating contact "${name}" on customer ${customerNumber} got no answer (${err.reason}) and it was not created; try again`, { cause: err });
    }
  }

  private async withEInvoiceId(s: EconomicSession, customerNumber: number, contact: CustomerContact, eInvoiceId: string | undefined): Promise<CustomerContact> {
    if (eInvoiceId === undefined || contact.eInvoiceId === eInvoiceId) return contact;
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(contact)) if (!CONTACT_READ_ONLY.has(key) && value !== null && value !== undefined) body[key] = value;
    body.eInvoiceId = eInvoiceId;
    return await this.economic.replaceContact(s, customerNumber, contact.customerContactNumber, body as unknown as CustomerContactInput);
  }
}
