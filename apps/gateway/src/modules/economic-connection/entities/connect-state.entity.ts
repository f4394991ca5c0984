import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One `state` of the grant flow: signed, single-use, valid for 10 minutes. */
@Entity('connect_states')
export class ConnectStateEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'shop_id', type: 'uuid' }) shopId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true }) usedAt: Date | null;
}
