import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Comment } from './comment.entity';

/** A body that a comment had before an edit. */
@Entity('comment_revisions')
@Index('IDX_comment_revisions_comment', ['commentId', 'createdAt'])
export class CommentRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'comment_id', type: 'uuid' })
  commentId: string;

  @ManyToOne(() => Comment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id', foreignKeyConstraintName: 'FK_comment_revisions_comment' })
  comment?: Comment;

  @Column({ type: 'text' })
  body: string;

  /** When this body was replaced. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
