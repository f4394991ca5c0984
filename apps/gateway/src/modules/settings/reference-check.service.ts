import { Injectable } from '@nestjs/common';
import { FieldError, Settings } from '@bogholder/contracts';
import {
  Account, CustomerGroup, EconomicAuthError, EconomicClient, EconomicNotFoundError, Journal, Layout, PaymentTerms, Product, VatZone,
} from '@bogholder/economic-client';
import { HttpProblem } from '@bogholder/service-kit';
import { economicUnavailable, EconomicConnectionService } from '../economic-connection/economic-connection.service';

/** How long reference lists of an agreement are reused (a number missing from a cached list is always looked up again). */
const CACHE_MS = 60_000;

interface Lists {
  customerGroups: CustomerGroup[];
  layouts: Layout[];
  paymentTerms: PaymentTerms[];
  journals: Journal[];
  accounts: Account[];
  vatZones: VatZone[];
}
type ListKind = keyof Lists;

interface Cached<T> {
  at: number;
  items: T;
}

const choices = <T>(items: T[], num: (i: T) => number | string, name: (i: T) => string, max = 6) =>
  items.slice(0, max).map((i) => `${num(i)} (${name(i)})`).join(', ') + (items.length > max ? ', …' : '');

/**
 * Checks that every number a shop's settings refer to exists in its e-conomic agreement, and says
 * for each missing one where to create it (e-conomic's menus) or which existing one to use.
 */
@Injectable()
export class ReferenceCheckService {
  private readonly cache = new Map<string, Cached<unknown>>();

  constructor(private readonly connections: EconomicConnectionService) {}

  /** The problems found (empty when all is well or the shop is not connected). */
  async check(shopId: string, s: Settings): Promise<FieldError[]> {
    const connected = await this.connections.connectedClient(shopId);
    if (!connected) return [];
    const { client, agreementNumber, grantTokenEncrypted } = connected;
    const ctx = { client, agreementNumber };
    try {
      const checks: Promise<FieldError[]>[] = [];
      // Only what the settings put to use: the customer group when customers are created, the
      // journal and contra account when payments are posted, total-line products for "total".
      if (s.createCustomers) checks.push(this.customerGroup(ctx, s.customerGroupNumber));
      if (s.layoutNumber !== null) checks.push(this.layout(ctx, s.layoutNumber));
      if (s.paymentTermsNumber !== null) checks.push(this.paymentTerms(ctx, s.paymentTermsNumber));
      if (s.postPayments && s.paymentJournalNumber !== null) checks.push(this.journal(ctx, s.paymentJournalNumber));
      if (s.postPayments && s.postingAccountNumber !== null) checks.push(this.postingAccount(ctx, s.postingAccountNumber));
      if (s.shippingProductNumber !== null) checks.push(this.product(ctx, 'shippingProductNumber', s.shippingProductNumber, 'the shipping line'));
      if (s.productLayout === 'total' && s.totalLineProducts) {
        for (const [rate, product] of Object.entries(s.totalLineProducts)) {
          checks.push(this.product(ctx, `totalLineProducts["${rate}"]`, product, `the total line for ${rate}% VAT (its product group must give ${rate}% VAT)`));
        }
      }
      checks.push(this.vatZones(ctx, s.vatZones));
      return (await Promise.all(checks)).flat();
    } catch (err) {
      if (err instanceof EconomicAuthError) {
        await this.connections.markRevoked(shopId, grantTokenEncrypted);
        const message = 'e-conomic refused the shop\'s grant token (401) while checking the settings: access was revoked in e-conomic';
        throw new HttpProblem(422, `${message}. Nothing was saved. Connect the shop again (GET /api/shops/${shopId}/economic/connect), or disconnect it to save settings without checks.`, [{ field: '(connection)', message }], 'economic_grant_revoked');
      }
      if (err instanceof HttpProblem) throw err;
      throw economicUnavailable(err);
    }
  }

  private async customerGroup(ctx: Ctx, n: number): Promise<FieldError[]> {
    const { found, items } = await this.find(ctx, 'customerGroups', (g) => g.customerGroupNumber === n);
    if (found) return [];
    const account = items[0]?.account?.accountNumber ?? 5600;
    const use = items.length ? `, or use an existing group: ${choices(items, (g) => g.customerGroupNumber, (g) => g.name ?? '')}` : '';
    return [{ field: 'customerGroupNumber', message: `customer group ${n} does not exist in e-conomic: create it under Sales → Customers → Customer groups with account ${account}${use}` }];
  }

  private async layout(ctx: Ctx, n: number): Promise<FieldError[]> {
    const { found, items } = await this.find(ctx, 'layouts', (l) => l.layoutNumber === n);
    if (found && !found.deleted) return [];
    const alive = items.filter((l) => !l.deleted);
    const why = found ? `layout ${n} is deleted in e-conomic` : `layout ${n} does not exist in e-conomic`;
    return [{ field: 'layoutNumber', message: `${why}: use one of ${choices(alive, (l) => l.layoutNumber, (l) => l.name)} (Settings → Layouts in e-conomic), or null for the agreement's first layout` }];
  }

  private async paymentTerms(ctx: Ctx, n: number): Promise<FieldError[]> {
    const { found, items } = await this.find(ctx, 'paymentTerms', (t) => t.paymentTermsNumber === n);
    if (found) return [];
    return [{ field: 'paymentTermsNumber', message: `payment terms ${n} do not exist in e-conomic: create them under Sales → Settings → Payment terms, or use one of ${choices(items, (t) => t.paymentTermsNumber, (t) => t.name)}, or null for the agreement's first` }];
  }

  private async journal(ctx: Ctx, n: number): Promise<FieldError[]> {
    const { found, items } = await this.find(ctx, 'journals', (j) => j.journalNumber === n);
    if (found) {
      const only = found.settings?.entryTypeRestrictedTo;
      if (only && only !== 'customerPayment') {
        return [{ field: 'paymentJournalNumber', message: `journal ${n} (${found.name}) only takes ${only} entries, so payment vouchers cannot go there: use a journal for customer payments, e.g. ${choices(items.filter((j) => !j.settings?.entryTypeRestrictedTo || j.settings.entryTypeRestrictedTo === 'customerPayment'), (j) => j.journalNumber, (j) => j.name)}` }];
      }
      return [];
    }
    const payments = items.filter((j) => j.settings?.entryTypeRestrictedTo === 'customerPayment');
    const suggestion = (payments.length ? payments : items.filter((j) => !j.settings?.entryTypeRestrictedTo));
    return [{ field: 'paymentJournalNumber', message: `journal ${n} does not exist in e-conomic: create it under Accounting → Journals or use ${choices(suggestion, (j) => j.journalNumber, (j) => j.name)}` }];
  }

  private async postingAccount(ctx: Ctx, n: number): Promise<FieldError[]> {
    const { found, items } = await this.find(ctx, 'accounts', (a) => a.accountNumber === n);
    const suspense = items.filter((a) => /mellemregning|suspense|webshop|clearing/i.test(a.name) && !a.barred);
    const hint = suspense.length ? ` e.g. ${choices(suspense, (a) => a.accountNumber, (a) => a.name)}` : '';
    if (!found) {
      return [{ field: 'postingAccountNumber', message: `account ${n} does not exist in e-conomic: create a balance-sheet suspense account such as "Webshop mellemregning" under Accounting → Chart of accounts, or use an existing one${hint}` }];
    }
    if (found.accountType !== 'status' && found.accountType !== 'profitAndLoss') {
      return [{ field: 'postingAccountNumber', message: `account ${n} (${found.name}) is a ${found.accountType} account, which cannot be posted to: pick an account you can post to${hint}` }];
    }
    if (found.barred || found.blockDirectEntries) {
      return [{ field: 'postingAccountNumber', message: `account ${n} (${found.name}) ${found.barred ? 'is barred' : 'blocks direct entries'} in e-conomic: change that under Accounting → Chart of accounts, or pick another account${hint}` }];
    }
    return [];
  }

  private async product(ctx: Ctx, field: string, productNumber: string, usedFor: string): Promise<FieldError[]> {
    const key = `${ctx.agreementNumber}:product:${productNumber.toLowerCase()}`;
    const cached = this.cache.get(key) as Cached<Product> | undefined;
    let product = cached && Date.now() - cached.at < CACHE_MS ? cached.items : undefined;
    if (!product) {
      try {
        product = await ctx.client.products.get(productNumber, { maxRetries: 1, timeoutMs: 10_000 });
        this.remember(key, product);
      } catch (err) {
        if (!(err instanceof EconomicNotFoundError)) throw err;
        return [{ field, message: `product ${productNumber} does not exist in e-conomic: create it under Sales → Products (product number ${productNumber}) for ${usedFor}, or name an existing product` }];
      }
    }
    if (product.barred) return [{ field, message: `product ${productNumber} is barred in e-conomic, so invoices with it cannot be booked: unbar it under Sales → Products, or name another product` }];
    return [];
  }

  private async vatZones(ctx: Ctx, zones: Settings['vatZones']): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    for (const region of ['domestic', 'eu', 'abroad'] as const) {
      const n = zones[region];
      const { found, items } = await this.find(ctx, 'vatZones', (z) => z.vatZoneNumber === n);
      if (!found) {
        errors.push({ field: `vatZones.${region}`, message: `VAT zone ${n} does not exist in e-conomic (VAT zones cannot be created): use one of ${choices(items, (z) => z.vatZoneNumber, (z) => z.name, 10)}` });
      }
    }
    return errors;
  }

  private remember(key: string, items: unknown): void {
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { at: Date.now(), items });
  }

  /** Looks an item up in the agreement's cached list; a miss re-reads the list once (it may have just been created). */
  private async find<K extends ListKind>(ctx: Ctx, kind: K, match: (item: Lists[K][number]) => boolean): Promise<{ found: Lists[K][number] | undefined; items: Lists[K] }> {
    let { items, fresh } = await this.list(ctx, kind, false);
    let found = items.find(match as (i: unknown) => boolean) as Lists[K][number] | undefined;
    if (!found && !fresh) {
      items = (await this.list(ctx, kind, true)).items;
      found = items.find(match as (i: unknown) => boolean) as Lists[K][number] | undefined;
    }
    return { found, items };
  }

  private async list<K extends ListKind>(ctx: Ctx, kind: K, reload: boolean): Promise<{ items: Lists[K]; fresh: boolean }> {
    const key = `${ctx.agreementNumber}:${kind}`;
    const cached = this.cache.get(key) as Cached<Promise<Lists[K]>> | undefined;
    if (cached && !reload && Date.now() - cached.at < CACHE_MS) return { items: await cached.items, fresh: false };
    const loading = (ctx.client[kind].list() as unknown as { toArray(): Promise<Lists[K]> }).toArray();
    this.remember(key, loading);
    try {
      return { items: await loading, fresh: true };
    } catch (err) {
      this.cache.delete(key);
      throw err;
    }
  }
}

interface Ctx {
  client: EconomicClient;
  agreementNumber: number;
}
