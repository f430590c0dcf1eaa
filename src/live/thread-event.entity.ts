import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Article } from '../articles/article.entity';

/**
 * What changed in a thread, for live readers. Keyed by the article's thread_version, taken under
 * the article's row lock, so one article's events are numbered in commit order without gaps that
 * a reader could miss: a reconnecting reader asks for everything after the last version it saw.
 */
@Entity('thread_events')
@Index('IDX_thread_events_created', ['createdAt'])
export class ThreadEvent {
  @PrimaryColumn({ name: 'article_id', type: 'uuid', primaryKeyConstraintName: 'PK_thread_events' })
  articleId: string;

  @ManyToOne(() => Article, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'FK_thread_events_article' })
  article?: Article;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_thread_events' })
  version: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
