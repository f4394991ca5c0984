import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { createEnvelope, ShopProfileUpdatedData, Subjects, withDefaults } from '@bogholder/contracts';
import { Outbox } from '@bogholder/messaging';
import { HttpProblem, TokenCipher } from '@bogholder/service-kit';
import { requestCorrelationId } from '../../common/correlation';
import { isUuid, newPathSecret, newWebhookSecret } from '../../common/secrets';
import { queryRows } from '../../common/sql';
import { CreateShopDto, ShopDto, ShopListDto, ShopWithSecretDto, UpdateShopDto } from './dto/shop.dto';
import { ShopSecretsService } from './shop-secrets.service';

interface ShopRow {
  id: string;
  name: string;
  callback_url: string | null;
  webhook_secret_encrypted: string;
  created_at: Date;
  status: 'connected' | 'disconnected' | 'error' | null;
  agreement_number: number | null;
  company_name: string | null;
}

const SELECT_SHOP = `SELECT s.id, s.name, s.callback_url, s.webhook_secret_encrypted, s.created_at, c.status, c.agreement_number, c.company_name
  FROM shops s LEFT JOIN connections c ON c.shop_id = s.id`;

/** Thrown for an unknown shop id on admin routes. */
export const shopNotFound = (shopId: string) =>
  new HttpProblem(404, `shop ${shopId} does not exist: list the shops with GET /api/shops or create one with POST /api/shops`, [{ field: 'shopId', message: 'no shop has this id' }], 'shop_not_found');

/** Shops (tenants): create, list, show, rename / change the callback URL. */
@Injectable()
export class ShopsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly outbox: Outbox,
    private readonly secrets: ShopSecretsService,
  ) {}

  /** Creates a shop with a fresh webhook secret and default settings, and tells the other services about it. */
  async create(dto: CreateShopDto): Promise<ShopWithSecretDto> {
    const id = randomUUID();
    const webhookSecret = newWebhookSecret();
    const webhookSecretEncrypted = this.cipher.encrypt(webhookSecret);
    const name = dto.name.trim();
    const callbackUrl = dto.callbackUrl ?? null;
    const correlationId = requestCorrelationId();
    await this.outbox.transaction(async (m) => {
      await m.query(
        `INSERT INTO shops (id, name, callback_url, webhook_secret_encrypted, economic_webhook_secret_encrypted) VALUES ($1, $2, $3, $4, $5)`,
        [id, name, callbackUrl, webhookSecretEncrypted, this.cipher.encrypt(newPathSecret())],
      );
      const settings = withDefaults({});
      await m.query(`INSERT INTO settings (shop_id, settings) VALUES ($1, $2::jsonb)`, [id, JSON.stringify(settings)]);
      await this.outbox.add(
        m,
        createEnvelope(Subjects.ShopProfileUpdated, id, { name, callbackUrl, webhookSecretEncrypted } satisfies ShopProfileUpdatedData, correlationId),
        createEnvelope(Subjects.SettingsUpdated, id, settings, correlationId),
      );
    });
    const shop = await this.get(id);
    return { ...shop, webhookSecret };
  }

  async list(limit: number, offset: number): Promise<ShopListDto> {
    const [rows, count] = await Promise.all([
      this.dataSource.query(`${SELECT_SHOP} ORDER BY s.created_at DESC, s.id DESC LIMIT $1 OFFSET $2`, [limit, offset]) as Promise<ShopRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM shops`) as Promise<{ total: number }[]>,
    ]);
    return { items: rows.map((r) => this.view(r)), total: count[0]!.total };
  }

  /** One shop with its webhook secret (the admin may need it again to configure the shop). */
  async get(shopId: string): Promise<ShopWithSecretDto> {
    const row = await this.find(shopId);
    return { ...this.view(row), webhookSecret: this.cipher.decrypt(row.webhook_secret_encrypted) };
  }

  async update(shopId: string, dto: UpdateShopDto): Promise<ShopWithSecretDto> {
    await this.outbox.transaction(async (m) => {
      const rows = await queryRows<{ name: string; callback_url: string | null; webhook_secret_encrypted: string }>(
        m,
        `UPDATE shops SET name = COALESCE($2, name), callback_url = CASE WHEN $3::boolean THEN $4 ELSE callback_url END, updated_at = now()
         WHERE id = $1 RETURNING name, callback_url, webhook_secret_encrypted`,
        [this.checkId(shopId), dto.name?.trim() ?? null, dto.callbackUrl !== undefined, dto.callbackUrl ?? null],
      );
      const row = rows[0];
      if (!row) throw shopNotFound(shopId);
      await this.outbox.add(
        m,
        createEnvelope(Subjects.ShopProfileUpdated, shopId, { name: row.name, callbackUrl: row.callback_url, webhookSecretEncrypted: row.webhook_secret_encrypted } satisfies ShopProfileUpdatedData, requestCorrelationId()),
      );
    });
    return await this.get(shopId);
  }

  /**
   * A new webhook secret for the shop, valid at once (on other replicas within 30 s); the old one
   * stops working. Shops sign with both during the switch (Standard Webhooks allows several
   * signatures). The inventory service learns the new secret from shop.profile.updated.
   */
  async rotateWebhookSecret(shopId: string): Promise<ShopWithSecretDto> {
    const webhookSecret = newWebhookSecret();
    const webhookSecretEncrypted = this.cipher.encrypt(webhookSecret);
    await this.outbox.transaction(async (m) => {
      const rows = await queryRows<{ name: string; callback_url: string | null }>(
        m,
        `UPDATE shops SET webhook_secret_encrypted = $2, updated_at = now() WHERE id = $1 RETURNING name, callback_url`,
        [this.checkId(shopId), webhookSecretEncrypted],
      );
      const row = rows[0];
      if (!row) throw shopNotFound(shopId);
      await this.outbox.add(
        m,
        createEnvelope(Subjects.ShopProfileUpdated, shopId, { name: row.name, callbackUrl: row.callback_url, webhookSecretEncrypted } satisfies ShopProfileUpdatedData, requestCorrelationId()),
      );
    });
    this.secrets.forget(shopId);
    return { ...(await this.get(shopId)), webhookSecret };
  }

  /** 404 unless the shop exists; every `/api/shops/:shopId/...` route calls it before doing anything. */
  async requireShop(shopId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM shops WHERE id = $1`, [this.checkId(shopId)]);
    if (!rows.length) throw shopNotFound(shopId);
  }

  async name(shopId: string): Promise<string> {
    return (await this.find(shopId)).name;
  }

  private async find(shopId: string): Promise<ShopRow> {
    const rows: ShopRow[] = await this.dataSource.query(`${SELECT_SHOP} WHERE s.id = $1`, [this.checkId(shopId)]);
    if (!rows[0]) throw shopNotFound(shopId);
    return rows[0];
  }

  private checkId(shopId: string): string {
    if (!isUuid(shopId)) throw shopNotFound(shopId);
    return shopId;
  }

  private view(row: ShopRow): ShopDto {
    const status = row.status ?? 'disconnected';
    return {
      id: row.id,
      name: row.name,
      callbackUrl: row.callback_url,
      createdAt: row.created_at.toISOString(),
      economic: { status, agreementNumber: status === 'disconnected' ? null : row.agreement_number, companyName: status === 'disconnected' ? null : row.company_name },
    };
  }
}
