import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A token bucket shared by every instance of the service (the table is UNLOGGED: counters need no WAL). */
@Entity('rate_limit_buckets')
@Index('IDX_rate_limit_buckets_expires', ['expiresAt'])
export class RateLimitBucket {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_rate_limit_buckets' })
  key: string;

  @Column({ type: 'double precision' })
  tokens: number;

  /** How many requests the last batch taken from this bucket let through. */
  @Column({ type: 'integer', default: 0 })
  granted: number;

  /** Whether the last batch let any through (what the previous release reads). */
  @Column({ type: 'boolean' })
  allowed: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** When the bucket is full again and can be forgotten. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
