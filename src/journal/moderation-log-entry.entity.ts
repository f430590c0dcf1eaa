import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const LOG_TARGET_TYPES = ['comment', 'article', 'user', 'settings', 'import', 'site'] as const;
export type LogTargetType = (typeof LOG_TARGET_TYPES)[number];

/** Append-only: a trigger in the migration refuses UPDATE and DELETE. */
@Entity('moderation_log')
@Check(
  'CHK_moderation_log_target_type',
  `"target_type" IN ('comment', 'article', 'user', 'settings', 'import', 'site')`,
)
@Index('IDX_moderation_log_site', ['siteId', 'seq'])
@Index('UQ_moderation_log_seq', ['seq'], { unique: true })
@Index('IDX_moderation_log_target', ['targetId', 'seq'])
@Index('IDX_moderation_log_article', ['articleId', 'seq'])
@Index('IDX_moderation_log_actor', ['actorId', 'seq'])
@Index('IDX_moderation_log_moderators', ['actorId'], { where: `action NOT IN ('edit', 'delete')` })
export class ModerationLogEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The order of writing: entries of one transaction share a millisecond, never a seq. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' })
  seq: string;

  @Column({ type: 'varchar', length: 32 })
  action: string;

  /** The site of what the entry is about (log_moderation() finds it). */
  @Column({ name: 'site_id', type: 'smallint', default: 1 })
  siteId: number;

  /**
   * null: the system decided. People are named by id only (their names are in `users`), so that
   * erasing a reader removes their name without rewriting this append-only log.
   */
  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ name: 'target_type', type: 'varchar', length: 16 })
  targetType: LogTargetType;

  @Column({ name: 'target_id', type: 'text' })
  targetId: string;

  @Column({ name: 'article_id', type: 'uuid', nullable: true })
  articleId: string | null;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16, nullable: true })
  toStatus: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'clock_timestamp()' })
  createdAt: Date;
}
