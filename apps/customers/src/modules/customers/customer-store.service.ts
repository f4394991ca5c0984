import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CustomerKey, OwnedFields } from './customer-fields';
import { fieldsHash } from './customer-fields';
import { CustomerContactEntity, CustomerEntity } from './entities';

/** Whose mapping we are reading: a shop inside one e-conomic agreement. */
export interface Scope {
  shopId: string;
  agreementNumber: number;
}

export interface FoundLink {
  customerNumber: number;
  kind: CustomerKey['kind'];
  /** The customer's keys that have no link yet (e.g. a new e-mail address). */
  unlinked: CustomerKey[];
}

/**
 * The service's tables. Every method takes the EntityManager to run on, so work done while holding
 * a customer lock stays on the lock's own connection.
 */
@Injectable()
export class CustomerStore {
  /** The link of the strongest key that has one (id before e-mail before CVR). */
  async findLink(m: EntityManager, scope: Scope, keys: CustomerKey[]): Promise<FoundLink | undefined> {
    const rows: { kind: CustomerKey['kind']; key: string; customer_number: number }[] = await m.query(
      `SELECT kind, key, customer_number FROM customer_links
        WHERE shop_id = $1 AND agreement_number = $2 AND kind = ANY($3::text[]) AND key = ANY($4::text[])`,
      [scope.shopId, scope.agreementNumber, keys.map((k) => k.kind), keys.map((k) => k.key)],
    );
    const linked = (k: CustomerKey) => rows.find((r) => r.kind === k.kind && r.key === k.key);
    for (const k of keys) {
      const row = linked(k);
      if (row) return { customerNumber: row.customer_number, kind: k.kind, unlinked: keys.filter((other) => !linked(other)) };
    }
    return undefined;
  }

  /** Links every key to the number; a key already linked (to this or another customer) keeps its link. */
  async saveLinks(m: EntityManager, scope: Scope, keys: CustomerKey[], customerNumber: number): Promise<void> {
    for (const k of keys) {
      await m.query(
        `INSERT INTO customer_links (shop_id, agreement_number, kind, key, customer_number) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (shop_id, agreement_number, kind, key) DO NOTHING`,
        [scope.shopId, scope.agreementNumber, k.kind, k.key, customerNumber],
      );
    }
  }

  /** Forgets a customer that no longer exists in e-conomic (links, fields, contacts). */
  async forgetCustomer(m: EntityManager, scope: Scope, customerNumber: number): Promise<void> {
    const params = [scope.shopId, scope.agreementNumber, customerNumber];
    await m.query(`DELETE FROM customer_links WHERE shop_id = $1 AND agreement_number = $2 AND customer_number = $3`, params);
    await m.query(`DELETE FROM customer_contacts WHERE shop_id = $1 AND agreement_number = $2 AND customer_number = $3`, params);
    await m.query(`DELETE FROM customers WHERE shop_id = $1 AND agreement_number = $2 AND customer_number = $3`, params);
  }

  async findCustomer(m: EntityManager, scope: Scope, customerNumber: number): Promise<CustomerEntity | null> {
    return await m.findOne(CustomerEntity, { where: { shopId: scope.shopId, agreementNumber: scope.agreementNumber, customerNumber } });
  }

  /** Records the shop's fields as last written or seen; the origin of a known customer never changes. */
  async saveCustomer(m: EntityManager, scope: Scope, customerNumber: number, origin: 'created' | 'linked', fields: OwnedFields): Promise<void> {
    await m.query(
      `INSERT INTO customers (shop_id, agreement_number, customer_number, origin, fields_hash, snapshot) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (shop_id, agreement_number, customer_number)
       DO UPDATE SET fields_hash = EXCLUDED.fields_hash, snapshot = EXCLUDED.snapshot, updated_at = now()`,
      [scope.shopId, scope.agreementNumber, customerNumber, origin, fieldsHash(fields), JSON.stringify(fields)],
    );
  }

  async findContact(m: EntityManager, scope: Scope, customerNumber: number, nameKey: string): Promise<CustomerContactEntity | null> {
    return await m.findOne(CustomerContactEntity, { where: { shopId: scope.shopId, agreementNumber: scope.agreementNumber, customerNumber, nameKey } });
  }

  async saveContact(m: EntityManager, scope: Scope, customerNumber: number, nameKey: string, name: string, contactNumber: number, eInvoiceId: string | null): Promise<void> {
    await m.query(
      `INSERT INTO customer_contacts (shop_id, agreement_number, customer_number, name_key, name, contact_number, e_invoice_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (shop_id, agreement_number, customer_number, name_key)
       DO UPDATE SET name = EXCLUDED.name, contact_number = EXCLUDED.contact_number, e_invoice_id = EXCLUDED.e_invoice_id, updated_at = now()`,
      [scope.shopId, scope.agreementNumber, customerNumber, nameKey, name, contactNumber, eInvoiceId],
    );
  }

  async deleteContact(m: EntityManager, scope: Scope, customerNumber: number, nameKey: string): Promise<void> {
    await m.query(
      `DELETE FROM customer_contacts WHERE shop_id = $1 AND agreement_number = $2 AND customer_number = $3 AND name_key = $4`,
      [scope.shopId, scope.agreementNumber, customerNumber, nameKey],
    );
  }

  async findPending(m: EntityManager, scope: Scope, key: CustomerKey): Promise<number | undefined> {
    const rows: { customer_number: number }[] = await m.query(
      `SELECT customer_number FROM pending_creations WHERE shop_id = $1 AND agreement_number = $2 AND key_kind = $3 AND key = $4`,
      [scope.shopId, scope.agreementNumber, key.kind, key.key],
    );
    return rows[0]?.customer_number;
  }

  /** Must be committed before the POST it announces (call it outside a transaction). */
  async savePending(m: EntityManager, scope: Scope, key: CustomerKey, customerNumber: number): Promise<void> {
    await m.query(
      `INSERT INTO pending_creations (shop_id, agreement_number, key_kind, key, customer_number) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (shop_id, agreement_number, key_kind, key) DO UPDATE SET customer_number = EXCLUDED.customer_number, created_at = now()`,
      [scope.shopId, scope.agreementNumber, key.kind, key.key, customerNumber],
    );
  }

  async deletePending(m: EntityManager, scope: Scope, key: CustomerKey): Promise<void> {
    await m.query(
      `DELETE FROM pending_creations WHERE shop_id = $1 AND agreement_number = $2 AND key_kind = $3 AND key = $4`,
      [scope.shopId, scope.agreementNumber, key.kind, key.key],
    );
  }

  /**
   * Hands out the next number of the shop's sequence that is at least `floor` and moves the cursor
   * past it, atomically (replicas and concurrent requests never get the same number). A changed
   * `customerNumberStart` restarts the sequence there.
   */
  async reserveNumber(m: EntityManager, scope: Scope, start: number, floor: number): Promise<number> {
    await m.query(
      `INSERT INTO number_sequences (shop_id, agreement_number, start_number, next_number) VALUES ($1, $2, $3, $3)
       ON CONFLICT (shop_id, agreement_number) DO UPDATE SET start_number = EXCLUDED.start_number, next_number = EXCLUDED.start_number, updated_at = now()
       WHERE number_sequences.start_number <> EXCLUDED.start_number`,
      [scope.shopId, scope.agreementNumber, start],
    );
    // (a SELECT around the UPDATE, so the driver answers rows rather than [rows, count])
    const rows: { reserved: string }[] = await m.query(
      `WITH reserved AS (
         UPDATE number_sequences SET next_number = GREATEST(next_number, $3) + 1, updated_at = now()
          WHERE shop_id = $1 AND agreement_number = $2 RETURNING next_number - 1 AS reserved)
       SELECT reserved FROM reserved`,
      [scope.shopId, scope.agreementNumber, floor],
    );
    return Number(rows[0]!.reserved);
  }
}
