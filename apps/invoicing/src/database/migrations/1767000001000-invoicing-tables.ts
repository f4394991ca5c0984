import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transfer log (one row per order), its credit notes and payments, the work queue and the
 * per-agreement cache of e-conomic reference data. Tables live in the service's schema (search_path).
 */
export class InvoicingTables1767000001000 implements MigrationInterface {
  name = 'InvoicingTables1767000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE transfers (
      shop_id text NOT NULL,
      order_id text NOT NULL,
      order_number int,
      order_data jsonb,
      order_occurred_at timestamptz,
      order_version int NOT NULL DEFAULT 0,
      paid boolean NOT NULL DEFAULT false,
      shipped boolean NOT NULL DEFAULT false,
      status text NOT NULL,
      correlation_id text NOT NULL,
      customer_number int,
      contact_number int,
      draft_invoice_number int,
      draft_order_version int,
      draft_revision int NOT NULL DEFAULT 0,
      booked_invoice_number int,
      net_amount numeric(16,2),
      vat_amount numeric(16,2),
      gross_amount numeric(16,2),
      currency text,
      invoice_date date,
      sent_by_ean boolean NOT NULL DEFAULT false,
      intent text,
      intent_at timestamptz,
      attempts int NOT NULL DEFAULT 0,
      economic_calls int NOT NULL DEFAULT 0,
      last_error_code text,
      last_error_message text,
      next_attempt_at timestamptz,
      first_failed_at timestamptz,
      failure_seq int NOT NULL DEFAULT 0,
      booked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, order_id)
    )`);
    // The transfer log is read newest first, optionally by status: both stay index-only scans at 100k+ rows.
    await q.query(`CREATE INDEX transfers_shop_updated ON transfers (shop_id, updated_at DESC, order_id DESC)`);
    await q.query(`CREATE INDEX transfers_shop_status_updated ON transfers (shop_id, status, updated_at DESC, order_id DESC)`);
    await q.query(`CREATE INDEX transfers_shop_booked ON transfers (shop_id, booked_invoice_number) WHERE booked_invoice_number IS NOT NULL`);

    await q.query(`CREATE TABLE credit_notes (
      shop_id text NOT NULL,
      order_id text NOT NULL,
      refund_id text NOT NULL,
      lines jsonb NOT NULL,
      refunded_at timestamptz NOT NULL,
      status text NOT NULL,
      correlation_id text NOT NULL,
      draft_invoice_number int,
      booked_invoice_number int,
      net_amount numeric(16,2),
      vat_amount numeric(16,2),
      gross_amount numeric(16,2),
      currency text,
      intent text,
      intent_at timestamptz,
      attempts int NOT NULL DEFAULT 0,
      economic_calls int NOT NULL DEFAULT 0,
      last_error_code text,
      last_error_message text,
      next_attempt_at timestamptz,
      first_failed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, order_id, refund_id)
    )`);
    await q.query(`CREATE INDEX credit_notes_shop_booked ON credit_notes (shop_id, booked_invoice_number) WHERE booked_invoice_number IS NOT NULL`);

    await q.query(`CREATE TABLE payments (
      shop_id text NOT NULL,
      order_id text NOT NULL,
      payment_id text NOT NULL,
      amount numeric(16,2) NOT NULL,
      currency text NOT NULL,
      paid_at timestamptz NOT NULL,
      status text NOT NULL,
      correlation_id text NOT NULL,
      voucher_number int,
      intent text,
      intent_at timestamptz,
      attempts int NOT NULL DEFAULT 0,
      economic_calls int NOT NULL DEFAULT 0,
      last_error_code text,
      last_error_message text,
      next_attempt_at timestamptz,
      first_failed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, order_id, payment_id)
    )`);

    await q.query(`CREATE TABLE jobs (
      id bigserial PRIMARY KEY,
      shop_id text NOT NULL,
      kind text NOT NULL,
      order_id text NOT NULL,
      sub_id text NOT NULL DEFAULT '',
      run_at timestamptz NOT NULL DEFAULT now(),
      attempts int NOT NULL DEFAULT 0,
      generation int NOT NULL DEFAULT 0,
      lease_until timestamptz,
      lease_owner text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT jobs_unique_work UNIQUE (shop_id, kind, order_id, sub_id)
    )`);
    await q.query(`CREATE INDEX jobs_shop_due ON jobs (shop_id, run_at, id)`);
    await q.query(`CREATE INDEX jobs_due ON jobs (run_at)`);
    await q.query(`CREATE INDEX jobs_leased ON jobs (shop_id) WHERE lease_until IS NOT NULL`);

    await q.query(`CREATE TABLE economic_products (
      agreement_number int NOT NULL,
      product_key text NOT NULL,
      product_number text NOT NULL,
      checked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agreement_number, product_key)
    )`);
    await q.query(`CREATE TABLE economic_agreement_facts (
      agreement_number int NOT NULL,
      fact text NOT NULL,
      value jsonb NOT NULL,
      fetched_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agreement_number, fact)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['economic_agreement_facts', 'economic_products', 'jobs', 'payments', 'credit_notes', 'transfers']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
