import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericColumn } from '../../../common/numeric';

/** A SKU the shop sells (seen on an order line or in a stock snapshot). */
@Entity('shop_skus')
export class ShopSkuEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  @PrimaryColumn({ type: 'text' }) sku: string;
  /** The quantity of the newest snapshot that named the SKU; null when only orders named it. */
  @Column({ name: 'shop_quantity', type: 'numeric', nullable: true, transformer: numericColumn }) shopQuantity: number | null;
  @Column({ type: 'text' }) source: 'order' | 'snapshot';
  @Column({ name: 'seen_at', type: 'timestamptz' }) seenAt: Date;
  /** When that snapshot was taken. */
  @Column({ name: 'quantity_at', type: 'timestamptz', nullable: true }) quantityAt: Date | null;
  /** Is it a product in e-conomic? null = not looked up yet (or a product webhook named it since). */
  @Column({ name: 'economic_exists', type: 'boolean', nullable: true }) economicExists: boolean | null;
  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true }) checkedAt: Date | null;
}
