import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Site } from '../sites/site.entity';

/**
 * A reader or moderator, known by the user id that their site's login gives (the token's `sub`;
 * on every site but the first, prefixed by the site's key: see userIdOf).
 */
@Entity('users')
// A trigram index on names for moderators' search, made by its migration.
@Index('IDX_users_name_trgm', { synchronize: false })
export class User {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  /** The site whose login vouches for the user; bans and notes are therefore that site's. */
  @Column({ name: 'site_id', type: 'smallint', default: 1 })
  siteId: number;

  @ManyToOne(() => Site)
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'FK_users_site' })
  site?: Site;

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
