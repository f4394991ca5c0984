import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A shop webhook that was accepted (202): answers repeats with 200 `duplicate` beyond JetStream's duplicate window. */
@Entity('webhook_receipts')
export class WebhookReceiptEntity {
  @PrimaryColumn({ name: 'webhook_id', type: 'text' }) webhookId: string;
  @Column({ name: 'shop_id', type: 'uuid' }) shopId: string;
  @Column({ type: 'text' }) type: string;
  @Column({ name: 'accepted_at', type: 'timestamptz' }) acceptedAt: Date;
}
