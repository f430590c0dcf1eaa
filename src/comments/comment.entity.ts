import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Article } from '../articles/article.entity';
import { User } from '../users/user.entity';

import { COMMENT_STATUSES, CommentStatus, listedStatusSql } from './comment-state';

export { COMMENT_STATUSES, CommentStatus } from './comment-state';

@Entity('comments')
@Check('CHK_comments_status', `"status" IN (${COMMENT_STATUSES.map((s) => `'${s}'`).join(', ')})`)
@Check('CHK_comments_counts', `"reply_count" >= 0 AND "open_report_count" >= 0`)
@Check('CHK_comments_not_own_parent', `"parent_id" IS NULL OR "parent_id" <> "id"`)
@Check(
  'CHK_comments_rejection_reason',
  `"rejection_reason" IS NULL OR char_length("rejection_reason") BETWEEN 1 AND 60`,
)
@Check('CHK_comments_source', `("source" IS NULL) = ("source_id" IS NULL)`)
@Index('UQ_comments_source', ['source', 'sourceId'], { unique: true })
@Index('IDX_comments_thread', ['articleId', 'createdAt', 'id'], {
  where: `"parent_id" IS NULL AND ${listedStatusSql('"status"')}`,
})
@Index('IDX_comments_parent', ['parentId'], { where: `"parent_id" IS NOT NULL` })
@Index('IDX_comments_replies', ['parentId', 'createdAt', 'id'], { where: listedStatusSql('"status"') })
@Index('IDX_comments_queue', ['status', 'createdAt', 'id'], { where: `"deleted_at" IS NULL` })
@Index('IDX_comments_article_queue', ['articleId', 'status', 'createdAt', 'id'], { where: `"deleted_at" IS NULL` })
@Index('IDX_comments_reported', ['createdAt', 'id'], { where: `"open_report_count" > 0 AND "deleted_at" IS NULL` })
@Index('IDX_comments_article_reported', ['articleId', 'createdAt', 'id'], {
  where: `"open_report_count" > 0 AND "deleted_at" IS NULL`,
})
@Index('IDX_comments_author', ['authorId', 'createdAt', 'id'])
@Index('IDX_comments_newest', ['createdAt', 'id'], { where: `"deleted_at" IS NULL` })
// Expression and trigram indexes for moderators' search, made by their migration.
@Index('IDX_comments_body_words', { synchronize: false })
@Index('IDX_comments_body_trgm', { synchronize: false })
export class Comment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'article_id', type: 'uuid' })
  articleId: string;

  @ManyToOne(() => Article, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'FK_comments_article' })
  article?: Article;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Comment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'FK_comments_parent' })
  parent?: Comment;

  @Column({ name: 'author_id', type: 'text' })
  authorId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'FK_comments_author' })
  author?: User;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 16 })
  status: CommentStatus;

  @Column({ name: 'moderation_reasons', type: 'text', array: true, default: () => "'{}'" })
  moderationReasons: string[];

  /** Direct replies that are listed: visible, and not deleted or a tombstone with replies of its own. */
  /** The label of the site's rejection reasons its rejection was given; shown to its author while rejected. */
  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason: string | null;

  @Column({ name: 'reply_count', type: 'int', default: 0 })
  replyCount: number;

  @Column({ name: 'open_report_count', type: 'int', default: 0 })
  openReportCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', precision: 3, nullable: true })
  editedAt: Date | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;

  /** Imported comments: the system they came from (`disqus`, `wordpress`, …) and their id there. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  source: string | null;

  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId: string | null;
}
