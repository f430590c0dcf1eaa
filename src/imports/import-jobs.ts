import { DataSource, EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import { DEFAULT_SITE_ID, Site } from '../sites/site.entity';
import { ImportFormat } from './import-job.entity';
import { ImportState } from './import-state';

/** The site an import fills: its id, and its key, which prefixes the ids of its users (see userIdOf). */
export type ImportSite = Pick<Site, 'id' | 'key'>;

export const FIRST_SITE: ImportSite = { id: DEFAULT_SITE_ID, key: 'default' };

/** What the job records of an import's options. */
export interface ImportJobOptions {
  format: ImportFormat;
  fileName: string;
  /** The site whose articles the import fills; the first site when not given. */
  site?: ImportSite;
  /** The job row to keep up to date (the CLI's dry runs have none). */
  jobId?: string;
  onProgress?: (state: ImportState) => void;
}

/** Records a job about to run; its id is also the target of its entry in the moderation log. */
export async function createJob(
  dataSource: DataSource,
  format: ImportFormat,
  fileName: string,
  job: { siteId: number; dryRun: boolean; options: object; actorId: string | null; bytesTotal: number | null },
): Promise<string> {
  const {
    rows: [{ id }],
  } = await sql<{ id: string }>(
    dataSource,
    `INSERT INTO import_jobs (site_id, format, file_name, status, dry_run, options, actor_id, bytes_total)
     VALUES ($7, $1, $2, 'reading', $3, $4, $5, $6) RETURNING id`,
    [format, fileName, job.dryRun, JSON.stringify(job.options), job.actorId, job.bytesTotal, job.siteId],
  );
  return id;
}

/** Whether an earlier import of this file died (its process stopped) after the last one that succeeded. */
export async function diedBeforeItsRecount(
  dataSource: DataSource,
  options: Pick<ImportJobOptions, 'format' | 'fileName' | 'site'>,
): Promise<boolean> {
  const { rows } = await sql<{ died: boolean }>(
    dataSource,
    `SELECT EXISTS (
       SELECT 1 FROM import_jobs j WHERE j.format = $1 AND j.file_name = $2 AND j.error = $3 AND NOT j.dry_run
         AND j.site_id = $4
         AND j.created_at > COALESCE((SELECT max(s.created_at) FROM import_jobs s
                                      WHERE s.format = $1 AND s.file_name = $2 AND s.status = 'succeeded' AND NOT s.dry_run
                                        AND s.site_id = $4),
                                     '-infinity')) AS died`,
    [options.format, options.fileName, INTERRUPTED, (options.site ?? FIRST_SITE).id],
  );
  return rows[0].died;
}

const INTERRUPTED = 'interrupted: the process running it stopped';

/** Jobs whose process stopped (no progress for ten minutes) are marked failed and their staging removed. */
export async function clearStaleJobs(dataSource: DataSource): Promise<void> {
  const { rows } = await sql<{ id: string }>(
    dataSource,
    `UPDATE import_jobs SET status = 'failed', error = $1, finished_at = now()
     WHERE status IN ('reading', 'importing') AND updated_at < now() - interval '10 minutes' RETURNING id`,
    [INTERRUPTED],
  );
  for (const { id } of rows) await removeStaging(dataSource, id);
}

/** A job whose process is known to have stopped: marked failed at once, its staging removed. */
export async function failInterruptedJob(dataSource: DataSource, jobId: string): Promise<void> {
  await sql(
    dataSource,
    `UPDATE import_jobs SET status = 'failed', error = $2, finished_at = now()
     WHERE id = $1 AND status IN ('reading', 'importing')`,
    [jobId, INTERRUPTED],
  );
  await removeStaging(dataSource, jobId);
}

export async function removeStaging(dataSource: DataSource, jobId: string): Promise<void> {
  await sql(dataSource, `DELETE FROM import_staged_comments WHERE job_id = $1`, [jobId]);
  await sql(dataSource, `DELETE FROM import_staged_threads WHERE job_id = $1`, [jobId]);
}

/** Keeps the job row (and the CLI's progress bar) up to date, a few times a second at most. */
export class ProgressReporter {
  private last = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: Pick<ImportJobOptions, 'jobId' | 'onProgress'>,
    private readonly state: ImportState,
  ) {}

  async report(force = false): Promise<void> {
    this.options.onProgress?.(this.state);
    if (!force && Date.now() - this.last < 250) return;
    this.last = Date.now();
    await this.save(this.dataSource.manager);
  }

  async save(manager: EntityManager): Promise<void> {
    if (!this.options.jobId) return;
    const done = this.state.status === 'succeeded' || this.state.status === 'failed';
    await sql(
      manager,
      `UPDATE import_jobs SET status = $2, bytes_read = $3, counts = $4, problems = $5, error = $6, updated_at = now(),
         finished_at = CASE WHEN $7 THEN now() END WHERE id = $1`,
      [
        this.options.jobId,
        this.state.status,
        this.state.bytesRead,
        JSON.stringify(this.state.counts),
        JSON.stringify(this.state.problems),
        this.state.error,
        done,
      ],
    );
  }
}
