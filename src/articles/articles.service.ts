import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { Environment } from '../config/environment';
import { escapeLike } from '../common/text';
import { decodeCursor, toPage } from '../common/pagination';
import { PG, pgCode, pgConstraint } from '../errors/pg-errors';
import { pickReplica, readOnReplica, sql, SqlOptions } from '../database/sql';
import { BatchedLookup } from '../database/batched-lookup';
import { rawToEntity } from '../database/raw-entity';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import { ModerationSettings } from '../settings/moderation-settings.entity';
import { SettingsService } from '../settings/settings.service';
import { takeToken } from '../rate-limits/token-buckets';
import { ArticleAnnouncer } from './article-announcer';
import { Article } from './article.entity';
import {
  ArticleUrlError,
  isUnderPrefix,
  lookupCandidates,
  normalizeArticleUrl,
  readsAlikeEverywhere,
  urlPolicy,
} from './article-url';
import { closingState, scheduledCloseSql } from './closing';
import { CreateArticleDto, ListArticlesQueryDto, ResolveArticleDto, UpdateArticleDto } from './dto/article.dto';

export interface ArticleWithSettings {
  article: Article;
  settings: ModerationSettings;
}

@Injectable()
export class ArticlesService {
  /** Article reads outside transactions, batched per pool (the primary's, or a replica's). */
  private readonly lookups = new Map<Pool | undefined, BatchedLookup<Article>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly settings: SettingsService,
    private readonly log: ModerationLog,
    private readonly events: ArticleAnnouncer,
    private readonly env: Environment,
  ) {}

  /** One normalized URL is one article: a url that is another form of a stored one is a 409 too. */
  async create(dto: CreateArticleDto, actor: AuthUser): Promise<ArticleWithSettings> {
    return this.transactions.run(async (manager) => {
      const settings = await this.settings.current(manager);
      const url = normalized(dto.url, settings);
      if ((await this.stored(manager, lookupCandidates(dto.url, urlPolicy(settings)))).length > 0)
        throw AppError.conflict('An article with this url already exists');
      const article = manager.create(Article, {
        url,
        title: dto.title,
        externalId: dto.externalId ?? null,
        moderationMode: dto.moderationMode ?? settings.defaultModerationMode,
        closeAt: dto.closeAt ?? null,
        disclaimerText: settings.defaultDisclaimerText,
      });
      try {
        await manager.insert(Article, article);
      } catch (error) {
        if (pgCode(error) === PG.UNIQUE_VIOLATION) {
          const field = pgConstraint(error) === 'UQ_articles_external_id' ? 'externalId' : 'url';
          throw AppError.conflict(`An article with this ${field} already exists`);
        }
        throw error;
      }
      const saved = await manager.findOneByOrFail(Article, { id: article.id });
      await this.log.record(manager, {
        action: 'create_article',
        actor,
        targetType: 'article',
        targetId: saved.id,
        articleId: saved.id,
      });
      return { article: saved, settings };
    });
  }

  /**
   * `from: { replica: true }` for anonymous readers only: everyone else reads their writes on the
   * primary. Reads take the settings (closing message, automatic closing) from the short cache.
   */
  async findById(id: string, from: SqlOptions = {}): Promise<ArticleWithSettings> {
    if (from.replica === true) return readOnReplica(this.dataSource, (on) => this.findById(id, on));
    const [article, settings] = await Promise.all([this.read(id, from), this.settings.cached()]);
    if (!article) throw AppError.notFound('The article');
    return { article, settings };
  }

  /**
   * The article at `url` in any of its forms (see lookupCandidates). `from: { replica: true }` for
   * anonymous readers only, as findById.
   */
  async findByUrl(url: string, from: SqlOptions = {}): Promise<{ articles: Article[]; settings: ModerationSettings }> {
    if (from.replica === true) return readOnReplica(this.dataSource, (on) => this.findByUrl(url, on));
    const settings = await this.settings.cached();
    return { articles: await this.stored(this.dataSource, lookupCandidates(url, urlPolicy(settings)), from), settings };
  }

  /** The article stored under the first of `urls` that one is stored under. */
  private async stored(on: EntityManager | DataSource, urls: string[], from: SqlOptions = {}): Promise<Article[]> {
    const { rows } = await sql(
      on,
      'SELECT * FROM articles WHERE url = ANY($1::text[]) ORDER BY array_position($1::text[], url) LIMIT 1',
      [urls],
      from,
    );
    return rows.map((row) => rawToEntity(this.dataSource.manager, Article, row));
  }

  /**
   * The article at `url`, or a new one when the settings allow automatic creation under a prefix
   * of its normalized form: one article per normalized URL whatever the number of first readers at
   * once (the unique url and ON CONFLICT DO NOTHING), logged as created by the system. Creations,
   * not lookups, count against the client address's limit and the site's hourly cap.
   */
  async findOrCreateByUrl(
    dto: ResolveArticleDto,
    address: string,
  ): Promise<ArticleWithSettings & { created: boolean }> {
    const found = await this.findByUrl(dto.url);
    if (found.articles[0]) return { article: found.articles[0], settings: found.settings, created: false };
    if (!creatable(normalized(dto.url, found.settings), found.settings)) throw AppError.notFound('The article');
    return this.transactions.run(async (manager) => {
      const settings = await this.settings.current(manager);
      const url = normalized(dto.url, settings);
      if (!creatable(url, settings)) throw AppError.notFound('The article');
      const inserted = await sql(
        manager,
        `INSERT INTO articles (url, title, moderation_mode, disclaimer_text) VALUES ($1, $2, $3, $4)
         ON CONFLICT (url) DO NOTHING RETURNING *`,
        [url, dto.title, settings.defaultModerationMode, settings.defaultDisclaimerText],
      );
      if (inserted.rows[0]) {
        await this.countCreation(manager, settings, address);
        const article = rawToEntity(manager, Article, inserted.rows[0]);
        await this.log.record(manager, {
          action: 'create_article',
          actor: null,
          targetType: 'article',
          targetId: article.id,
          articleId: article.id,
          reason: 'created by the embed on its first read (articleAutoCreatePrefixes)',
        });
        return { article, settings, created: true };
      }
      const { rows } = await sql(manager, 'SELECT * FROM articles WHERE url = $1', [url]);
      return { article: rawToEntity(manager, Article, rows[0]), settings, created: false };
    });
  }

  /** Takes a creation from the address's and the site's buckets, or refuses it (and the transaction rolls back). */
  private async countCreation(manager: EntityManager, settings: ModerationSettings, address: string): Promise<void> {
    if (this.env.RATE_LIMITS === 'off') return;
    const perAddress = settings.rateLimits.createArticle;
    const refused = await takeToken(manager, [
      { key: `createArticle:${address}`, limit: perAddress.limit, perSeconds: perAddress.perSeconds },
      { key: 'createArticle:site', limit: settings.articleCreationsPerHour, perSeconds: 3600 },
    ]);
    if (!refused) return;
    const whose = refused.empty.key === 'createArticle:site' ? 'on this site this hour' : 'from this address';
    throw AppError.rateLimited(
      `Too many articles created ${whose}; try again in ${refused.retryAfterSeconds} s`,
      refused.retryAfterSeconds,
    );
  }

  /** Moderators' list, newest first; `closed` filters on the effective state, schedules included. */
  async list(query: ListArticlesQueryDto) {
    const settings = await this.settings.current();
    const qb = this.dataSource.manager.createQueryBuilder(Article, 'a');
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

  async update(id: string, dto: UpdateArticleDto, actor: AuthUser): Promise<ArticleWithSettings> {
    return this.transactions.run(
      async (manager) => {
        const { article, settings } = await this.lock(manager, id);
        const entry = { actor, targetType: 'article' as const, targetId: id, articleId: id };
        if (dto.title !== undefined) article.title = dto.title;
        if (dto.moderationMode !== undefined && dto.moderationMode !== article.moderationMode) {
          await this.log.record(manager, {
            ...entry,
            action: 'change_mode',
            fromStatus: article.moderationMode,
            toStatus: dto.moderationMode,
          });
          article.moderationMode = dto.moderationMode;
        }
        if (dto.closeAt !== undefined && dto.closeAt?.getTime() !== article.closeAt?.getTime()) {
          await this.log.record(manager, {
            ...entry,
            action: 'schedule_close',
            reason: dto.closeAt ? `closes at ${dto.closeAt.toISOString()}` : 'schedule removed',
          });
          article.closeAt = dto.closeAt;
        }
        const disclaimer = dto.disclaimer;
        if (disclaimer) {
          const show = disclaimer.show === undefined ? article.disclaimerShow : disclaimer.show;
          const text = disclaimer.text ?? article.disclaimerText;
          if (show !== article.disclaimerShow || text !== article.disclaimerText) {
            await this.log.record(manager, {
              ...entry,
              action: 'change_disclaimer',
              reason: `show: ${show === null ? 'auto' : show}; text: ${text}`,
            });
            article.disclaimerShow = show;
            article.disclaimerText = text;
          }
        }
        const saved = await manager.save(article);
        await this.events.announceArticle(manager, saved, settings);
        return { article: saved, settings };
      },
      { article: id },
    );
  }

  /** Closing a closed article changes nothing. */
  async close(id: string, message: string | undefined, actor: AuthUser): Promise<ArticleWithSettings> {
    return this.transactions.run(
      async (manager) => {
        const { article, settings } = await this.lock(manager, id);
        if (closingState(article, settings).closed) return { article, settings };
        article.closedAt = new Date();
        article.closedMessage = message ?? settings.defaultClosedMessage;
        const saved = await manager.save(article);
        await this.log.record(manager, {
          action: 'close',
          actor,
          targetType: 'article',
          targetId: id,
          articleId: id,
          reason: article.closedMessage,
        });
        await this.events.announceArticle(manager, saved, settings);
        return { article: saved, settings };
      },
      { article: id },
    );
  }

  /** Reopening also lifts a passed closeAt and exempts the article from the settings' automatic closing. */
  async reopen(id: string, actor: AuthUser): Promise<ArticleWithSettings> {
    return this.transactions.run(
      async (manager) => {
        const { article, settings } = await this.lock(manager, id);
        if (!closingState(article, settings).closed) return { article, settings };
        article.closedAt = null;
        article.closedMessage = null;
        if (article.closeAt && article.closeAt <= new Date()) article.closeAt = null;
        article.autoCloseExempt = true;
        const saved = await manager.save(article);
        await this.log.record(manager, { action: 'reopen', actor, targetType: 'article', targetId: id, articleId: id });
        await this.events.announceArticle(manager, saved, settings);
        return { article: saved, settings };
      },
      { article: id },
    );
  }

  /**
   * Locks the article row for the rest of the transaction. Every unit of work that changes an
   * article or its comments takes this lock first, which orders the locks and keeps counts exact.
   * Taking it bumps the thread version, which retires every cached page of the thread.
   */
  async lock(manager: EntityManager, id: string): Promise<ArticleWithSettings> {
    // One round trip for the lock and the settings that the unit of work decides with.
    const { rows } = await sql(
      manager,
      `WITH locked AS (UPDATE articles SET thread_version = thread_version + 1 WHERE id = $1 RETURNING *)
       SELECT locked.*, to_jsonb(s) AS settings_row FROM locked, moderation_settings s WHERE s.id = 1`,
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

/** `url` in its stored form under the settings; 400 for what cannot be an article's URL. */
function normalized(url: string, settings: ModerationSettings): string {
  try {
    return normalizeArticleUrl(url, urlPolicy(settings));
  } catch (error) {
    if (error instanceof ArticleUrlError)
      throw AppError.validation(error.message, [{ field: 'url', messages: [error.message] }]);
    throw error;
  }
}

/** Whether an embed may create the article at the normalized `url`. */
const creatable = (url: string, settings: ModerationSettings): boolean =>
  readsAlikeEverywhere(url) && settings.articleAutoCreatePrefixes.some((prefix) => isUnderPrefix(url, prefix));
