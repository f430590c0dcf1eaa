import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Site } from './site.entity';

export const GRANTED_ROLES = ['moderator', 'admin'] as const;
export type GrantedRole = (typeof GRANTED_ROLES)[number];

/** A role on a site given here, beside the role a site's own tokens carry. */
@Entity('site_members')
@Check('CHK_site_members_role', `"role" IN ('moderator', 'admin')`)
@Index('IDX_site_members_user', ['userId'])
export class SiteMember {
  @PrimaryColumn({ name: 'site_id', type: 'smallint' })
  siteId: number;

  @ManyToOne(() => Site)
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'FK_site_members_site' })
  site?: Site;

  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId: string;

  // Named, not imported: users sit above sites, and erasing a user takes their roles with them.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_site_members_user' })
  user?: unknown;

  @Column({ type: 'varchar', length: 16 })
  role: GrantedRole;

  @Column({ name: 'granted_by', type: 'text', nullable: true })
  grantedBy: string | null;

  @CreateDateColumn({ name: 'granted_at', type: 'timestamptz', precision: 3 })
  grantedAt: Date;
}
