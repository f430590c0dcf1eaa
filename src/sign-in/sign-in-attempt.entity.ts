import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Site } from '../sites/site.entity';
import { Session } from './session.entity';

/** A sign-in sent to a site's provider and not back yet: what its answer is checked against. */
@Entity('sign_in_attempts')
@Index('IDX_sign_in_attempts_created', ['createdAt'])
@Index('UQ_sign_in_attempts_pickup', ['pickupHash'], { unique: true })
export class SignInAttempt {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_sign_in_attempts' })
  state: string;

  @Column({ name: 'site_id', type: 'smallint' })
  siteId: number;

  @ManyToOne(() => Site)
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'FK_sign_in_attempts_site' })
  site?: Site;

  @Column({ name: 'code_verifier', type: 'text' })
  codeVerifier: string;

  @Column({ type: 'text' })
  nonce: string;

  /** The page's origin, to which the signed-in window posts its tokens. */
  @Column({ name: 'return_origin', type: 'text' })
  returnOrigin: string;

  /** The SHA-256 of the secret with which the page that began the sign-in collects its tokens. */
  @Column({ name: 'pickup_hash', type: 'bytea' })
  pickupHash: Buffer;

  /** Set once the provider's answer was checked: the session the page collects. */
  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId: string | null;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'FK_sign_in_attempts_session' })
  session?: Session;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
