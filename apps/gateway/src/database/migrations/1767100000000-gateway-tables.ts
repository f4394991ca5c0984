import { MigrationInterface, QueryRunner } from 'typeorm';

/** The gateway's tables: shops, their e-conomic connections and settings, connect states, webhook receipts. */
export class GatewayTables1767100000000 implements MigrationInterface {
  name = 'GatewayTables1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE shops (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      callback_url text,
      webhook_secret_encrypted text NOT NULL,
      economic_webhook_secret_encrypted text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX shops_newest_first ON shops (created_at DESC, id DESC)`);
    await q.query(`CREATE TABLE connections (
      shop_id uuid PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('connected', 'disconnected', 'error')),
      agreement_number int,
      company_name text,
      grant_token_encrypted text,
      connected_at timestamptz,
      last_checked_at timestamptz,
      last_error text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE settings (
      shop_id uuid PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
      settings jsonb NOT NULL,
      version int NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE connect_states (
      id uuid PRIMARY KEY,
      shop_id uuid NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    )`);
    await q.query(`CREATE INDEX connect_states_expires_at ON connect_states (expires_at)`);
    // No foreign key: this table is written on the webhook hot path.
    await q.query(`CREATE TABLE webhook_receipts (
      webhook_id text PRIMARY KEY,
      shop_id uuid NOT NULL,
      type text NOT NULL,
      accepted_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX webhook_receipts_accepted_at ON webhook_receipts (accepted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_receipts`);
    await q.query(`DROP TABLE connect_states`);
    await q.query(`DROP TABLE settings`);
    await q.query(`DROP TABLE connections`);
    await q.query(`DROP TABLE shops`);
  }
}
