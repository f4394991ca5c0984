import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  createEnvelope, CustomerCreatedData, CustomersEnsureReply, CustomersLookupReply, OrderCustomer, Subjects,
} from '@bogholder/contracts';
import {
  Customer, CustomerInput, EconomicApiError, EconomicOutcomeUnknownError, EconomicRateLimitError, hasFieldError,
} from '@bogholder/economic-client';
import { currentCorrelationId, errorCode, Outbox } from '@bogholder/messaging';
import { EconomicClients, ROOT_LOGGER, RootLogger, ShopDirectory } from '@bogholder/service-kit';
import { ContactsService, EnsuredContact } from './contacts.service';
import {
  changedFields, countryName, CustomerKey, customerKeys, economicHas, economicValue, fieldsHash, OWNED_FIELD_NAMES, OwnedFields,
  ownedFields, replaceBody, sameCustomer, shopCustomerId, shopCustomerNumber, vatRegion,
} from './customer-fields';
import { CustomerLocks } from './customer-locks.service';
import { CustomerNumbering, NumberSequence } from './customer-numbering.service';
import { CustomerStore, FoundLink, Scope } from './customer-store.service';
import {
  ContactNameMissingError, CustomerCreationDisabledError, CustomerGroupMissingError, CustomerNumberInvalidError, CustomerNumberTakenError,
  EconomicRejectedError, EconomicUnavailableError, ShopNotConnectedError, toCustomerError,
} from './customers.errors';
import { CustomersMetrics, Decision } from './customers.metrics';
import { EnsureCustomerDto } from './dto/ensure-customer.dto';
import { LookupCustomerDto } from './dto/lookup-customer.dto';
import { EconomicCustomers, EconomicSession } from './economic-customers.service';

/** How the customer was resolved. */
interface Resolved {
  customerNumber: number;
  /** known: in our mapping; linked: found in e-conomic; created: created by us (this call or a lost answer). */
  origin: 'known' | 'linked' | 'created';
  updated: boolean;
  decision: Decision;
}

interface Session extends EconomicSession {
  scope: Scope;
}

/** Creating a customer tries at most this many numbers (numbers taken in between are skipped). */
const MAX_NUMBER_ATTEMPTS = 25;

/**
 * Finds or creates the e-conomic customer of an order, exactly once: our mapping first (no
 * e-conomic call for a returning customer), then e-conomic by e-mail and CVR (a customer that
 * already exists is linked, not duplicated), then a create under a per-customer lock with the
 * chosen number recorded before the POST, so a lost answer is resolved by reading that number.
 */
@Injectable()
export class CustomersService {
  private readonly log: RootLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly shops: ShopDirectory,
    private readonly clients: EconomicClients,
    private readonly outbox: Outbox,
    private readonly store: CustomerStore,
    private readonly locks: CustomerLocks,
    private readonly economic: EconomicCustomers,
    private readonly numbering: CustomerNumbering,
    private readonly contacts: ContactsService,
    private readonly metrics: CustomersMetrics,
    @Inject(ROOT_LOGGER) root: RootLogger,
  ) {
    this.log = root.child({ component: 'customers' });
  }

  // ---- rpc.customers.ensure ----------------------------------------------------------------------

  async ensure(req: EnsureCustomerDto): Promise<CustomersEnsureReply> {
    let session: Session | undefined;
    try {
      session = await this.openSession(req.shopId);
      const s = session;
      const { reply, decision } = await this.ensureIn(s, req);
      this.metrics.observe('ensure', decision, s.calls);
      this.log.info(
        { shopId: s.shopId, agreementNumber: s.agreementNumber, customerNumber: reply.customerNumber, contactNumber: reply.contactNumber, decision, economicCalls: s.calls },
        `customer ${reply.customerNumber}: ${decision}`,
      );
      return reply;
    } catch (err) {
      const typed = toCustomerError(err);
      this.metrics.observe('ensure', 'failed', session?.calls ?? 0);
      this.metrics.error(errorCode(typed));
      this.log.warn({ shopId: req.shopId, code: errorCode(typed), err: typed instanceof Error ? typed.message : String(typed), economicCalls: session?.calls ?? 0 }, 'ensure customer failed');
      throw typed;
    }
  }

  private async ensureIn(s: Session, req: EnsureCustomerDto): Promise<{ reply: CustomersEnsureReply; decision: Decision }> {
    const c = req.customer;
    const keys = customerKeys(c);
    const fields = ownedFields(c);
    const contactName = req.needContact ? requireContactName(c) : undefined;

    if (!req.verify) {
      const fast = await this.knownUnchanged(s, keys, fields, contactName, req.contactEInvoiceId);
      if (fast) return { reply: fast, decision: 'known' };
    }

    return await this.locks.withLocks(lockNames(s, keys), async (m) => {
      const resolved = await this.resolve(s, m, req, keys, fields);
      let contact: EnsuredContact | undefined;
      let contactError: unknown;
      if (contactName !== undefined) {
        try {
          contact = await this.contacts.ensure(s, m, s.scope, resolved.customerNumber, contactName, req.contactEInvoiceId);
        } catch (err) {
          contactError = err; // the customer is settled all the same: record it, then report the contact's problem
        }
      }
      await m.transaction(async (tx) => {
        await this.store.saveLinks(tx, s.scope, keys, resolved.customerNumber);
        await this.store.saveCustomer(tx, s.scope, resolved.customerNumber, resolved.origin === 'created' ? 'created' : 'linked', fields);
        for (const key of keys) await this.store.deletePending(tx, s.scope, key); // settled, whichever key the intent was recorded under
        if (contact) await this.store.saveContact(tx, s.scope, resolved.customerNumber, contact.nameKey, contact.name, contact.contactNumber, contact.eInvoiceId);
        if (resolved.origin === 'created') {
          const data: CustomerCreatedData = { shopCustomerId: shopCustomerId(c), customerNumber: resolved.customerNumber };
          if (contact) data.contactNumber = contact.contactNumber;
          const correlationId = req.correlationId || currentCorrelationId() || `customers-${randomUUID()}`;
          await this.outbox.add(
            tx,
            createEnvelope(Subjects.CustomerCreated, s.shopId, data, correlationId, { id: `customer.created:${s.shopId}:${s.agreementNumber}:${resolved.customerNumber}` }),
          );
        }
      });
      this.outbox.notify();
      if (contact?.created) this.log.info({ shopId: s.shopId, customerNumber: resolved.customerNumber, contactNumber: contact.contactNumber }, 'reference contact created');
      if (contactError !== undefined) throw contactError;
      const reply: CustomersEnsureReply = { customerNumber: resolved.customerNumber, created: resolved.origin === 'created' };
      if (contact) {
        reply.contactNumber = contact.contactNumber;
        reply.contactCreated = contact.created;
      }
      if (resolved.updated) reply.updated = true;
      return { reply, decision: resolved.decision };
    });
  }

  /** The common case: a returning customer whose fields (and contact) we already wrote. No lock, no e-conomic call. */
  private async knownUnchanged(s: Session, keys: CustomerKey[], fields: OwnedFields, contactName: string | undefined, eInvoiceId: string | undefined): Promise<CustomersEnsureReply | undefined> {
    const m = this.dataSource.manager;
    const link = await this.store.findLink(m, s.scope, keys);
    if (!link) return undefined;
    const row = await this.store.findCustomer(m, s.scope, link.customerNumber);
    if (!row || row.fieldsHash !== fieldsHash(fields)) return undefined;
    const reply: CustomersEnsureReply = { customerNumber: link.customerNumber, created: false };
    if (contactName !== undefined) {
      const contactNumber = await this.contacts.known(m, s.scope, link.customerNumber, contactName, eInvoiceId);
      if (contactNumber === undefined) return undefined;
      reply.contactNumber = contactNumber;
      reply.contactCreated = false;
    }
    if (link.unlinked.length) await this.store.saveLinks(m, s.scope, link.unlinked, link.customerNumber); // a new e-mail or CVR of a known customer
    return reply;
  }

  private async resolve(s: Session, m: EntityManager, req: EnsureCustomerDto, keys: CustomerKey[], fields: OwnedFields): Promise<Resolved> {
    const link: FoundLink | undefined = await this.store.findLink(m, s.scope, keys);
    if (link) {
      let existing: Customer | null | undefined;
      if (req.verify) existing = await this.economic.getCustomer(s, link.customerNumber);
      if (existing !== null) {
        const refreshed = await this.refresh(s, m, link.customerNumber, fields, existing);
        if (refreshed) return refreshed;
      }
      // The customer we knew was deleted in e-conomic: forget it and find or create it again.
      this.log.warn({ shopId: s.shopId, customerNumber: link.customerNumber }, 'customer no longer exists in e-conomic; finding or creating it again');
      await this.store.forgetCustomer(m, s.scope, link.customerNumber);
    }
    return await this.findOrCreate(s, m, req, keys, fields);
  }

  /**
   * A known customer: writes back the fields the shop changed since we last wrote them (GET + PUT
   * that keeps everything else). Fields a bookkeeper changed in e-conomic and the shop did not are
   * left alone. Undefined when the customer no longer exists in e-conomic.
   */
  private async refresh(s: Session, m: EntityManager, customerNumber: number, fields: OwnedFields, existing?: Customer): Promise<Resolved | undefined> {
    const known: Resolved = { customerNumber, origin: 'known', updated: false, decision: 'known' };
    const row = await this.store.findCustomer(m, s.scope, customerNumber);
    if (row && row.fieldsHash === fieldsHash(fields) && !existing) return known;
    const changed = row ? changedFields(row.snapshot, fields) : OWNED_FIELD_NAMES.filter((f) => fields[f] !== undefined);
    if (!changed.length) return known;
    const current = existing ?? (await this.economic.getCustomer(s, customerNumber));
    if (!current) return undefined;
    const changes: Partial<CustomerInput> = {};
    for (const f of changed) {
      // Without a record of what we wrote, only blanks are filled (the bookkeeper's values win).
      if (!row && typeof current[f] === 'string' && current[f] !== '') continue;
      if (!economicHas(current, f, fields)) changes[f] = economicValue(f, fields);
    }
    if (changes.country !== undefined && fields.country) {
      const before = row?.snapshot.country;
      const zone = s.settings.vatZones[vatRegion(fields.country)];
      if ((!before || vatRegion(before) !== vatRegion(fields.country)) && current.vatZone?.vatZoneNumber !== zone) changes.vatZone = { vatZoneNumber: zone };
    }
    if (!Object.keys(changes).length) return known;
    await this.economic.replace(s, customerNumber, replaceBody(current, changes));
    this.log.info({ shopId: s.shopId, customerNumber, fields: Object.keys(changes) }, `customer ${customerNumber} updated in e-conomic`);
    return { customerNumber, origin: 'known', updated: true, decision: 'updated' };
  }

  private async findOrCreate(s: Session, m: EntityManager, req: EnsureCustomerDto, keys: CustomerKey[], fields: OwnedFields): Promise<Resolved> {
    const c = req.customer;
    const primary = keys[0]!;

    // 1. A create whose answer was lost: that number is looked up before anything is created again.
    const pending = await this.store.findPending(m, s.scope, primary);
    if (pending !== undefined) {
      const existing = await this.economic.getCustomer(s, pending);
      if (existing && sameCustomer(existing, c)) {
        this.log.info({ shopId: s.shopId, customerNumber: pending }, `customer ${pending} was created by an earlier attempt whose answer was lost`);
        return { customerNumber: pending, origin: 'created', updated: false, decision: 'recovered' };
      }
      if (!existing && s.settings.createCustomers) return await this.create(s, m, c, primary, fields, req.currency, pending);
      await this.store.deletePending(m, s.scope, primary);
    }

    // 2. Already in e-conomic (made by hand, by another shop on the agreement, by an earlier system): link it.
    const found = (c.email ? await this.economic.findByEmail(s, c.email) : undefined) ?? (c.cvr ? await this.economic.findByCvr(s, c.cvr) : undefined);
    if (found) return await this.link(s, found, fields);

    // 3. Create it.
    if (!s.settings.createCustomers) {
      const by = [c.email && `e-mail ${c.email}`, c.cvr && `CVR ${c.cvr}`].filter(Boolean).join(' or ');
      throw new CustomerCreationDisabledError(
        `customer "${c.name}"${by ? ` (${by})` : ''} does not exist in e-conomic and createCustomers is off: ` +
          `create the customer in e-conomic${by ? ` with that ${by.includes('e-mail') ? 'e-mail address' : 'CVR'} so it is found` : ''}, or turn createCustomers on in the settings`,
      );
    }
    return await this.create(s, m, c, primary, fields, req.currency);
  }

  /** Links a customer found in e-conomic; fills in what it lacks (e.g. the EAN) but never overwrites the bookkeeper's values. */
  private async link(s: Session, existing: Customer, fields: OwnedFields): Promise<Resolved> {
    const changes: Partial<CustomerInput> = {};
    for (const f of OWNED_FIELD_NAMES) {
      const blank = typeof existing[f] !== 'string' || (existing[f] as string).trim() === '';
      if (blank && fields[f] !== undefined) changes[f] = economicValue(f, fields);
    }
    const n = existing.customerNumber;
    if (Object.keys(changes).length) await this.economic.replace(s, n, replaceBody(existing, changes));
    this.log.info({ shopId: s.shopId, customerNumber: n, filledIn: Object.keys(changes) }, `customer ${n} already exists in e-conomic: linked`);
    return { customerNumber: n, origin: 'linked', updated: Object.keys(changes).length > 0, decision: 'linked' };
  }

  private async create(s: Session, m: EntityManager, c: OrderCustomer, primary: CustomerKey, fields: OwnedFields, currency: string | undefined, preferred?: number): Promise<Resolved> {
    const settings = s.settings;
    const shopNumbering = settings.customerNumbering === 'shop';
    const shopNumber = shopNumbering ? shopCustomerNumber(c.number) : undefined;
    if (shopNumbering && shopNumber === undefined) throw new CustomerNumberInvalidError(c.number);
    await this.economic.ensureGroup(s, settings.customerGroupNumber);
    const body = this.createBody(c, fields, currency ?? 'DKK', await this.economic.paymentTerms(s), s);
    const sequence: NumberSequence | undefined = shopNumbering ? undefined : this.numbering.sequence(s, m, s.scope);
    let number = preferred ?? shopNumber ?? (await sequence!.next());

    for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
      await this.store.savePending(m, s.scope, primary, number); // committed before the POST
      let collision: Customer | null;
      try {
        const created = await this.economic.create(s, { ...body, customerNumber: number });
        this.log.info({ shopId: s.shopId, customerNumber: created.customerNumber, numbering: settings.customerNumbering }, `customer ${created.customerNumber} created in e-conomic`);
        return { customerNumber: created.customerNumber, origin: 'created', updated: false, decision: 'created' };
      } catch (err) {
        if (err instanceof EconomicOutcomeUnknownError) {
          // No answer: read the number before anything else (the pending row keeps it for the next attempt).
          const existing = await this.economic.getCustomer(s, number).catch((lookupErr: unknown) => {
            throw new EconomicUnavailableError(
              `creating customer ${number} in e-conomic got no answer (${err.reason}) and it could not be looked up; the next attempt looks it up before creating anything`,
              { cause: lookupErr },
            );
          });
          if (existing && sameCustomer(existing, c)) {
            this.log.info({ shopId: s.shopId, customerNumber: number }, `customer ${number} created in e-conomic (answer lost, found by number)`);
            return { customerNumber: number, origin: 'created', updated: false, decision: 'recovered' };
          }
          if (!existing) {
            throw new EconomicUnavailableError(`creating customer ${number} in e-conomic got no answer (${err.reason}) and it was not created; the next attempt creates it with the same number`, { cause: err });
          }
          collision = existing;
        } else if (hasFieldError(err, 'E06010')) {
          collision = await this.economic.getCustomer(s, number);
          if (collision && sameCustomer(collision, c)) {
            this.log.info({ shopId: s.shopId, customerNumber: number }, `customer ${number} already exists in e-conomic with the same customer: linked`);
            return { customerNumber: number, origin: 'linked', updated: false, decision: 'linked' };
          }
          if (!collision) continue; // deleted in the meantime: the number is free again
        } else if (err instanceof EconomicApiError && !(err instanceof EconomicRateLimitError) && err.status >= 400 && err.status < 500) {
          await this.store.deletePending(m, s.scope, primary); // refused: nothing was created
          if (err.fieldErrors.some((f) => f.path.startsWith('customerGroup'))) {
            this.economic.forgetGroup(s, settings.customerGroupNumber);
            throw new CustomerGroupMissingError(settings.customerGroupNumber);
          }
          throw err;
        } else {
          throw err;
        }
        // The number belongs to someone else.
        if (shopNumbering) {
          await this.store.deletePending(m, s.scope, primary);
          throw new CustomerNumberTakenError(number, { name: collision.name, email: collision.email });
        }
        this.log.info({ shopId: s.shopId, customerNumber: number }, `customer number ${number} was taken in e-conomic by another customer; trying the next`);
        number = await sequence!.next(number + 1);
      }
    }
    throw new EconomicRejectedError(`no free customer number found after ${MAX_NUMBER_ATTEMPTS} attempts; e-conomic keeps refusing the numbers chosen`);
  }

  private createBody(c: OrderCustomer, fields: OwnedFields, currency: string, paymentTermsNumber: number, s: Session): CustomerInput {
    const body: CustomerInput = {
      name: fields.name,
      currency: currency.toUpperCase(),
      customerGroup: { customerGroupNumber: s.settings.customerGroupNumber },
      paymentTerms: { paymentTermsNumber },
      vatZone: { vatZoneNumber: s.settings.vatZones[vatRegion(c.country)] },
    };
    if (fields.address) body.address = fields.address;
    if (fields.zip) body.zip = fields.zip;
    if (fields.city) body.city = fields.city;
    if (fields.country) body.country = countryName(fields.country);
    if (c.email?.trim()) body.email = c.email.trim();
    if (c.cvr?.trim()) body.corporateIdentificationNumber = c.cvr.trim();
    if (fields.ean) body.ean = fields.ean;
    return body;
  }

  // ---- rpc.customers.lookup ----------------------------------------------------------------------

  /** What ensure would use, read-only: our mapping, else e-conomic (GETs only). Nothing is written anywhere. */
  async lookup(req: LookupCustomerDto): Promise<CustomersLookupReply> {
    let session: Session | undefined;
    try {
      session = await this.openSession(req.shopId);
      const s = session;
      const c = req.customer;
      const m = this.dataSource.manager;
      const contactName = req.needContact ? requireContactName(c) : undefined;
      let customerNumber = (await this.store.findLink(m, s.scope, customerKeys(c)))?.customerNumber;
      if (customerNumber === undefined) {
        const found = (c.email ? await this.economic.findByEmail(s, c.email) : undefined) ?? (c.cvr ? await this.economic.findByCvr(s, c.cvr) : undefined);
        customerNumber = found?.customerNumber;
      }
      if (customerNumber === undefined && s.settings.customerNumbering === 'shop') {
        const n = shopCustomerNumber(c.number);
        if (n === undefined) throw new CustomerNumberInvalidError(c.number);
        const existing = await this.economic.getCustomer(s, n);
        if (existing && sameCustomer(existing, c)) customerNumber = n;
      }
      const reply: CustomersLookupReply = { customerNumber: customerNumber ?? null };
      if (contactName !== undefined) {
        let contactNumber: number | undefined;
        if (customerNumber !== undefined) {
          contactNumber = await this.contacts.known(m, s.scope, customerNumber, contactName, undefined);
          if (contactNumber === undefined) contactNumber = (await this.economic.findContactByName(s, customerNumber, contactName))?.customerContactNumber;
        }
        reply.contactNumber = contactNumber ?? null;
      }
      this.metrics.observe('lookup', customerNumber === undefined ? 'missing' : 'known', s.calls);
      return reply;
    } catch (err) {
      const typed = toCustomerError(err);
      this.metrics.error(errorCode(typed));
      throw typed;
    }
  }

  // ---- shared ------------------------------------------------------------------------------------

  private async openSession(shopId: string): Promise<Session> {
    const shop = await this.shops.get(shopId);
    if (!shop.connected || !shop.grantTokenEncrypted || shop.agreementNumber === null) throw new ShopNotConnectedError(shopId);
    return {
      shopId,
      agreementNumber: shop.agreementNumber,
      settings: shop.settings,
      client: this.clients.forEncryptedToken(shop.grantTokenEncrypted),
      calls: 0,
      scope: { shopId, agreementNumber: shop.agreementNumber },
    };
  }
}

function requireContactName(c: OrderCustomer): string {
  const name = c.eanContactName?.trim();
  if (!name) throw new ContactNameMissingError();
  return name;
}

/**
 * The advisory locks of a customer: e-mail and CVR per agreement (shops sharing an agreement would
 * otherwise both create the same person), the shop's own id and name keys per shop.
 */
function lockNames(s: Session, keys: CustomerKey[]): string[] {
  return keys.map((k) =>
    k.kind === 'email' || k.kind === 'cvr' ? `customers:${s.agreementNumber}:${k.kind}:${k.key}` : `customers:${s.agreementNumber}:${s.shopId}:${k.kind}:${k.key}`,
  );
}
