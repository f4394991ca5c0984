import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customers service's own tables. Everything is scoped by (shop, agreement): a shop that is
 * reconnected to another e-conomic agreement starts with a clean mapping instead of reusing numbers
 * that mean someone else there.
 */
export class CustomersTables1767000001000 implements MigrationInterface {
  name = 'CustomersTables1767000001000';

  async up(q: QueryRunner): Promise<void> {
    // How a shop's customer is recognised: its id, else e-mail, else CVR (name+address when it has none).
    await q.query(`CREATE TABLE customer_links (
      shop_id text NOT NULL,
      agreement_number int NOT NULL,
      kind text NOT NULL CHECK (kind IN ('id', 'email', 'cvr', 'name')),
      key text NOT NULL,
      customer_number int NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, agreement_number, kind, key)
    )`);
    await q.query(`CREATE INDEX customer_links_number ON customer_links (shop_id, agreement_number, customer_number)`);
    // What we last wrote (or saw) for each customer, so an unchanged returning customer costs no call.
    await q.query(`CREATE TABLE customers (
      shop_id text NOT NULL,
      agreement_number int NOT NULL,
      customer_number int NOT NULL,
      origin text NOT NULL CHECK (origin IN ('created', 'linked')),
      fields_hash text NOT NULL,
      snapshot jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, agreement_number, customer_number)
    )`);
    await q.query(`CREATE TABLE customer_contacts (
      shop_id text NOT NULL,
      agreement_number int NOT NULL,
      customer_number int NOT NULL,
      name_key text NOT NULL,
      name text NOT NULL,
      contact_number int NOT NULL,
      e_invoice_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, agreement_number, customer_number, name_key)
    )`);
    // customerNumbering "sequence": the next number to try (numbers taken in e-conomic are skipped).
    await q.query(`CREATE TABLE number_sequences (
      shop_id text NOT NULL,
      agreement_number int NOT NULL,
      start_number bigint NOT NULL,
      next_number bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, agreement_number)
    )`);
    // The intent, recorded before every POST /customers: a lost answer is resolved by reading this number.
    await q.query(`CREATE TABLE pending_creations (
      shop_id text NOT NULL,
      agreement_number int NOT NULL,
      key_kind text NOT NULL,
      key text NOT NULL,
      customer_number int NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, agreement_number, key_kind, key)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pending_creations`);
    await q.query(`DROP TABLE number_sequences`);
    await q.query(`DROP TABLE customer_contacts`);
    await q.query(`DROP TABLE customers`);
    await q.query(`DROP TABLE customer_links`);
  }
}
