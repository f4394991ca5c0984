import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table of the inventory service (in its own schema, through search_path). */
export class InventoryTables1767100000000 implements MigrationInterface {
  name = 'InventoryTables1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE shop_profiles (
      shop_id text PRIMARY KEY,
      name text NOT NULL,
      callback_url text,
      webhook_secret_encrypted text NOT NULL,
      changed_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE sync_state (
      shop_id text PRIMARY KEY,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ok', 'no-inventory-module', 'error')),
      message text,
      last_reconciled_at timestamptz,
      last_attempt_at timestamptz,
      next_run_at timestamptz,
      consecutive_failures int NOT NULL DEFAULT 0,
      products_read int,
      changes_sent int,
      effective_interval_seconds int,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE stock (
      shop_id text NOT NULL,
      sku text NOT NULL,
      economic_available numeric NOT NULL,
      last_sent_available numeric,
      last_sent_at timestamptz,
      last_read_at timestamptz NOT NULL,
      PRIMARY KEY (shop_id, sku)
    )`);
    await q.query(`CREATE INDEX stock_shop_sku_ci ON stock (shop_id, lower(sku))`);
    await q.query(`CREATE TABLE shop_skus (
      shop_id text NOT NULL,
      sku text NOT NULL,
      shop_quantity numeric,
      source text NOT NULL CHECK (source IN ('order', 'snapshot')),
      seen_at timestamptz NOT NULL,
      quantity_at timestamptz,
      economic_exists boolean,
      checked_at timestamptz,
      PRIMARY KEY (shop_id, sku)
    )`);
    await q.query(`CREATE INDEX shop_skus_shop_sku_ci ON shop_skus (shop_id, lower(sku))`);
    await q.query(`CREATE TABLE mismatches (
      shop_id text NOT NULL,
      sku text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('missing-in-economic', 'stock-differs')),
      shop_quantity numeric,
      economic_quantity numeric,
      detected_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      PRIMARY KEY (shop_id, sku, kind)
    )`);
    await q.query(`CREATE INDEX mismatches_open ON mismatches (shop_id, sku) WHERE resolved_at IS NULL`);
    await q.query(`CREATE TABLE product_refresh (
      shop_id text NOT NULL,
      sku text NOT NULL,
      due_at timestamptz NOT NULL,
      leased_until timestamptz,
      version int NOT NULL DEFAULT 1,
      attempts int NOT NULL DEFAULT 0,
      correlation_id text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, sku)
    )`);
    await q.query(`CREATE INDEX product_refresh_due ON product_refresh (due_at)`);
    await q.query(`CREATE TABLE deliveries (
      id text PRIMARY KEY,
      seq bigserial NOT NULL UNIQUE,
      shop_id text NOT NULL,
      sku text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts int NOT NULL DEFAULT 0,
      round_attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_error text,
      last_status_code int,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_pending_per_sku ON deliveries (shop_id, sku, seq) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_shop_created ON deliveries (shop_id, created_at DESC, seq DESC)`);
    await q.query(`CREATE TABLE delivery_attempts (
      delivery_id text NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
      attempt int NOT NULL,
      attempted_at timestamptz NOT NULL,
      url text,
      status_code int,
      error text,
      duration_ms int NOT NULL,
      PRIMARY KEY (delivery_id, attempt)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['delivery_attempts', 'deliveries', 'product_refresh', 'mismatches', 'shop_skus', 'stock', 'sync_state', 'shop_profiles']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
