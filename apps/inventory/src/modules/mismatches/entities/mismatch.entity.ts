import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { InventoryMismatchView } from '@bogholder/contracts';
import { numericColumn } from '../../../common/numeric';

/** A SKU on which shop and e-conomic disagree; open while `resolvedAt` is null. */
@Entity('mismatches')
export class MismatchEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ type: 'text' }) sku: string;
  @PrimaryColumn({ type: 'text' }) kind: InventoryMismatchView['kind'];
  @Column({ name: 'shop_quantity', type: 'numeric', nullable: true, transformer: numericColumn }) shopQuantity: number | null;
  @Column({ name: 'economic_quantity', type: 'numeric', nullable: true, transformer: numericColumn }) economicQuantity: number | null;
  @Column({ name: 'detected_at', type: 'timestamptz' }) detectedAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
}
