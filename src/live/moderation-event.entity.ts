import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/**
 * What moderators are told live, across all articles. Ordered by the id of the transaction that
 * wrote it (`xact`), then `seq`: a reader takes only events of transactions older than every one
 * still running, so no event can commit later behind a position that a reader already passed,
 * and moderation writes on different articles never wait for one another to number their events.
 */
@Entity('moderation_events')
@Index('IDX_moderation_events_created', ['createdAt'])
export class ModerationEvent {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_moderation_events' })
  xact: string;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_moderation_events' })
  @Generated('increment')
  seq: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
