import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { EventEnvelope } from '@bogholder/contracts';

/** An event written in the same transaction as the business change; the relay publishes it. */
@Entity('outbox')
@Index('outbox_unpublished', ['seq'], { where: 'published_at IS NULL' })
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq: string;
  @Column({ type: 'text', unique: true }) id: string;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'jsonb' }) envelope: EventEnvelope;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
}

/** One row per (consumer, message) handled, written in the handler's transaction. */
@Entity('inbox')
export class InboxEntity {
  @PrimaryColumn({ type: 'text' }) consumer: string;
  @PrimaryColumn({ name: 'message_id', type: 'text' }) messageId: string;
  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' }) processedAt: Date;
}

/** A message that will not be delivered again: why, and everything needed to replay it. */
@Entity('dead_letters')
export class DeadLetterEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) consumer: string;
  @Column({ type: 'text' }) subject: string;
  @Column({ name: 'stream_seq', type: 'bigint', nullable: true }) streamSeq: string | null;
  @Column({ name: 'message_id', type: 'text', nullable: true }) messageId: string | null;
  @Column({ type: 'text' }) payload: string;
  @Column({ name: 'error_code', type: 'text' }) errorCode: string;
  @Column({ name: 'error_message', type: 'text' }) errorMessage: string;
  @Column({ type: 'int' }) deliveries: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'redriven_at', type: 'timestamptz', nullable: true }) redrivenAt: Date | null;
}

export const MESSAGING_ENTITIES = [OutboxEntity, InboxEntity, DeadLetterEntity];
