import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EconomicConnectedData, EventEnvelope, Settings, Subjects, withDefaults } from '@bogholder/contracts';
import type { HandlerContext } from '@bogholder/messaging';
import { OnEvent } from '../messaging/decorators';
import { ShopConfigEntity } from './shop-config.entity';

export interface ShopConfig {
  shopId: string;
  connected: boolean;
  agreementNumber: number | null;
  companyName: string | null;
  grantTokenEncrypted: string | null;
  settings: Settings;
}

export type ShopListener = (shopId: string, envelope: EventEnvelope, manager: EntityManager) => Promise<void>;

/**
 * Event-carried state: keeps this service's copy of each shop's connection and settings, so it
 * works while the gateway is down. Older events never overwrite newer ones (consumers of different
 * subjects are not ordered against each other).
 */
@Injectable()
export class ShopDirectory {
  private readonly listeners: Record<'connected' | 'disconnected' | 'settings', ShopListener[]> = { connected: [], disconnected: [], settings: [] };

  constructor(private readonly dataSource: DataSource) {}

  on(kind: 'connected' | 'disconnected' | 'settings', listener: ShopListener): void {
    this.listeners[kind].push(listener);
  }

  async get(shopId: string, manager: EntityManager = this.dataSource.manager): Promise<ShopConfig> {
    const row = await manager.findOne(ShopConfigEntity, { where: { shopId } });
    return {
      shopId,
      connected: row?.connected ?? false,
      agreementNumber: row?.agreementNumber ?? null,
      companyName: row?.companyName ?? null,
      grantTokenEncrypted: row?.connected ? row.grantTokenEncrypted : null,
      settings: withDefaults(row?.settings ?? null),
    };
  }

  async connectedShops(): Promise<ShopConfig[]> {
    const rows = await this.dataSource.manager.find(ShopConfigEntity, { where: { connected: true } });
    return rows.map((row) => ({ shopId: row.shopId, connected: true, agreementNumber: row.agreementNumber, companyName: row.companyName, grantTokenEncrypted: row.grantTokenEncrypted, settings: withDefaults(row.settings) }));
  }

  @OnEvent(Subjects.EconomicConnected)
  async connected(env: EventEnvelope<EconomicConnectedData>, ctx: HandlerContext): Promise<void> {
    const applied = await this.applyConnection(ctx.manager, env, true, env.data);
    if (applied) for (const l of this.listeners.connected) await l(env.shopId, env, ctx.manager);
  }

  @OnEvent(Subjects.EconomicDisconnected)
  async disconnected(env: EventEnvelope, ctx: HandlerContext): Promise<void> {
    const applied = await this.applyConnection(ctx.manager, env, false, null);
    if (applied) for (const l of this.listeners.disconnected) await l(env.shopId, env, ctx.manager);
  }

  @OnEvent(Subjects.SettingsUpdated)
  async settingsUpdated(env: EventEnvelope<Settings>, ctx: HandlerContext): Promise<void> {
    const rows: unknown[] = await ctx.manager.query(
      `INSERT INTO shop_config (shop_id, settings, settings_changed_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (shop_id) DO UPDATE SET settings = EXCLUDED.settings, settings_changed_at = EXCLUDED.settings_changed_at, updated_at = now()
       WHERE shop_config.settings_changed_at IS NULL OR shop_config.settings_changed_at <= EXCLUDED.settings_changed_at
       RETURNING 1`,
      [env.shopId, JSON.stringify(withDefaults(env.data)), env.occurredAt],
    );
    if (rows.length) for (const l of this.listeners.settings) await l(env.shopId, env, ctx.manager);
  }

  private async applyConnection(manager: EntityManager, env: EventEnvelope, connected: boolean, data: EconomicConnectedData | null): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO shop_config (shop_id, connected, agreement_number, company_name, grant_token_encrypted, connection_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (shop_id) DO UPDATE SET connected = EXCLUDED.connected, agreement_number = COALESCE(EXCLUDED.agreement_number, shop_config.agreement_number),
         company_name = COALESCE(EXCLUDED.company_name, shop_config.company_name), grant_token_encrypted = EXCLUDED.grant_token_encrypted,
         connection_changed_at = EXCLUDED.connection_changed_at, updated_at = now()
       WHERE shop_config.connection_changed_at IS NULL OR shop_config.connection_changed_at <= EXCLUDED.connection_changed_at
       RETURNING 1`,
      [env.shopId, connected, data?.agreementNumber ?? null, data?.companyName ?? null, data?.grantTokenEncrypted ?? null, env.occurredAt],
    );
    return rows.length > 0;
  }
}
