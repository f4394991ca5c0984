/** Customers, contacts and customer groups (economic-api.md §4.1–4.3). Absent booleans mean false. */
import type {
  AccountRef,
  CustomerContactRef,
  CustomerGroupRef,
  CustomerRef,
  DeliveryLocationRef,
  EmployeeRef,
  LayoutRef,
  MetaData,
  PaymentTermsRef,
  VatZoneRef,
} from './common';

/** Body of `POST /customers` and `PUT /customers/:n` (PUT replaces the whole customer). */
export interface CustomerInput {
  /** 1–999,999,999; assigned by e-conomic when left out on create. */
  customerNumber?: number;
  name: string;
  /** ISO 4217, 3 characters. */
  currency: string;
  customerGroup: CustomerGroupRef;
  paymentTerms: PaymentTermsRef;
  vatZone: VatZoneRef;
  address?: string;
  city?: string;
  country?: string;
  zip?: string;
  /** Several addresses separated by spaces. */
  email?: string;
  mobilePhone?: string;
  telephoneAndFaxNumber?: string;
  website?: string;
  /** CVR. */
  corporateIdentificationNumber?: string;
  pNumber?: string;
  ean?: string;
  publicEntryNumber?: string;
  vatNumber?: string;
  creditLimit?: number;
  barred?: boolean;
  layout?: LayoutRef;
  salesPerson?: EmployeeRef;
  /** PUT only: contacts exist only after the customer. */
  attention?: CustomerContactRef;
  /** PUT only. */
  customerContact?: CustomerContactRef;
  defaultDeliveryLocation?: DeliveryLocationRef;
  priceGroup?: { self: string };
}

export interface Customer extends CustomerInput {
  customerNumber: number;
  balance?: number;
  dueAmount?: number;
  /** ISO datetime in UTC. */
  lastUpdated?: string;
  eInvoicingDisabledByDefault?: boolean;
  contacts?: string;
  deliveryLocations?: string;
  invoices?: { drafts?: string; booked?: string; self?: string };
  totals?: { drafts?: string; booked?: string; self?: string };
  templates?: { invoice?: string; invoiceLine?: string; self?: string };
  metaData?: MetaData;
  self: string;
}

export type EmailNotification = 'invoices' | 'orders' | 'quotations' | 'reminders';

export interface CustomerContactInput {
  name: string;
  email?: string;
  phone?: string;
  notes?: string;
  /** Printed in `<cbc:ID>` on EAN invoices. */
  eInvoiceId?: string;
  emailNotifications?: EmailNotification[];
  sortKey?: number;
}

export interface CustomerContact extends CustomerContactInput {
  customerContactNumber: number;
  customer?: CustomerRef;
  deleted?: boolean;
  self: string;
}

export interface CustomerGroupInput {
  customerGroupNumber: number;
  name?: string;
  /** The accounts-receivable control account, e.g. 5600 "Debitorer". */
  account: AccountRef;
  layout?: LayoutRef;
}

export interface CustomerGroup extends CustomerGroupInput {
  customers?: string;
  self: string;
}
