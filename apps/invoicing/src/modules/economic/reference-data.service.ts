import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EconomicClient, EconomicNotFoundError, filter } from '@bogholder/economic-client';
import { ParkError } from './invoicing-errors';

/** How long the agreement's first layout / payment terms and its accounting years are trusted. */
const FACT_TTL_MS = 60 * 60 * 1000;
/** Product numbers per filtered GET (`productNumber$eq:A$or:…`), to keep the URL short. */
const PRODUCTS_PER_LOOKUP = 40;

interface AccountingYear {
  year: string;
  fromDate: string;
  toDate: string;
}

/**
 * Reference data of an agreement that every transfer needs, cached (in memory and in this service's
 * tables) so that the steady state costs no e-conomic call: which products exist, the first layout
 * and payment terms, whether the agreement can send e-invoices, and its accounting years.
 */
@Injectable()
export class ReferenceDataService {
  private readonly products = new Map<number, Set<string>>();
  private readonly facts = new Map<string, { value: unknown; fetchedAt: number }>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly dataSource: DataSource) {}

  /** The SKUs (product numbers) that do not exist in the agreement; known ones cost nothing. */
  async missingProducts(agreementNumber: number, client: EconomicClient, productNumbers: string[], signal?: AbortSignal): Promise<string[]> {
    const wanted = [...new Map(productNumbers.map((p) => [p.toLowerCase(), p])).entries()];
    let known = this.products.get(agreementNumber);
    if (!known) {
      known = new Set<string>();
      this.products.set(agreementNumber, known);
    }
    let unknown = wanted.filter(([key]) => !known.has(key));
    if (!unknown.length) return [];
    const rows: { product_key: string }[] = await this.dataSource.query(
      `SELECT product_key FROM economic_products WHERE agreement_number = $1 AND product_key = ANY($2::text[])`,
      [agreementNumber, unknown.map(([key]) => key)],
    );
    for (const r of rows) known.add(r.product_key);
    unknown = unknown.filter(([key]) => !known.has(key));
    if (!unknown.length) return [];

    const found: string[] = [];
    for (let i = 0; i < unknown.length; i += PRODUCTS_PER_LOOKUP) {
      const chunk = unknown.slice(i, i + PRODUCTS_PER_LOOKUP).map(([, number]) => number);
      const f = filter.or(...chunk.map((n) => filter.eq('productNumber', n)));
      const items = await client.products.list({ filter: f, pageSize: Math.min(1000, chunk.length * 2), signal }).toArray();
      found.push(...items.map((p) => p.productNumber));
    }
    if (found.length) {
      const keys = found.map((p) => p.toLowerCase());
      await this.dataSource.query(
        `INSERT INTO economic_products (agreement_number, product_key, product_number)
         SELECT $1, k, n FROM unnest($2::text[], $3::text[]) AS t(k, n)
         ON CONFLICT (agreement_number, product_key) DO UPDATE SET checked_at = now()`,
        [agreementNumber, keys, found],
      );
      for (const k of keys) known.add(k);
    }
    return unknown.filter(([key]) => !known.has(key)).map(([, number]) => number);
  }

  /** Forget a product (e-conomic said it does not exist, or its product webhook fired). */
  async forgetProduct(agreementNumber: number, productNumber: string): Promise<void> {
    const key = productNumber.toLowerCase();
    this.products.get(agreementNumber)?.delete(key);
    await this.dataSource.query(`DELETE FROM economic_products WHERE agreement_number = $1 AND product_key = $2`, [agreementNumber, key]);
  }

  /** The layout to use: the setting, else the agreement's first layout. */
  async layoutNumber(agreementNumber: number, client: EconomicClient, configured: number | null, signal?: AbortSignal): Promise<number> {
    if (configured !== null) return configured;
    return await this.fact(agreementNumber, 'firstLayout', async () => {
      const page = await client.layouts.list({ pageSize: 1, signal }).page();
      const first = page.items[0];
      if (!first) throw new ParkError('layout_missing', 'the e-conomic agreement has no invoice layout: create one in e-conomic (Settings → Layouts) or set layoutNumber in the settings, then retry');
      return first.layoutNumber;
    });
  }

  /** The payment terms to use: the setting, else the agreement's first payment terms. */
  async paymentTermsNumber(agreementNumber: number, client: EconomicClient, configured: number | null, signal?: AbortSignal): Promise<number> {
    if (configured !== null) return configured;
    return await this.fact(agreementNumber, 'firstPaymentTerms', async () => {
      const page = await client.paymentTerms.list({ pageSize: 1, signal }).page();
      const first = page.items[0];
      if (!first) throw new ParkError('payment_terms_missing', 'the e-conomic agreement has no payment terms: create them in e-conomic (Settings → Payment terms) or set paymentTermsNumber in the settings, then retry');
      return first.paymentTermsNumber;
    });
  }

  /** Whether the agreement can send e-invoices (`/self`); only a yes is cached, so a fixed set-up is seen on retry. */
  async canSendElectronicInvoice(agreementNumber: number, client: EconomicClient, signal?: AbortSignal): Promise<boolean> {
    const cached = this.cached(agreementNumber, 'canSendElectronicInvoice', Number.POSITIVE_INFINITY);
    if (cached === true) return true;
    const self = await client.self.get({ signal });
    const can = self.canSendElectronicInvoice === true;
    if (can) await this.store(agreementNumber, 'canSendElectronicInvoice', true);
    return can;
  }

  /** The accounting year (`"2026"`, or `"2025/2026"` for a broken fiscal year) that holds `date`. */
  async accountingYear(agreementNumber: number, client: EconomicClient, date: string, signal?: AbortSignal): Promise<string> {
    const years = await this.fact<AccountingYear[]>(agreementNumber, 'accountingYears', async () => {
      try {
        const body = await client.request<{ collection?: AccountingYear[] }>('GET', '/accounting-years', { query: { pagesize: 1000 }, signal });
        return (body?.collection ?? []).map((y) => ({ year: String(y.year), fromDate: y.fromDate, toDate: y.toDate }));
      } catch (err) {
        if (err instanceof EconomicNotFoundError) return [];
        throw err;
      }
    });
    const match = years.find((y) => y.fromDate <= date && date <= y.toDate);
    return match?.year ?? date.slice(0, 4);
  }

  /** Drop a cached fact (e-conomic refused the value it gave). */
  async invalidate(agreementNumber: number, fact: 'firstLayout' | 'firstPaymentTerms' | 'accountingYears'): Promise<void> {
    this.facts.delete(`${agreementNumber}:${fact}`);
    await this.dataSource.query(`DELETE FROM economic_agreement_facts WHERE agreement_number = $1 AND fact = $2`, [agreementNumber, fact]);
  }

  private cached(agreementNumber: number, fact: string, ttlMs: number): unknown {
    const hit = this.facts.get(`${agreementNumber}:${fact}`);
    return hit && Date.now() - hit.fetchedAt < ttlMs ? hit.value : undefined;
  }

  private async store(agreementNumber: number, fact: string, value: unknown): Promise<void> {
    this.facts.set(`${agreementNumber}:${fact}`, { value, fetchedAt: Date.now() });
    await this.dataSource.query(
      `INSERT INTO economic_agreement_facts (agreement_number, fact, value, fetched_at) VALUES ($1, $2, $3::jsonb, now())
       ON CONFLICT (agreement_number, fact) DO UPDATE SET value = EXCLUDED.value, fetched_at = now()`,
      [agreementNumber, fact, JSON.stringify(value)],
    );
  }

  /** A fact from memory, else this service's table, else e-conomic (one fetch at a time per agreement and fact). */
  private async fact<T>(agreementNumber: number, fact: string, fetch: () => Promise<T>): Promise<T> {
    const key = `${agreementNumber}:${fact}`;
    const hit = this.cached(agreementNumber, fact, FACT_TTL_MS);
    if (hit !== undefined) return hit as T;
    let pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = (async () => {
        const rows: { value: T; fetched_at: Date }[] = await this.dataSource.query(
          `SELECT value, fetched_at FROM economic_agreement_facts WHERE agreement_number = $1 AND fact = $2`,
          [agreementNumber, fact],
        );
        const row = rows[0];
        if (row && Date.now() - new Date(row.fetched_at).getTime() < FACT_TTL_MS) {
          this.facts.set(key, { value: row.value, fetchedAt: new Date(row.fetched_at).getTime() });
          return row.value;
        }
        const value = await fetch();
        await this.store(agreementNumber, fact, value);
        return value;
      })().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return await pending;
  }
}
