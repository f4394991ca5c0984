import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox, inbox and dead letters; each service runs it in its own schema. */
export class MessagingTables1767000000000 implements MigrationInterface {
  name = 'MessagingTables1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE outbox (
      seq bigserial PRIMARY KEY,
      id text NOT NULL UNIQUE,
      subject text NOT NULL,
      envelope jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      attempts int NOT NULL DEFAULT 0,
      last_error text
    )`);
    await q.query(`CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL`);
    await q.query(`CREATE TABLE inbox (
      consumer text NOT NULL,
      message_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, message_id)
    )`);
    await q.query(`CREATE INDEX inbox_processed_at ON inbox (processed_at)`);
    await q.query(`CREATE TABLE dead_letters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      consumer text NOT NULL,
      subject text NOT NULL,
      stream_seq bigint,
      message_id text,
      payload text NOT NULL,
      error_code text NOT NULL,
      error_message text NOT NULL,
      deliveries int NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      redriven_at timestamptz
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letters`);
    await q.query(`DROP TABLE inbox`);
    await q.query(`DROP TABLE outbox`);
  }
}
