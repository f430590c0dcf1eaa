import { Check, CreateDateColumn, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

/**
 * What moderators note about a user, for each other: appended with a moderation log entry in the
 * same transaction, never edited (a trigger refuses UPDATE). The log says that a note was written,
 * not what it says, so that erasing the user (which deletes their notes) leaves no copy behind.
 */
@Entity('user_notes')
@Check('CHK_user_notes_body', `length("body") BETWEEN 1 AND 2000`)
@Index('IDX_user_notes_user', ['userId', 'createdAt', 'id'])
export class UserNote {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_user_notes' })
  id: string;

  @Column({ name: 'user_id', type: 'text' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_user_notes_user' })
  user?: User;

  @Column({ name: 'author_id', type: 'text' })
  authorId: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'FK_user_notes_author' })
  author?: User;

  @Column({ type: 'text' })
  body: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
