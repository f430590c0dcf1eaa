import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { escapeLike } from '../common/text';
import { decodeCursor, toPage } from '../common/pagination';
import { pickReplica, readOnReplica, sql, SqlOptions } from '../database/sql';
import { BatchedLookup } from '../database/batched-lookup';
import { rawToEntity } from '../database/raw-entity';
import { AppError } from '../errors/app-error';
import { ModerationSettings } from '../settings/moderation-settings.entity';
import { SettingsService } from '../settings/settings.service';
import { Article } from './article.entity';
import { lookupCandidates, urlPolicy } from './article-url';
import { scheduledCloseSql } from './closing';
import { ListArticlesQueryDto } from './dto/article.dto';

export interface ArticleWithSettings {
  article: Article;
  settings: ModerationSettings;
}

/** Articles as stored: found by id or URL, listed, read for threads, and locked for a unit of work. */
@Injectable()
export class ArticlesService {
  /** Article reads outside transactions, batched per pool (the primary's, or a replica's). */
  private readonly lookups = new Map<Pool | undefined, BatchedLookup<Article>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
  ) {}

  /**
   * `from: { replica: true }` for anonymous readers only: everyone else reads their writes on the
   * primary. Reads take the settings (closing message, automatic closing) from the short cache.
   */
  async findById(id: string, from: SqlOptions = {}): Promise<ArticleWithSettings> {
    if (from.replica === true) return readOnReplica(this.dataSource, (on) => this.findById(id, on));
    const article = await this.read(id, from);
    if (!article) throw AppError.notFound('The article');
    return { article, settings: await this.settings.cached(article.siteId) };
  }

  /**
   * The article at `url` in any of its forms (see lookupCandidates). `from: { replica: true }` for
   * anonymous readers only, as findById.
   */
  async findByUrl(
    siteId: number,
    url: string,
    from: SqlOptions = {},
  ): Promise<{ articles: Article[]; settings: ModerationSettings }> {
    if (from.replica === true) return readOnReplica(this.dataSource, (on) => this.findByUrl(siteId, url, on));
    const settings = await this.settings.cached(siteId);
    const candidates = lookupCandidates(url, urlPolicy(settings));
    return { articles: await this.stored(this.dataSource, siteId, candidates, from), settings };
  }

  /** The site's article stored under the first of `urls` that one is stored under. */
  async stored(
    on: EntityManager | DataSource,
    siteId: number,
    urls: string[],
    from: SqlOptions = {},
  ): Promise<Article[]> {
    const { rows } = await sql(
      on,
      `SELECT * FROM articles WHERE site_id = $1 AND url = ANY($2::text[])
       ORDER BY array_position($2::text[], url) LIMIT 1`,
      [siteId, urls],
      from,
    );
    return rows.map((row) => rawToEntity(this.dataSource.manager, Article, row));
  }

  /** Moderators' list, newest first; `closed` filters on the effective state, schedules included. */
  async list(siteId: number, query: ListArticlesQueryDto) {
    const settings = await this.settings.current(siteId);
    const qb = this.dataSource.manager.createQueryBuilder(Article, 'a').where('a.site_id = :siteId', { siteId });
    const after = decodeCursor('articles', query.cursor);
    if (after) qb.andWhere('(a.created_at, a.id) < (:t, :id)', { t: after.createdAt, id: after.id });
    if (query.q !== undefined) {
      qb.andWhere('(a.title ILIKE :fragment OR a.url ILIKE :fragment)', { fragment: `%${escapeLike(query.q)}%` });
    }
    if (query.closed !== undefined) {
      const closedSql = `(a.closed_at IS NOT NULL OR COALESCE(${scheduledCloseSql('a', ':days')} <= now(), false))`;
      qb.andWhere(query.closed === 'true' ? closedSql : `NOT ${closedSql}`, { days: settings.autoCloseAfterDays });
    }
    const rows = await qb
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(query.limit + 1)
      .getMany();
    return { ...toPage('articles', rows, query.limit), settings };
  }

  /**
   * Locks the article row for the rest of the transaction. Every unit of work that changes an
   * article or its comments takes this lock first, which orders the locks and keeps counts exact.
   * Taking it bumps the thread version, which retires every cached page of the thread.
   */
  async lock(manager: EntityManager, id: string): Promise<ArticleWithSettings> {
    // One round trip for the lock and the settings that govern the article (article_settings()).
    const { rows } = await sql(
      manager,
      `WITH locked AS (UPDATE articles SET thread_version = thread_version + 1 WHERE id = $1 RETURNING *)
       SELECT locked.*, to_jsonb(s) AS settings_row FROM locked, article_settings($1) s`,
      [id],
    );
    if (!rows[0]) throw AppError.notFound('The article');
    return {
      article: rawToEntity(manager, Article, rows[0]),
      settings: this.settings.fromRow(rows[0].settings_row as Record<string, unknown>),
    };
  }

  /**
   * The article as stored now, read with a prepared statement (the hot path of every thread read);
   * as a replica has it, for anonymous readers (`from`).
   */
  async read(id: string, from: SqlOptions = {}): Promise<Article | null> {
    const replica = from.replica === true ? pickReplica(this.dataSource) : from.replica || undefined;
    let lookup = this.lookups.get(replica?.pool);
    if (!lookup) {
      lookup = new BatchedLookup(async (batch) => {
        const { rows } = await sql<{ id: string }>(
          this.dataSource,
          'SELECT * FROM articles WHERE id = ANY($1::uuid[])',
          [[...batch.keys()]],
          { replica },
        );
        return new Map(rows.map((row) => [row.id, [rawToEntity(this.dataSource.manager, Article, row)]]));
      });
      this.lookups.set(replica?.pool, lookup);
    }
    return (await lookup.get(id)) ?? null;
  }
}
