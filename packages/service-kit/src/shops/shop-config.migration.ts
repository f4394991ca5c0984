import { MigrationInterface, QueryRunner } from 'typeorm';

export class ShopConfigTable1767000000100 implements MigrationInterface {
  name = 'ShopConfigTable1767000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE shop_config (
      shop_id text PRIMARY KEY,
      connected boolean NOT NULL DEFAULT false,
      agreement_number int,
      company_name text,
      grant_token_encrypted text,
      connection_changed_at timestamptz,
      settings jsonb,
      settings_changed_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE shop_config`);
  }
}
