import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Site } from '../sites/site.entity';
import type { ModerationMode } from '../settings/moderation-settings.entity';

@Entity('articles')
@Check('CHK_articles_mode', `"moderation_mode" IN ('post', 'pre')`)
@Check(
  'CHK_articles_counts',
  `"count_visible" >= 0 AND "count_pending" >= 0 AND "count_published" >= 0 AND "count_approved" >= 0 AND "count_rejected" >= 0 AND "count_reported" >= 0`,
)
@Check('CHK_articles_closed', `("closed_at" IS NULL) = ("closed_message" IS NULL)`)
@Index('IDX_articles_created', ['createdAt', 'id'])
// An article's URL and external id name it within its site.
@Index('UQ_articles_url', ['siteId', 'url'], { unique: true })
@Index('UQ_articles_external_id', ['siteId', 'externalId'], { unique: true })
// Trigram indexes for moderators' search by title or url, made by their migration.
@Index('IDX_articles_title_trgm', { synchronize: false })
@Index('IDX_articles_url_trgm', { synchronize: false })
export class Article {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Articles made without naming a site are the first site's. */
  @Column({ name: 'site_id', type: 'smallint', default: 1 })
  siteId: number;

  @ManyToOne(() => Site)
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'FK_articles_site' })
  site?: Site;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  @Column({ name: 'moderation_mode', type: 'varchar', length: 8 })
  moderationMode: ModerationMode;

  /** Set when the article was closed, by hand or by the closing sweep. */
  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt: Date | null;

  @Column({ name: 'closed_message', type: 'text', nullable: true })
  closedMessage: string | null;

  @Column({ name: 'close_at', type: 'timestamptz', precision: 3, nullable: true })
  closeAt: Date | null;

  /** Reopened by hand: the settings' autoCloseAfterDays no longer applies. */
  @Column({ name: 'auto_close_exempt', type: 'boolean', default: false })
  autoCloseExempt: boolean;

  /** The scheduled closing time that the sweep has written to the log (bookkeeping only). */
  @Column({ name: 'schedule_close_logged_at', type: 'timestamptz', precision: 3, nullable: true })
  scheduleCloseLoggedAt: Date | null;

  /** null: shown while the article is in post mode. */
  @Column({ name: 'disclaimer_show', type: 'boolean', nullable: true })
  disclaimerShow: boolean | null;

  @Column({ name: 'disclaimer_text', type: 'text' })
  disclaimerText: string;

  @Column({ name: 'count_visible', type: 'int', default: 0 })
  countVisible: number;

  @Column({ name: 'count_pending', type: 'int', default: 0 })
  countPending: number;

  @Column({ name: 'count_published', type: 'int', default: 0 })
  countPublished: number;

  @Column({ name: 'count_approved', type: 'int', default: 0 })
  countApproved: number;

  @Column({ name: 'count_rejected', type: 'int', default: 0 })
  countRejected: number;

  /** Comments (not deleted) with at least one open report. */
  @Column({ name: 'count_reported', type: 'int', default: 0 })
  countReported: number;

  /** Bumped by every unit of work that changes what the thread shows (see ArticlesService.lock). */
  @Column({ name: 'thread_version', type: 'bigint', default: 0 })
  threadVersion: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
