import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Settings } from '@bogholder/contracts';

/** A shop's settings (CONTRACT.md §2), stored whole with defaults filled in. */
@Entity('settings')
export class SettingsEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'uuid' }) shopId: string;
  @Column({ type: 'jsonb' }) settings: Settings;
  /** Bumped on every save (optimistic concurrency for PATCH). */
  @Column({ type: 'int', default: 0 }) version: number;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
