import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { AuthUser } from '../auth/access.decorator';
import { recountArticles } from '../comments/recount';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { ModerationLog } from '../moderation/moderation-log.service';
import { CommentDeskImport, tableColumns } from './formats/comment-desk';
import { commentoReader } from './formats/commento';
import { disqusReader } from './formats/disqus';
import { remark42Reader } from './formats/remark42';
import { FormatReader, ImportSink, ReaderOptions, SourceComment, SourceThread } from './formats/records';
import { wordpressReader } from './formats/wordpress';
import { describeImport, emptyCounts, ImportCounts } from './import-counts';
import { ImportFormat, ImportStatus } from './import-job.entity';

export const READERS: Partial<Record<ImportFormat, (sink: ImportSink, options: ReaderOptions) => FormatReader>> = {
  disqus: disqusReader,
  wordpress: wordpressReader,
  commento: commentoReader,
  remark42: remark42Reader,
};

/** The formats that can be imported: the XML ones through staging, our own export directly. */
export const IMPORTABLE: ImportFormat[] = [...(Object.keys(READERS) as ImportFormat[]), 'comment-desk'];

const MAX_PROBLEMS = 100;
/**
 * Articles recounted per transaction: every batch reads the comments table once (no index covers
 * all of an article's comments, tombstones included), so batches are large.
 */
const ARTICLES_PER_RECOUNT = 10_000;

export interface ImportProblem {
  line?: number;
  message: string;
}

export interface ImportState {
  status: ImportStatus;
  bytesRead: number;
  counts: ImportCounts;
  problems: ImportProblem[];
  error: string | null;
  /** Where the time went: reading the file (into staging), writing comments, recounting. */
  seconds: { reading: number; writing: number; counting: number };
}

export interface ImportOptions {
  format: ImportFormat;
  fileName: string;
  skipSpam?: boolean;
  dryRun?: boolean;
  urlPrefix?: string;
  /** Rows per batch (each batch is a transaction of its own). */
  batchSize?: number;
  /** Who asked: an admin through the API; null from the command line (the system). */
  actor?: AuthUser | null;
  /** The job row to keep up to date (the CLI's dry runs have none). */
  jobId?: string;
  /** Stops the import between two batches. */
  signal?: AbortSignal;
  onProgress?: (state: ImportState) => void;
}

/** What the file is fed to: text in, batches out. */
interface BatchWriter extends FormatReader {
  readonly pending: number;
  flush(manager: EntityManager): Promise<void>;
}

/** A unit of work: its own transaction, or, in a dry run, a part of the one transaction rolled back at the end. */
type Units = <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>;

/**
 * Imports one export file. It is read as a stream into staging tables (bounded memory, one
 * transaction per batch); only once the whole file is read are articles matched or created,
 * users recorded and comments inserted, parents before replies, one batch per transaction.
 * Each comment is inserted under its unique (source, source_id), so that a re-run, or a run
 * resumed after a stop, creates nothing twice. Then every affected article is recounted under
 * its lock, and one entry in the moderation log records the import.
 */
export async function runImport(dataSource: DataSource, input: Readable, options: ImportOptions): Promise<ImportState> {
  if (!IMPORTABLE.includes(options.format)) throw new Error(`The ${options.format} format cannot be imported yet`);
  const state: ImportState = {
    status: 'reading',
    bytesRead: 0,
    counts: emptyCounts(),
    problems: [],
    error: null,
    seconds: { reading: 0, writing: 0, counting: 0 },
  };
  let phaseStarted = Date.now();
  const phaseEnds = (phase: keyof ImportState['seconds']) => {
    state.seconds[phase] += (Date.now() - phaseStarted) / 1000;
    phaseStarted = Date.now();
  };
  const stagingId = options.jobId ?? randomUUID();
  const batchSize = options.batchSize ?? 5000;
  const progress = new ProgressReporter(dataSource, options, state);
  const transactions = new Transactions(dataSource);
  const dryRunner = options.dryRun ? dataSource.createQueryRunner() : undefined;
  const units: Units = dryRunner ? (work) => work(dryRunner.manager) : (work) => transactions.run(work);
  /** The articles to recount once the comments are in; also after a failure, for what went in before it. */
  let touched: () => Promise<string[]> = async () => [];
  /** `finishing`: after a failure or a stop, which must not stop it halfway. */
  const recount = async (finishing = false) => {
    const articleIds = await touched();
    for (let i = 0; i < articleIds.length; i += ARTICLES_PER_RECOUNT) {
      await units((m) => recountArticles(m, articleIds.slice(i, i + ARTICLES_PER_RECOUNT)));
      if (!finishing) options.signal?.throwIfAborted();
      // Also the job's heartbeat: a job silent for ten minutes is taken for one whose process died.
      await progress.report();
    }
  };
  /**
   * Feeds the file to a format's reader, writing what it buffered whenever a batch is full. A
   * batch is written while the next one is read (PostgreSQL and the parser each have a core to
   * work on), never more than one at a time, so batches still go in in order.
   */
  const read = async (writer: BatchWriter) => {
    const decoder = new StringDecoder('utf8');
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      await writing;
      options.signal?.throwIfAborted();
      await progress.report();
      writing = units((m) => writer.flush(m));
      // Awaited at the next flush or at the end; until then, not an unhandled rejection.
      writing.catch(() => undefined);
    };
    try {
      for await (const chunk of input) {
        const bytes = chunk as Buffer;
        state.bytesRead += bytes.length;
        writer.write(decoder.write(bytes));
        if (writer.pending >= batchSize) await flush();
      }
      writer.write(decoder.end());
      writer.end();
      await flush();
      await writing;
    } finally {
      // A file found malformed waits for the batch in flight, so that what follows sees it written.
      await writing.catch(() => undefined);
    }
    options.signal?.throwIfAborted();
    phaseEnds('reading');
    state.status = 'importing';
    await progress.report(true);
  };
  try {
    if (dryRunner) {
      await dryRunner.connect();
      await dryRunner.startTransaction();
    } else {
      await clearStaleJobs(dataSource);
    }
    if (options.format === 'comment-desk') {
      const { columns, logIsEmpty } = await units(async (m) => ({
        columns: await tableColumns(m),
        logIsEmpty: (await sql(m, `SELECT 1 FROM moderation_log LIMIT 1`)).rowCount === 0,
      }));
      const native = new CommentDeskImport(state.counts, columns, logIsEmpty);
      touched = async () => [...native.articleIds].sort();
      await read(native);
      await units((m) => native.finish(m));
    } else {
      const staging = new Staging(stagingId, state, options);
      const reader = READERS[options.format]!(staging, {
        skipSpam: options.skipSpam ?? false,
        urlPrefix: options.urlPrefix,
      });
      await read({
        write: (text) => reader.write(text),
        end: () => reader.end(),
        get pending() {
          return staging.pending;
        },
        flush: (m) => staging.flush(m),
      });
      await units((m) => staging.applyNames(m));
      // Fresh statistics, or the planner takes the staging tables for empty and joins them row by row.
      await units((m) => m.query('ANALYZE import_staged_threads, import_staged_comments'));
      const writer = new ImportWriter(stagingId, options.format, state, units, batchSize);
      await writer.prepare();
      await progress.report();
      // The articles whose counts this run changed; all of the file's after a run of it that died
      // before its recount (one stopped, or failing, recounts what it wrote on its way out).
      touched = async () =>
        (await diedBeforeItsRecount(dataSource, options)) ? writer.fileArticles : [...writer.changedArticles].sort();
      while (await writer.insertBatch()) {
        options.signal?.throwIfAborted();
        await progress.report();
      }
    }
    phaseEnds('writing');
    if (!options.dryRun) await recount();
    phaseEnds('counting');
    state.status = 'succeeded';
    if (dryRunner) await dryRunner.rollbackTransaction();
    else
      await units(async (manager) => {
        await new ModerationLog().record(manager, {
          action: 'import',
          actor: options.actor ?? null,
          targetType: 'import',
          targetId: stagingId,
          reason: describeImport(options.format, options.fileName, state.counts),
        });
        await progress.save(manager);
      });
    if (dryRunner) await progress.report(true);
    return state;
  } catch (error) {
    state.status = 'failed';
    state.error = error instanceof Error ? error.message : String(error);
    if (dryRunner?.isTransactionActive) await dryRunner.rollbackTransaction().catch(() => undefined);
    // What went in before the failure is recounted.
    if (!options.dryRun) await recount(true).catch(() => undefined);
    await progress.report(true).catch(() => undefined);
    throw error;
  } finally {
    await dryRunner?.release();
    if (!options.dryRun) await removeStaging(dataSource, stagingId).catch(() => undefined);
  }
}

/** Records a job about to run; its id is also the target of its entry in the moderation log. */
export async function createJob(
  dataSource: DataSource,
  format: ImportFormat,
  fileName: string,
  job: { dryRun: boolean; options: object; actorId: string | null; bytesTotal: number | null },
): Promise<string> {
  const {
    rows: [{ id }],
  } = await sql<{ id: string }>(
    dataSource,
    `INSERT INTO import_jobs (format, file_name, status, dry_run, options, actor_id, bytes_total)
     VALUES ($1, $2, 'reading', $3, $4, $5, $6) RETURNING id`,
    [format, fileName, job.dryRun, JSON.stringify(job.options), job.actorId, job.bytesTotal],
  );
  return id;
}

/** Whether an earlier import of this file died (its process stopped) after the last one that succeeded. */
async function diedBeforeItsRecount(dataSource: DataSource, options: ImportOptions): Promise<boolean> {
  const { rows } = await sql<{ died: boolean }>(
    dataSource,
    `SELECT EXISTS (
       SELECT 1 FROM import_jobs j WHERE j.format = $1 AND j.file_name = $2 AND j.error = $3 AND NOT j.dry_run
         AND j.created_at > COALESCE((SELECT max(s.created_at) FROM import_jobs s
                                      WHERE s.format = $1 AND s.file_name = $2 AND s.status = 'succeeded' AND NOT s.dry_run),
                                     '-infinity')) AS died`,
    [options.format, options.fileName, INTERRUPTED],
  );
  return rows[0].died;
}

const INTERRUPTED = 'interrupted: the process running it stopped';

/** Jobs whose process stopped (no progress for ten minutes) are marked failed and their staging removed. */
async function clearStaleJobs(dataSource: DataSource): Promise<void> {
  const { rows } = await sql<{ id: string }>(
    dataSource,
    `UPDATE import_jobs SET status = 'failed', error = $1, finished_at = now()
     WHERE status IN ('reading', 'importing') AND updated_at < now() - interval '10 minutes' RETURNING id`,
    [INTERRUPTED],
  );
  for (const { id } of rows) await removeStaging(dataSource, id);
}

async function removeStaging(dataSource: DataSource, jobId: string): Promise<void> {
  await sql(dataSource, `DELETE FROM import_staged_comments WHERE job_id = $1`, [jobId]);
  await sql(dataSource, `DELETE FROM import_staged_threads WHERE job_id = $1`, [jobId]);
}

/** Keeps the job row (and the CLI's progress bar) up to date, a few times a second at most. */
class ProgressReporter {
  private last = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ImportOptions,
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

/** What the format's reader finds, buffered, then written to the staging tables one batch at a time. */
class Staging implements ImportSink {
  private threads: SourceThread[] = [];
  private comments: SourceComment[] = [];
  private seq = 0;

  constructor(
    private readonly jobId: string,
    private readonly state: ImportState,
    private readonly options: ImportOptions,
  ) {}

  get pending(): number {
    return this.threads.length + this.comments.length;
  }

  thread(thread: SourceThread): void {
    this.state.counts.threads.read++;
    if (thread.skip === 'deleted') this.state.counts.threads.skippedDeleted++;
    if (thread.skip === 'no_url') this.state.counts.threads.skippedNoUrl++;
    this.threads.push(thread);
  }

  comment(comment: SourceComment): void {
    this.state.counts.comments.read++;
    this.comments.push(comment);
  }

  skipped(reason: keyof ImportCounts['comments']['skipped']): void {
    this.state.counts.comments.read++;
    this.state.counts.comments.skipped[reason]++;
  }

  problem(line: number, message: string): void {
    addProblem(this.state, line > 0 ? { line, message } : { message });
  }

  private names = new Map<string, string>();

  author(id: string, name: string): void {
    this.names.set(id, name);
  }

  /** The names that came apart from the comments, given to their staged comments. */
  async applyNames(manager: EntityManager): Promise<void> {
    const names = [...this.names];
    this.names.clear();
    for (let i = 0; i < names.length; i += 5000) {
      const part = names.slice(i, i + 5000);
      await sql(
        manager,
        `UPDATE import_staged_comments c SET author_name = x.name FROM unnest($2::text[], $3::text[]) AS x(id, name)
         WHERE c.job_id = $1 AND c.author_id = x.id`,
        [this.jobId, part.map(([id]) => id), part.map(([, name]) => name)],
      );
    }
  }

  async flush(manager: EntityManager): Promise<void> {
    const threads = this.threads;
    const comments = this.comments;
    this.threads = [];
    this.comments = [];
    if (threads.length > 0) {
      await sql(
        manager,
        `INSERT INTO import_staged_threads (job_id, seq, source_id, url, title, created_at, closed, skip)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::boolean[], $8::text[])
         ON CONFLICT (job_id, source_id) DO NOTHING`,
        [
          this.jobId,
          threads.map(() => ++this.seq),
          threads.map((t) => t.sourceId),
          threads.map((t) => t.url),
          threads.map((t) => t.title),
          threads.map((t) => t.createdAt?.toISOString() ?? null),
          threads.map((t) => t.closed),
          threads.map((t) => t.skip),
        ],
      );
    }
    if (comments.length > 0) {
      const { staged: rowCount, already } = await copyComments(
        manager,
        { jobId: this.jobId, source: this.options.format, dryRun: this.options.dryRun ?? false },
        comments,
        this.seq,
      );
      this.seq += comments.length;
      this.state.counts.comments.alreadyImported += already;
      const duplicates = comments.length - rowCount;
      if (duplicates > 0) {
        this.state.counts.comments.skipped.duplicate += duplicates;
        addProblem(this.state, { message: `${duplicates} comments repeat an id seen earlier in the file` });
      }
    }
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** A value in COPY's text format. */
const copyValue = (v: string | number | boolean | null): string =>
  v === null
    ? '\\N'
    : typeof v !== 'string'
      ? String(v)
      : /[\\\n\r\t]/.test(v)
        ? v.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c])
        : v;

/**
 * Stages a batch of comments by COPY (the fastest way in: no parameters to build or parse), into
 * a table of the session, then from there into staging, where a comment repeating an id seen
 * earlier in the file is left out (COPY itself cannot leave rows out). Each comment is staged
 * with its article when its thread's URL has one already, and marked done when an earlier run
 * imported it: a re-run then rewrites no staged row. Returns the rows staged, and of them those
 * already imported.
 */
async function copyComments(
  manager: EntityManager,
  staging: { jobId: string; source: ImportFormat; dryRun: boolean },
  comments: SourceComment[],
  seq: number,
): Promise<{ staged: number; already: number }> {
  const client = (await (manager.queryRunner as PostgresQueryRunner).connect()) as PoolClient;
  // Dropped at the end of the batch's transaction: a pooled connection keeps no table (one kept
  // ON COMMIT DELETE ROWS made the service's later transactions on it slower).
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS import_copied_comments (seq int, source_id text, thread_source_id text,
       parent_source_id text, author_id text, author_name text, body text, status text, deleted boolean,
       created_at timestamptz, line int) ON COMMIT DROP`,
  );
  let text = '';
  for (const c of comments) {
    text += `${++seq}\t${copyValue(c.sourceId)}\t${copyValue(c.threadSourceId)}\t${copyValue(c.parentSourceId)}\t${copyValue(
      c.authorId,
    )}\t${copyValue(c.authorName)}\t${copyValue(c.body)}\t${c.status}\t${c.deleted}\t${c.createdAt.toISOString()}\t${c.line}\n`;
  }
  await pipeline(Readable.from([text]), client.query(copyFrom(`COPY import_copied_comments FROM STDIN`)));
  const {
    rows: [r],
  } = await sql<{ staged: number; already: number }>(
    manager,
    `WITH staged AS (
       INSERT INTO import_staged_comments (job_id, seq, source_id, thread_source_id, parent_source_id, author_id,
         author_name, body, status, deleted, created_at, line, article_id, done)
       SELECT $1, k.*, a.id, x.done IS NOT NULL
       FROM import_copied_comments k
       -- Looked up row by row through their indexes (LIMIT 1): the session table has no statistics.
       LEFT JOIN LATERAL (SELECT a.id FROM import_staged_threads t JOIN articles a ON a.url = t.url
                          WHERE t.job_id = $1 AND t.source_id = k.thread_source_id AND t.skip IS NULL LIMIT 1) a ON true
       LEFT JOIN LATERAL (SELECT true AS done FROM comments x
                          WHERE x.source = $2 AND x.source_id = k.source_id LIMIT 1) x ON true
       ORDER BY k.seq
       ON CONFLICT (job_id, source_id) DO NOTHING
       RETURNING done)
     SELECT count(*)::int AS staged, count(*) FILTER (WHERE done)::int AS already FROM staged`,
    [staging.jobId, staging.source],
  );
  // A dry run is one transaction, never committed: emptied by hand.
  if (staging.dryRun) await client.query(`TRUNCATE import_copied_comments`);
  return r;
}

function addProblem(state: ImportState, problem: ImportProblem): void {
  if (state.problems.length < MAX_PROBLEMS) state.problems.push(problem);
}

/** From the staging tables to articles, users and comments. */
class ImportWriter {
  /** Every article the file's comments belong to, those imported earlier included. */
  fileArticles: string[] = [];
  /** The articles this run inserted comments into: those whose counts it changed. */
  readonly changedArticles = new Set<string>();

  constructor(
    private readonly jobId: string,
    private readonly source: ImportFormat,
    private readonly state: ImportState,
    private readonly units: Units,
    private readonly batchSize: number,
  ) {}

  /**
   * Articles matched or created by URL, comments given their article, tombstones chosen, users
   * recorded; what will not be inserted is marked done, so that only insertable rows remain.
   */
  async prepare(): Promise<void> {
    const counts = this.state.counts;
    await this.units(async (m) => {
      const created = await sql(
        m,
        `WITH wanted AS (
           SELECT DISTINCT ON (t.url) t.url, t.title, t.created_at, t.closed FROM import_staged_threads t
           WHERE t.job_id = $1 AND t.skip IS NULL
             AND t.source_id IN (SELECT thread_source_id FROM import_staged_comments WHERE job_id = $1)
           ORDER BY t.url, t.seq)
         INSERT INTO articles (url, title, moderation_mode, disclaimer_text, created_at, closed_at, closed_message)
         SELECT w.url, COALESCE(NULLIF(w.title, ''), w.url), s.default_moderation_mode, s.default_disclaimer_text,
                COALESCE(w.created_at, now()), CASE WHEN w.closed THEN now() END,
                CASE WHEN w.closed THEN s.default_closed_message END
         FROM wanted w CROSS JOIN moderation_settings s WHERE s.id = 1
         ON CONFLICT (url) DO NOTHING`,
        [this.jobId],
      );
      counts.threads.articlesCreated = created.rowCount;
      await sql(
        m,
        `UPDATE import_staged_threads t SET article_id = a.id FROM articles a
         WHERE t.job_id = $1 AND t.skip IS NULL AND a.url = t.url`,
        [this.jobId],
      );
    });
    await this.units(async (m) => {
      // The article of comments staged before it existed (or before their thread).
      await sql(
        m,
        `UPDATE import_staged_comments c SET article_id = t.article_id FROM import_staged_threads t
         WHERE c.job_id = $1 AND c.article_id IS NULL AND t.job_id = $1 AND t.source_id = c.thread_source_id
           AND t.article_id IS NOT NULL`,
        [this.jobId],
      );
      // A deleted comment stays, as a tombstone, while something under it is imported.
      for (;;) {
        const kept = await sql(
          m,
          `UPDATE import_staged_comments d SET keep = true
           WHERE d.job_id = $1 AND d.deleted AND NOT d.keep AND NOT d.done AND d.article_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM import_staged_comments c WHERE c.job_id = $1 AND c.parent_source_id = d.source_id
                           AND c.article_id = d.article_id AND (NOT c.deleted OR c.keep))`,
          [this.jobId],
        );
        if (kept.rowCount === 0) break;
      }
      const { rows: left } = await sql<{ why: string; n: number }>(
        m,
        `WITH skipped AS (
           UPDATE import_staged_comments SET done = true
           WHERE job_id = $1 AND NOT done AND (article_id IS NULL OR (deleted AND NOT keep))
           RETURNING article_id IS NULL AS no_thread)
         SELECT CASE WHEN no_thread THEN 'threadSkipped' ELSE 'deleted' END AS why, count(*)::int AS n
         FROM skipped GROUP BY 1`,
        [this.jobId],
      );
      for (const { why, n } of left) counts.comments.skipped[why as 'deleted' | 'threadSkipped'] += n;
      const users = await sql(
        m,
        `INSERT INTO users (id, name)
         SELECT DISTINCT ON (author_id) author_id, author_name FROM import_staged_comments c
         WHERE job_id = $1 AND NOT done AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.author_id)
         ORDER BY author_id, seq DESC
         ON CONFLICT (id) DO NOTHING`,
        [this.jobId],
      );
      counts.users.created = users.rowCount;
      // The file's articles: all of them are recounted after a run that died before its recount.
      const { rows: articles } = await sql<{ article_id: string }>(
        m,
        `SELECT DISTINCT article_id FROM import_staged_comments WHERE job_id = $1 AND article_id IS NOT NULL ORDER BY 1`,
        [this.jobId],
      );
      counts.threads.articlesMatched = articles.length - counts.threads.articlesCreated;
      this.fileArticles = articles.map((r) => r.article_id);
    });
  }

  /**
   * Inserts the next batch of comments whose parent is in place (inserted, or not to be): parents
   * always go before their replies. A reply whose parent never comes is inserted top-level. When
   * only cycles remain (each the other's parent), they go in top-level too. Each comment comes
   * with the count of its listed replies still to come, so that the recount that follows finds
   * next to nothing to write (a row rewritten is a row reindexed, full-text indexes included).
   */
  async insertBatch(): Promise<boolean> {
    let inserted = await this.units((m) => this.insertReady(m, false));
    if (inserted === 0) inserted = await this.units((m) => this.insertReady(m, true));
    return inserted > 0;
  }

  private async insertReady(manager: EntityManager, anyParent: boolean): Promise<number> {
    const {
      rows: [r],
    } = await sql<{
      marked: number;
      inserted: number;
      approved: number;
      pending: number;
      rejected: number;
      tombstones: number;
      top_level: number;
      articles: string[];
    }>(
      manager,
      `WITH ready AS (
         SELECT c.source_id FROM import_staged_comments c
         WHERE c.job_id = $1 AND NOT c.done
           AND ($4 OR c.parent_source_id IS NULL OR NOT EXISTS (
             SELECT 1 FROM import_staged_comments q WHERE q.job_id = $1 AND q.source_id = c.parent_source_id AND NOT q.done))
         ORDER BY c.seq LIMIT $3),
       marked AS (
         UPDATE import_staged_comments c SET done = true FROM ready r WHERE c.job_id = $1 AND c.source_id = r.source_id
         RETURNING c.*),
       inserted AS (
         INSERT INTO comments (article_id, parent_id, author_id, body, status, created_at, deleted_at, source, source_id,
                               reply_count)
         SELECT m.article_id, p.id, m.author_id, m.body, m.status, m.created_at,
                CASE WHEN m.deleted THEN m.created_at END, $2, m.source_id,
                (SELECT count(*) FROM import_staged_comments k
                 WHERE k.job_id = $1 AND k.parent_source_id = m.source_id AND k.article_id = m.article_id
                   AND NOT k.done AND k.status = 'approved' AND (NOT k.deleted OR k.keep))
         FROM marked m LEFT JOIN comments p ON p.source = $2 AND p.source_id = m.parent_source_id AND p.article_id = m.article_id
         ORDER BY m.seq
         ON CONFLICT (source, source_id) DO NOTHING
         RETURNING source_id, status, parent_id, deleted_at, article_id)
       SELECT (SELECT count(*) FROM marked)::int AS marked,
              count(i.source_id)::int AS inserted,
              count(*) FILTER (WHERE i.deleted_at IS NULL AND i.status = 'approved')::int AS approved,
              count(*) FILTER (WHERE i.deleted_at IS NULL AND i.status = 'pending')::int AS pending,
              count(*) FILTER (WHERE i.deleted_at IS NULL AND i.status = 'rejected')::int AS rejected,
              count(*) FILTER (WHERE i.deleted_at IS NOT NULL)::int AS tombstones,
              count(*) FILTER (WHERE i.parent_id IS NULL AND m.parent_source_id IS NOT NULL)::int AS top_level,
              COALESCE(array_agg(DISTINCT i.article_id), '{}') AS articles
       FROM inserted i JOIN marked m ON m.source_id = i.source_id`,
      [this.jobId, this.source, this.batchSize, anyParent],
    );
    const c = this.state.counts.comments;
    c.imported += r.inserted;
    c.alreadyImported += r.marked - r.inserted;
    c.approved += r.approved;
    c.pending += r.pending;
    c.rejected += r.rejected;
    c.tombstones += r.tombstones;
    c.madeTopLevel += r.top_level;
    for (const id of r.articles) this.changedArticles.add(id);
    return r.marked;
  }
}
