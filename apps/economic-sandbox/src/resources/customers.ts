import { ErrorCode } from '../core/errors';
import type { FieldSpec } from '../core/filter';
import type { Ctx, Handler } from '../core/http';
import { collection } from '../core/paging';
import type { Router } from '../core/router';
import type { Reader } from '../core/validation';
import { isKnownCurrency } from '../state/currencies';
import type { Agreement, Contact, Customer } from '../state/types';
import { created, found, idParam, metaData, noContent, objectReader, ok, stamp } from './common';
import { contactRef, customerGroupRef, layoutRef, paymentTermsRef, vatZoneRef } from './refs';

export const CUSTOMER_FIELDS: FieldSpec = {
  address: 'string',
  balance: 'number',
  barred: 'boolean',
  city: 'string',
  corporateIdentificationNumber: 'string',
  country: 'string',
  creditLimit: 'number',
  currency: 'string',
  customerNumber: 'number',
  ean: 'string',
  email: 'string',
  lastUpdated: 'date',
  name: 'string',
  publicEntryNumber: 'string',
  telephoneAndFaxNumber: 'string',
  vatNumber: 'string',
  website: 'string',
  zip: 'string',
};

const CONTACT_FIELDS: FieldSpec = {
  'customer.customerNumber': 'number',
  customerContactNumber: 'number',
  eInvoiceId: 'string',
  email: 'string',
  name: 'string',
  phone: 'string',
  sortKey: 'number',
};

const CUSTOMER_STRINGS: Record<string, number> = {
  address: 510,
  city: 50,
  country: 50,
  zip: 30,
  email: 255,
  mobilePhone: 50,
  telephoneAndFaxNumber: 255,
  website: 255,
  corporateIdentificationNumber: 40,
  ean: 40,
  publicEntryNumber: 50,
  vatNumber: 50,
};

const EMAIL_NOTIFICATIONS = ['invoices', 'orders', 'quotations', 'reminders'];

export function renderCustomer(ctx: Ctx, c: Customer) {
  const n = c.customerNumber;
  const url = (p: string) => ctx.links.url(p);
  return {
    customerNumber: n,
    currency: c.currency,
    paymentTerms: paymentTermsRef(ctx, c.paymentTerms.paymentTermsNumber),
    customerGroup: customerGroupRef(ctx, c.customerGroup.customerGroupNumber),
    address: c.address,
    balance: c.balance,
    dueAmount: c.dueAmount,
    corporateIdentificationNumber: c.corporateIdentificationNumber,
    pNumber: c.pNumber,
    city: c.city,
    country: c.country,
    email: c.email,
    ean: c.ean,
    publicEntryNumber: c.publicEntryNumber,
    name: c.name,
    zip: c.zip,
    mobilePhone: c.mobilePhone,
    telephoneAndFaxNumber: c.telephoneAndFaxNumber,
    website: c.website,
    vatNumber: c.vatNumber,
    creditLimit: c.creditLimit,
    barred: c.barred,
    vatZone: vatZoneRef(ctx, c.vatZone.vatZoneNumber),
    layout: c.layout ? layoutRef(ctx, c.layout.layoutNumber) : undefined,
    attention: c.attention ? contactRef(ctx, n, c.attention.customerContactNumber) : undefined,
    customerContact: c.customerContact ? contactRef(ctx, n, c.customerContact.customerContactNumber) : undefined,
    lastUpdated: c.lastUpdated,
    contacts: url(`/customers/${n}/contacts`),
    templates: {
      invoice: url(`/customers/${n}/templates/invoice`),
      invoiceLine: url(`/customers/${n}/templates/invoiceline`),
      self: url(`/customers/${n}/templates`),
    },
    totals: {
      drafts: url(`/invoices/totals/drafts/customers/${n}`),
      booked: url(`/invoices/totals/booked/customers/${n}`),
      self: url(`/customers/${n}/totals`),
    },
    deliveryLocations: url(`/customers/${n}/delivery-locations`),
    invoices: {
      drafts: url(`/customers/${n}/invoices/drafts`),
      booked: url(`/customers/${n}/invoices/booked`),
      self: url(`/customers/${n}/invoices`),
    },
    metaData: metaData(ctx, `/customers/${n}`, 'customer'),
    self: url(`/customers/${n}`),
  };
}

export function renderContact(ctx: Ctx, c: Contact) {
  const customerNumber = c.customer.customerNumber;
  return {
    customerContactNumber: c.customerContactNumber,
    name: c.name,
    email: c.email,
    phone: c.phone,
    notes: c.notes,
    eInvoiceId: c.eInvoiceId,
    emailNotifications: c.emailNotifications,
    sortKey: c.sortKey,
    customer: { customerNumber, self: ctx.links.url(`/customers/${customerNumber}`) },
    self: ctx.links.url(`/customers/${customerNumber}/contacts/${c.customerContactNumber}`),
  };
}

/** Validates a customer body (POST and PUT share the rules); throws a validation error. */
function readCustomer(r: Reader, a: Agreement, customerNumber: number | undefined, existing: Customer | undefined): Customer {
  const name = r.string(['name'], { required: true, max: 255 });
  const currency = r.string(['currency'], { required: true, exact: 3 });
  if (currency !== undefined && !isKnownCurrency(currency.toUpperCase())) {
    r.add(['currency'], ErrorCode.notFound, `Currency '${currency}' not found.`, currency, `Find a list of currencies at ${r.apiBase}/currencies .`);
  }
  const group = r.ref(['customerGroup'], 'customerGroupNumber', {
    required: true,
    exists: (n) => a.customerGroups.has(n),
    collection: '/customer-groups',
  });
  const terms = r.ref(['paymentTerms'], 'paymentTermsNumber', {
    required: true,
    exists: (n) => a.paymentTerms.has(n),
    collection: '/payment-terms',
    notFoundCode: ErrorCode.paymentTermsNotFound,
    entity: 'PaymentTerms',
  });
  const zone = r.ref(['vatZone'], 'vatZoneNumber', { required: true, exists: (n) => a.vatZones.has(n), collection: '/vat-zones' });
  const layout = r.ref(['layout'], 'layoutNumber', { exists: (n) => a.layouts.has(n), collection: '/layouts' });
  const contactExists = (n: number) => existing?.contacts.has(n) ?? false;
  const attention = r.ref(['attention'], 'customerContactNumber', { exists: contactExists, entity: 'CustomerContact' });
  const customerContact = r.ref(['customerContact'], 'customerContactNumber', { exists: contactExists, entity: 'CustomerContact' });
  r.ref(['salesPerson'], 'employeeNumber', { exists: () => false, entity: 'Employee' });
  r.ref(['defaultDeliveryLocation'], 'deliveryLocationNumber', { exists: () => false, entity: 'DeliveryLocation' });
  const creditLimit = r.number(['creditLimit']);
  const barred = r.boolean(['barred']);
  const pNumber = r.string(['pNumber'], { exact: 10 });
  const customer: Customer = {
    customerNumber: customerNumber ?? 0,
    name: name ?? '',
    currency: currency?.toUpperCase() ?? '',
    customerGroup: { customerGroupNumber: group ?? 0 },
    paymentTerms: { paymentTermsNumber: terms ?? 0 },
    vatZone: { vatZoneNumber: zone ?? 0 },
    barred: barred ?? false,
    balance: existing?.balance ?? 0,
    dueAmount: existing?.dueAmount ?? 0,
    lastUpdated: stamp(),
    contacts: existing?.contacts ?? new Map(),
  };
  r.copyStrings(customer, CUSTOMER_STRINGS);
  if (pNumber !== undefined) customer.pNumber = pNumber;
  if (layout !== undefined) customer.layout = { layoutNumber: layout };
  if (attention !== undefined) customer.attention = { customerContactNumber: attention };
  if (customerContact !== undefined) customer.customerContact = { customerContactNumber: customerContact };
  if (creditLimit !== undefined) customer.creditLimit = creditLimit;
  r.issues.throwIfAny();
  return customer;
}

function readContact(r: Reader, customerNumber: number, contactNumber: number, sortKeyDefault: number): Contact {
  const name = r.string(['name'], { required: true, max: 255 });
  const sortKey = r.number(['sortKey'], { integer: true, min: 1 });
  const notifications = r.array(['emailNotifications']);
  notifications?.forEach((v, i) => {
    if (typeof v !== 'string' || !EMAIL_NOTIFICATIONS.includes(v)) {
      r.add(['emailNotifications', i], ErrorCode.invalidValue, `emailNotifications must be drawn from: ${EMAIL_NOTIFICATIONS.join(', ')}.`, v);
    }
  });
  const contact: Contact = {
    customerContactNumber: contactNumber,
    name: name ?? '',
    sortKey: sortKey ?? sortKeyDefault,
    customer: { customerNumber },
  };
  r.copyStrings(contact, { email: 255, phone: 50, notes: 2000, eInvoiceId: 50 });
  if (notifications) contact.emailNotifications = notifications as string[];
  r.issues.throwIfAny();
  return contact;
}

const list: Handler = (ctx) =>
  collection(ctx, '/customers', ctx.agreement.customers.values(), {
    fields: CUSTOMER_FIELDS,
    defaultSort: 'customerNumber',
    render: (c) => renderCustomer(ctx, c),
  });

const get: Handler = (ctx) => ok(renderCustomer(ctx, found(ctx.agreement.customers.get(idParam(ctx, 'customerNumber')))));

const create: Handler = (ctx) => {
  const a = ctx.agreement;
  const r = objectReader(ctx);
  let number = r.number(['customerNumber'], { integer: true, min: 1, max: 999_999_999 });
  if (number !== undefined && a.customers.has(number)) {
    r.add(['customerNumber'], ErrorCode.alreadyExists, `Customer '${number}' already exists.`, number);
    number = undefined;
  }
  const assigned = r.has(['customerNumber']) ? number : a.maxCustomerNumber + 1;
  const customer = readCustomer(r, a, assigned, undefined);
  a.customers.set(customer.customerNumber, customer);
  a.maxCustomerNumber = Math.max(a.maxCustomerNumber, customer.customerNumber);
  return created(ctx, `/customers/${customer.customerNumber}`, renderCustomer(ctx, customer));
};

const replace: Handler = (ctx) => {
  const a = ctx.agreement;
  const existing = found(a.customers.get(idParam(ctx, 'customerNumber')));
  const customer = readCustomer(objectReader(ctx), a, existing.customerNumber, existing);
  a.customers.set(customer.customerNumber, customer);
  return ok(renderCustomer(ctx, customer));
};

const remove: Handler = (ctx) => {
  const n = idParam(ctx, 'customerNumber');
  found(ctx.agreement.customers.get(n));
  ctx.agreement.customers.delete(n);
  return noContent;
};

function customerOf(ctx: Ctx): Customer {
  return found(ctx.agreement.customers.get(idParam(ctx, 'customerNumber')));
}

const listContacts: Handler = (ctx) => {
  const c = customerOf(ctx);
  return collection(ctx, `/customers/${c.customerNumber}/contacts`, c.contacts.values(), {
    fields: CONTACT_FIELDS,
    defaultSort: 'customerContactNumber',
    render: (x) => renderContact(ctx, x),
  });
};

const getContact: Handler = (ctx) => ok(renderContact(ctx, found(customerOf(ctx).contacts.get(idParam(ctx, 'contactNumber')))));

const createContact: Handler = (ctx) => {
  const c = customerOf(ctx);
  const contact = readContact(objectReader(ctx), c.customerNumber, ctx.agreement.nextContactNumber, c.contacts.size + 1);
  ctx.agreement.nextContactNumber++;
  c.contacts.set(contact.customerContactNumber, contact);
  return created(ctx, `/customers/${c.customerNumber}/contacts/${contact.customerContactNumber}`, renderContact(ctx, contact));
};

const replaceContact: Handler = (ctx) => {
  const c = customerOf(ctx);
  const existing = found(c.contacts.get(idParam(ctx, 'contactNumber')));
  const r = objectReader(ctx);
  const n = r.number(['customerContactNumber'], { required: true, integer: true });
  if (n !== undefined && n !== existing.customerContactNumber) {
    r.add(['customerContactNumber'], ErrorCode.invalidValue, 'customerContactNumber must match the contact in the URL.', n);
  }
  const contact = readContact(r, c.customerNumber, existing.customerContactNumber, existing.sortKey);
  c.contacts.set(contact.customerContactNumber, contact);
  return ok(renderContact(ctx, contact));
};

const removeContact: Handler = (ctx) => {
  const c = customerOf(ctx);
  const n = idParam(ctx, 'contactNumber');
  found(c.contacts.get(n));
  c.contacts.delete(n);
  if (c.attention?.customerContactNumber === n) delete c.attention;
  if (c.customerContact?.customerContactNumber === n) delete c.customerContact;
  return noContent;
};

export function registerCustomers(r: Router<Handler>): void {
  r.get('/customers', list)
    .post('/customers', create)
    .get('/customers/:customerNumber', get)
    .put('/customers/:customerNumber', replace)
    .delete('/customers/:customerNumber', remove)
    .get('/customers/:customerNumber/contacts', listContacts)
    .post('/customers/:customerNumber/contacts', createContact)
    .get('/customers/:customerNumber/contacts/:contactNumber', getContact)
    .put('/customers/:customerNumber/contacts/:contactNumber', replaceContact)
    .delete('/customers/:customerNumber/contacts/:contactNumber', removeContact);
}
