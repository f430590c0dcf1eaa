import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Site } from '../sites/site.entity';

export const IMPORT_FORMATS = ['disqus', 'wordpress', 'commento', 'remark42', 'comment-desk'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** reading: the file goes into staging; importing: staged rows become comments; then an outcome. */
export const IMPORT_STATUSES = ['reading', 'importing', 'succeeded', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** One run of an import, from the CLI or the admin API: what it was asked to do and how far it got. */
@Entity('import_jobs')
@Check('CHK_import_jobs_status', `"status" IN ('reading', 'importing', 'succeeded', 'failed')`)
@Check('CHK_import_jobs_format', `"format" IN ('disqus', 'wordpress', 'commento', 'remark42', 'comment-desk')`)
@Index('IDX_import_jobs_created', ['createdAt', 'id'])
export class ImportJob {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_import_jobs' })
  id: string;

  /** The site whose articles the import fills. */
  @Column({ name: 'site_id', type: 'smallint', default: 1 })
  siteId: number;

  @ManyToOne(() => Site)
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'FK_import_jobs_site' })
  site?: Site;

  @Column({ type: 'varchar', length: 16 })
  format: ImportFormat;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ type: 'varchar', length: 16 })
  status: ImportStatus;

  @Column({ name: 'dry_run', type: 'boolean', default: false })
  dryRun: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  options: Record<string, unknown>;

  /** null: started from the command line. */
  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ name: 'bytes_total', type: 'bigint', nullable: true })
  bytesTotal: string | null;

  @Column({ name: 'bytes_read', type: 'bigint', default: 0 })
  bytesRead: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  counts: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  problems: unknown[];

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;
}
