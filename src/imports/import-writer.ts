import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import { ImportFormat } from './import-job.entity';
import { ImportSite } from './import-jobs';
import { addProblem, ImportState, Units } from './import-state';

/** From the staging tables to articles, users and comments. */
export class ImportWriter {
  /** Every article the file's comments belong to, those imported earlier included. */
  fileArticles: string[] = [];
  /** The articles this run inserted comments into: those whose counts it changed. */
  readonly changedArticles = new Set<string>();

  constructor(
    private readonly jobId: string,
    private readonly site: ImportSite,
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
         INSERT INTO articles (site_id, url, title, moderation_mode, disclaimer_text, created_at, closed_at, closed_message)
         SELECT s.id, w.url, COALESCE(NULLIF(w.title, ''), w.url), s.default_moderation_mode, s.default_disclaimer_text,
                COALESCE(w.created_at, now()), CASE WHEN w.closed THEN now() END,
                CASE WHEN w.closed THEN s.default_closed_message END
         FROM wanted w CROSS JOIN moderation_settings s
         WHERE s.id = $2
         ON CONFLICT (site_id, url) DO NOTHING`,
        [this.jobId, this.site.id],
      );
      counts.threads.articlesCreated = created.rowCount;
      await sql(
        m,
        `UPDATE import_staged_threads t SET article_id = a.id FROM articles a
         WHERE t.job_id = $1 AND t.skip IS NULL AND a.site_id = $2 AND a.url = t.url`,
        [this.jobId, this.site.id],
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
      await this.skipOtherSitesUsers(m);
      const users = await sql(
        m,
        `INSERT INTO users (id, name, site_id)
         SELECT DISTINCT ON (author_id) author_id, author_name, $2 FROM import_staged_comments c
         WHERE job_id = $1 AND NOT done AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.author_id)
         ORDER BY author_id, seq DESC
         ON CONFLICT (id) DO NOTHING`,
        [this.jobId, this.site.id],
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
   * A user belongs to one site for good: the comments of an author whose id is another site's
   * user are left out, each such author a problem, rather than given to that user.
   */
  private async skipOtherSitesUsers(m: EntityManager): Promise<void> {
    const { rows } = await sql<{ author_id: string; n: number }>(
      m,
      `WITH skipped AS (
         UPDATE import_staged_comments c SET done = true FROM users u
         WHERE c.job_id = $1 AND NOT c.done AND u.id = c.author_id AND u.site_id <> $2
         RETURNING c.author_id)
       SELECT author_id, count(*)::int AS n FROM skipped GROUP BY 1 ORDER BY 1`,
      [this.jobId, this.site.id],
    );
    if (rows.length === 0) return;
    const skipped = this.state.counts.comments.skipped;
    for (const { author_id, n } of rows) {
      skipped.otherSiteUser = (skipped.otherSiteUser ?? 0) + n;
      addProblem(this.state, {
        message: `user ${author_id} is another site's user: their ${n} comments are skipped`,
      });
    }
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
