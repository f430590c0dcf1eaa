import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A reader or moderator, known by the publisher's own user id (the token's `sub`). */
@Entity('users')
// A trigram index on names for moderators' search, made by its migration.
@Index('IDX_users_name_trgm', { synchronize: false })
export class User {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ name: 'banned_at', type: 'timestamptz', precision: 3, nullable: true })
  bannedAt: Date | null;

  /** null with bannedAt set: banned until unbanned. */
  @Column({ name: 'ban_until', type: 'timestamptz', precision: 3, nullable: true })
  banUntil: Date | null;

  @Column({ name: 'ban_reason', type: 'text', nullable: true })
  banReason: string | null;

  @Column({ type: 'boolean', default: false })
  premod: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
