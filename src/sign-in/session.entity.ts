import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../auth/access.decorator';
import { Site } from '../sites/site.entity';
import { User } from '../users/user.entity';

/** A sign-in that Comment Desk holds: its refresh token is stored as a hash and replaced on every use. */
@Entity('sessions')
@Check('CHK_sessions_role', `"role" IN ('commenter', 'moderator', 'admin')`)
@Index('UQ_sessions_refresh', ['refreshHash'], { unique: true })
@Index('IDX_sessions_previous', ['previousHash'])
@Index('IDX_sessions_user', ['userId'])
export class Session {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_sessions' })
  id: string;

  @Column({ name: 'site_id', type: 'smallint' })
  siteId: number;

  @ManyToOne(() => Site)
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'FK_sessions_site' })
  site?: Site;

  @Column({ name: 'user_id', type: 'text' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_sessions_user' })
  user?: User;

  /** The role the provider's claims gave at sign-in. */
  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ name: 'refresh_hash', type: 'bytea' })
  refreshHash: Buffer;

  /** The refresh token before the last use: shown again, it means a stolen copy (or two tabs at once). */
  @Column({ name: 'previous_hash', type: 'bytea', nullable: true })
  previousHash: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'refreshed_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  refreshedAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;
}
