import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEnvelope, FieldError, Settings, SETTINGS_FIELDS, Subjects, validatePayload, withDefaults } from '@bogholder/contracts';
import { Outbox } from '@bogholder/messaging';
import { HttpProblem } from '@bogholder/service-kit';
import { requestCorrelationId } from '../../common/correlation';
import { queryRows } from '../../common/sql';
import { invalidInput } from '../../common/validation';
import { ShopsService } from '../shops/shops.service';
import { ReferenceCheckService } from './reference-check.service';

const FIELDS = new Set<string>(SETTINGS_FIELDS);
const VAT_REGIONS = ['domestic', 'eu', 'abroad'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownField(field: string, known: Iterable<string>, prefix = ''): FieldError {
  const close = [...known].find((k) => k.toLowerCase() === field.toLowerCase());
  const path = `${prefix}${field}`;
  return { field: path, message: `${path} is not a setting${close ? `; did you mean ${prefix}${close}?` : ''}` };
}

/** A shop's settings: read, replace (PUT) and change (PATCH); validated, checked against e-conomic, published. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly shops: ShopsService,
    private readonly references: ReferenceCheckService,
  ) {}

  async get(shopId: string): Promise<Settings> {
    await this.shops.requireShop(shopId);
    return (await this.current(shopId)).settings;
  }

  /** PUT: the whole object; fields left out get their defaults. */
  async replace(shopId: string, body: unknown): Promise<Settings> {
    return await this.save(shopId, body, () => withDefaults({}));
  }

  /** PATCH: only the fields given; `vatZones` may be partial. */
  async update(shopId: string, body: unknown): Promise<Settings> {
    return await this.save(shopId, body, (current) => current);
  }

  private async save(shopId: string, body: unknown, base: (current: Settings) => Settings): Promise<Settings> {
    await this.shops.requireShop(shopId);
    const shape = this.checkShape(body);
    if (shape.length) throw invalidInput(shape, 'the settings');
    const patch = body as Record<string, unknown>;
    // Optimistic: if someone else saved in between, merge again onto what they saved.
    for (let attempt = 0; ; attempt++) {
      const current = await this.current(shopId);
      const settings = this.merge(base(current.settings), patch);
      const missing = await this.references.check(shopId, settings);
      if (missing.length) {
        throw new HttpProblem(422, `${missing.length === 1 ? 'a setting refers' : `${missing.length} settings refer`} to something e-conomic does not have: ${missing.map((e) => e.message).join('; ')}`, missing, 'economic_reference_missing');
      }
      const saved = await this.outbox.transaction(async (m) => {
        const rows = await queryRows(
          m,
          `UPDATE settings SET settings = $2::jsonb, version = version + 1, updated_at = now() WHERE shop_id = $1 AND version = $3 RETURNING shop_id`,
          [shopId, JSON.stringify(settings), current.version],
        );
        if (!rows.length) return false;
        await this.outbox.add(m, createEnvelope(Subjects.SettingsUpdated, shopId, settings, requestCorrelationId()));
        return true;
      });
      if (saved) return settings;
      if (attempt >= 4) throw new HttpProblem(409, 'the settings were changed by someone else at the same time; load them again and retry', [], 'settings_conflict');
    }
  }

  /** Unknown fields are named (a typo must not be silently ignored). */
  private checkShape(body: unknown): FieldError[] {
    if (!isObject(body)) return [{ field: '(body)', message: 'the settings must be a JSON object' }];
    const errors: FieldError[] = Object.keys(body).filter((k) => !FIELDS.has(k)).map((k) => unknownField(k, FIELDS));
    if (isObject(body.vatZones)) errors.push(...Object.keys(body.vatZones).filter((k) => !VAT_REGIONS.includes(k)).map((k) => unknownField(k, VAT_REGIONS, 'vatZones.')));
    return errors;
  }

  private merge(base: Settings, patch: Record<string, unknown>): Settings {
    const merged: Record<string, unknown> = { ...base, ...patch };
    if (isObject(patch.vatZones)) merged.vatZones = { ...base.vatZones, ...patch.vatZones };
    const result = validatePayload(Settings, merged);
    if (!result.ok) throw invalidInput(result.errors, 'the settings');
    // Stored and published exactly in the contract's field order, defaults filled.
    return withDefaults(Object.fromEntries(SETTINGS_FIELDS.map((k) => [k, merged[k]])) as Partial<Settings>);
  }

  private async current(shopId: string): Promise<{ settings: Settings; version: number }> {
    const rows = await queryRows<{ settings: Settings; version: number }>(this.dataSource, `SELECT settings, version FROM settings WHERE shop_id = $1`, [shopId]);
    if (!rows[0]) {
      // A shop always gets a row when it is created; create one if it went missing.
      await this.dataSource.query(`INSERT INTO settings (shop_id, settings) VALUES ($1, $2::jsonb) ON CONFLICT DO NOTHING`, [shopId, JSON.stringify(withDefaults({}))]);
      return await this.current(shopId);
    }
    return { settings: withDefaults(rows[0].settings), version: rows[0].version };
  }
}
