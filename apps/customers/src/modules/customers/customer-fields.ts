import { createHash } from 'node:crypto';
import { OrderCustomer, VatRegion, vatRegionForCountry } from '@bogholder/contracts';
import type { Customer, CustomerInput } from '@bogholder/economic-client';
import type { LinkKind } from './entities/customer-link.entity';

/**
 * Pure rules about a shop's customer: how it is recognised (keys), which e-conomic fields this
 * service owns, and when a customer found in e-conomic is the same person.
 */

export interface CustomerKey {
  kind: LinkKind;
  key: string;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** CVR as written by people: spaces and dashes dropped, upper-case, a Danish `DK` prefix removed. */
export function normaliseCvr(cvr: string): string {
  const compact = cvr.replace(/[\s-]/g, '').toUpperCase();
  return /^DK\d{8}$/.test(compact) ? compact.slice(2) : compact;
}

export const normaliseName = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

const present = (value: string | undefined): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * The keys a customer is recognised by, strongest first: the shop's id, the e-mail, the CVR. A
 * customer with none of them (a guest without e-mail) is recognised by name + address + zip + country,
 * so the same person at the same address is still one debtor.
 */
export function customerKeys(c: OrderCustomer): CustomerKey[] {
  const keys: CustomerKey[] = [];
  if (present(c.id)) keys.push({ kind: 'id', key: c.id.trim() });
  if (present(c.email)) keys.push({ kind: 'email', key: normaliseEmail(c.email) });
  if (present(c.cvr)) keys.push({ kind: 'cvr', key: normaliseCvr(c.cvr) });
  if (!keys.length) {
    const parts = [c.name, c.address ?? '', c.zip ?? '', c.country].map(normaliseName);
    keys.push({ kind: 'name', key: parts.join('|') });
  }
  return keys;
}

/** What `customer.created.shopCustomerId` carries: the shop's id, else e-mail, else CVR, else the name. */
export function shopCustomerId(c: OrderCustomer): string {
  const value = present(c.id) ? c.id.trim() : present(c.email) ? normaliseEmail(c.email) : present(c.cvr) ? normaliseCvr(c.cvr) : c.name.trim();
  return value.slice(0, 255);
}

/**
 * The fields of an e-conomic customer this service owns: written on create, and written back when
 * the shop changes them. Only values the shop sends are owned (nothing is ever cleared). The
 * country is kept as its ISO code; e-conomic gets its Danish name.
 */
export interface OwnedFields {
  name: string;
  address?: string;
  zip?: string;
  city?: string;
  country?: string;
  ean?: string;
}

export const OWNED_FIELD_NAMES = ['name', 'address', 'zip', 'city', 'country', 'ean'] as const;
export type OwnedFieldName = (typeof OWNED_FIELD_NAMES)[number];

export function ownedFields(c: OrderCustomer): OwnedFields {
  const fields: OwnedFields = { name: c.name.trim() };
  if (present(c.address)) fields.address = c.address.trim();
  if (present(c.zip)) fields.zip = c.zip.trim();
  if (present(c.city)) fields.city = c.city.trim();
  if (present(c.country)) fields.country = c.country.trim().toUpperCase();
  if (present(c.ean)) fields.ean = c.ean.trim();
  return fields;
}

export function fieldsHash(fields: OwnedFields): string {
  const ordered = OWNED_FIELD_NAMES.map((k) => [k, fields[k] ?? null]);
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}

/** Owned fields whose value the shop changed since `before` (a field the shop stopped sending is left alone). */
export function changedFields(before: OwnedFields, now: OwnedFields): OwnedFieldName[] {
  return OWNED_FIELD_NAMES.filter((k) => now[k] !== undefined && now[k] !== before[k]);
}

let danishRegions: Intl.DisplayNames | undefined;

/** e-conomic's `country` is free text shown to the bookkeeper: the Danish name ("Danmark"), or the code. */
export function countryName(code: string): string {
  try {
    danishRegions ??= new Intl.DisplayNames(['da'], { type: 'region' });
    const name = danishRegions.of(code.toUpperCase());
    return (name && name !== code.toUpperCase() ? name : code.toUpperCase()).slice(0, 50);
  } catch {
    return code.toUpperCase();
  }
}

/** The value e-conomic should hold for an owned field. */
export function economicValue(field: OwnedFieldName, fields: OwnedFields): string | undefined {
  const value = fields[field];
  if (value === undefined) return undefined;
  return field === 'country' ? countryName(value) : value;
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Does e-conomic's `customer` already hold what the shop says for `field`? */
export function economicHas(customer: Customer, field: OwnedFieldName, fields: OwnedFields): boolean {
  const wanted = economicValue(field, fields);
  if (wanted === undefined) return true;
  const actual = textOf(customer[field]);
  if (field === 'country') {
    const code = fields.country!;
    return actual.toLowerCase() === wanted.toLowerCase() || actual.toUpperCase() === code;
  }
  return actual === wanted;
}

/** The e-mail addresses of an e-conomic customer (its `email` may hold several, separated by spaces). */
export function economicEmails(customer: Pick<Customer, 'email'>): string[] {
  return textOf(customer.email).split(/[\s,;]+/).filter(Boolean).map(normaliseEmail);
}

/**
 * Is the e-conomic customer the same as the shop's? E-mail decides when both have one, else CVR
 * when both have one, else the name. Used to recognise our own create after a lost answer, and a
 * customer someone else created under a number we wanted.
 */
export function sameCustomer(existing: Customer, c: OrderCustomer): boolean {
  const emails = economicEmails(existing);
  if (present(c.email) && emails.length) return emails.includes(normaliseEmail(c.email));
  const cvr = textOf(existing.corporateIdentificationNumber);
  if (present(c.cvr) && cvr) return normaliseCvr(cvr) === normaliseCvr(c.cvr);
  return normaliseName(textOf(existing.name)) === normaliseName(c.name);
}

/** Where the VAT zone comes from: Denmark → domestic, EU → EU, anything else → abroad. */
export const vatRegion = (country: string): VatRegion => vatRegionForCountry(country);

/** e-conomic fields that are read-only or PATCH-only: left out of a PUT (which replaces the rest). */
const READ_ONLY = new Set([
  'balance', 'dueAmount', 'lastUpdated', 'contacts', 'deliveryLocations', 'invoices', 'totals', 'templates', 'metaData', 'self',
  'eInvoicingDisabledByDefault',
]);

/**
 * The body of a PUT (full replace) that keeps every field of `existing` this service does not own,
 * exactly as e-conomic has it, and applies `changes`.
 */
export function replaceBody(existing: Customer, changes: Partial<CustomerInput>): CustomerInput {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(existing)) {
    if (READ_ONLY.has(key) || value === null || value === undefined) continue;
    body[key] = value;
  }
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) body[key] = value;
  return body as unknown as CustomerInput;
}

/**
 * `customerNumbering: "shop"`: the shop's customer number as an e-conomic number, or undefined when
 * it is not numeric with at most 8 digits (1–99,999,999).
 */
export function shopCustomerNumber(value: string | number | undefined): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 99_999_999 ? value : undefined;
  if (typeof value !== 'string' || !/^\d{1,8}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n >= 1 ? n : undefined;
}
