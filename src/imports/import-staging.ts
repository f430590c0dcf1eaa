import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EntityManager } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { ArticleUrlPolicy, normalizeArticleUrl } from '../articles/article-url';
import { withoutBidiControls } from '../common/text';
import { userIdOf } from '../sites/site-users';
import { sql } from '../database/sql';
import { DEFAULT_SITE_ID } from '../sites/site.entity';
import { ImportSink, SourceComment, SourceThread } from './formats/records';
import { ImportCounts } from './import-counts';
import { ImportFormat } from './import-job.entity';
import { ImportSite } from './import-jobs';
import { addProblem, ImportState } from './import-state';
import { bodyProblems, titleProblems } from './import-validation';

/** What the format's reader finds, buffered, then written to the staging tables one batch at a time. */
export class Staging implements ImportSink {
  private threads: SourceThread[] = [];
  private comments: SourceComment[] = [];
  private seq = 0;
  private chars = 0;
  private urlPolicy?: ArticleUrlPolicy;

  constructor(
    private readonly jobId: string,
    private readonly state: ImportState,
    private readonly options: { format: ImportFormat; dryRun?: boolean; site: ImportSite },
  ) {}

  /**
   * An id of the file as the site stores it: its users' ids as its login makes them (so that an
   * imported commenter who signs in later is the same user), and its comments' source ids alike
   * (so that one file imported into two sites gives each its own comments).
   */
  private ofSite(id: string): string {
    return userIdOf(this.options.site, id);
  }

  get pending(): number {
    return this.threads.length + this.comments.length;
  }

  /** Characters of the texts waiting in the batch. */
  get pendingChars(): number {
    return this.chars;
  }

  /** The API's rules apply: a title it would refuse is left out (the article is named by its URL). */
  thread(thread: SourceThread): void {
    this.state.counts.threads.read++;
    if (thread.skip === 'deleted') this.state.counts.threads.skippedDeleted++;
    if (thread.skip === 'no_url') this.state.counts.threads.skippedNoUrl++;
    const problems = thread.title === null ? [] : titleProblems(thread.title);
    if (problems.length > 0) {
      this.problem(0, `thread ${thread.sourceId}: its title is left out: ${problems.join('; ')}`);
      thread = { ...thread, title: null };
    }
    this.chars += (thread.url?.length ?? 0) + (thread.title?.length ?? 0);
    this.threads.push(thread);
  }

  /** The API's rules apply: a body it would refuse is skipped (`invalid`). */
  comment(comment: SourceComment): void {
    const problems = bodyProblems(comment.body);
    if (problems.length > 0) {
      this.problem(comment.line, `comment ${comment.sourceId} is skipped: ${problems.join('; ')}`);
      return this.skipped('invalid');
    }
    this.state.counts.comments.read++;
    if (comment.authorName !== null) comment = { ...comment, authorName: withoutBidiControls(comment.authorName) };
    if (this.options.site.id !== DEFAULT_SITE_ID) {
      comment = {
        ...comment,
        sourceId: this.ofSite(comment.sourceId),
        parentSourceId: comment.parentSourceId === null ? null : this.ofSite(comment.parentSourceId),
        authorId: this.ofSite(comment.authorId),
      };
    }
    this.chars += comment.body.length + (comment.authorName?.length ?? 0);
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
    this.names.set(this.ofSite(id), name);
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
    const policy = (this.urlPolicy ??= await articleUrlPolicy(manager, this.options.site.id));
    const threads = this.threads.map((t) => withStoredUrl(t, policy));
    const comments = this.comments;
    this.threads = [];
    this.comments = [];
    this.chars = 0;
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
        {
          jobId: this.jobId,
          source: this.options.format,
          dryRun: this.options.dryRun ?? false,
          siteId: this.options.site.id,
        },
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
  staging: { jobId: string; source: ImportFormat; dryRun: boolean; siteId: number },
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
       LEFT JOIN LATERAL (SELECT a.id FROM import_staged_threads t JOIN articles a ON a.site_id = $3 AND a.url = t.url
                          WHERE t.job_id = $1 AND t.source_id = k.thread_source_id AND t.skip IS NULL LIMIT 1) a ON true
       LEFT JOIN LATERAL (SELECT true AS done FROM comments x
                          WHERE x.source = $2 AND x.source_id = k.source_id LIMIT 1) x ON true
       ORDER BY k.seq
       ON CONFLICT (job_id, source_id) DO NOTHING
       RETURNING done)
     SELECT count(*)::int AS staged, count(*) FILTER (WHERE done)::int AS already FROM staged`,
    [staging.jobId, staging.source, staging.siteId],
  );
  // A dry run is one transaction, never committed: emptied by hand.
  if (staging.dryRun) await client.query(`TRUNCATE import_copied_comments`);
  return r;
}

/** The site's rule for which URLs name one article, as the API applies it to articles it makes there. */
async function articleUrlPolicy(manager: EntityManager, siteId: number): Promise<ArticleUrlPolicy> {
  const { rows } = await sql<{ queryParams: string[]; trailingSlash: ArticleUrlPolicy['trailingSlash'] }>(
    manager,
    `SELECT article_url_query_params AS "queryParams", article_url_trailing_slash AS "trailingSlash"
     FROM moderation_settings WHERE id = $1`,
    [siteId],
  );
  return rows[0];
}

/** A thread's URL in the form the API stores it, so that an import and a reader's embed find one article. */
function withStoredUrl(thread: SourceThread, policy: ArticleUrlPolicy): SourceThread {
  if (thread.url === null) return thread;
  try {
    return { ...thread, url: normalizeArticleUrl(thread.url, policy) };
  } catch {
    return { ...thread, url: null, skip: thread.skip ?? 'no_url' };
  }
}
