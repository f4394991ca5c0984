import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericColumn } from '../../../common/numeric';

/** e-conomic's stock of one product as last read, and the value last sent to the shop. */
@Entity('stock')
export class StockEntity {
  @PrimaryColumn({ name: 'shop_id', type: 'text' }) shopId: string;
  /** e-conomic's product number. */
  @PrimaryColumn({ type: 'text' }) sku: string;
  @Column({ name: 'economic_available', type: 'numeric', transformer: numericColumn }) economicAvailable: number;
  @Column({ name: 'last_sent_available', type: 'numeric', nullable: true, transformer: numericColumn }) lastSentAvailable: number | null;
  @Column({ name: 'last_sent_at', type: 'timestamptz', nullable: true }) lastSentAt: Date | null;
  /** When the read that produced `economicAvailable` started (a slower, older read never overwrites a newer one). */
  @Column({ name: 'last_read_at', type: 'timestamptz' }) lastReadAt: Date;
}
