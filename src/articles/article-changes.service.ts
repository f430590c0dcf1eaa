import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { mustHold } from '../auth/site-access';
import { Environment } from '../config/environment';
import { rawToEntity } from '../database/raw-entity';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { PG, pgCode, pgConstraint } from '../errors/pg-errors';
import { ModerationLog } from '../journal/moderation-log.service';
import { takeToken } from '../rate-limits/token-buckets';
import { ModerationSettings } from '../settings/moderation-settings.entity';
import { SettingsService } from '../settings/settings.service';
import { DEFAULT_SITE_ID } from '../sites/site.entity';
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
import { ArticlesService, ArticleWithSettings } from './articles.service';
import { closingState } from './closing';
import { CreateArticleDto, ResolveArticleDto, UpdateArticleDto } from './dto/article.dto';

/** Creating, changing, closing and reopening articles, each change logged and announced to live readers. */
@Injectable()
export class ArticleChanges {
  constructor(
    private readonly transactions: Transactions,
    private readonly articles: ArticlesService,
    private readonly settings: SettingsService,
    private readonly log: ModerationLog,
    private readonly events: ArticleAnnouncer,
    private readonly env: Environment,
  ) {}

  /** One normalized URL is one article: a url that is another form of a stored one is a 409 too. */
  async create(siteId: number, dto: CreateArticleDto, actor: AuthUser): Promise<ArticleWithSettings> {
    mustHold(actor, siteId, 'moderator');
    return this.transactions.run(async (manager) => {
      const settings = await this.settings.current(siteId, manager);
      const url = normalized(dto.url, settings);
      if ((await this.articles.stored(manager, siteId, lookupCandidates(dto.url, urlPolicy(settings)))).length > 0)
        throw AppError.conflict('An article with this url already exists');
      const article = manager.create(Article, {
        siteId,
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
   * The article at `url`, or a new one when the settings allow automatic creation under a prefix
   * of its normalized form: one article per normalized URL whatever the number of first readers at
   * once (the unique url and ON CONFLICT DO NOTHING), logged as created by the system. Creations,
   * not lookups, count against the client address's limit and the site's hourly cap.
   */
  async findOrCreateByUrl(
    siteId: number,
    dto: ResolveArticleDto,
    address: string,
  ): Promise<ArticleWithSettings & { created: boolean }> {
    const found = await this.articles.findByUrl(siteId, dto.url);
    if (found.articles[0]) return { article: found.articles[0], settings: found.settings, created: false };
    if (!creatable(normalized(dto.url, found.settings), found.settings)) throw AppError.notFound('The article');
    return this.transactions.run(async (manager) => {
      const settings = await this.settings.current(siteId, manager);
      const url = normalized(dto.url, settings);
      if (!creatable(url, settings)) throw AppError.notFound('The article');
      const inserted = await sql(
        manager,
        `INSERT INTO articles (site_id, url, title, moderation_mode, disclaimer_text) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (site_id, url) DO NOTHING RETURNING *`,
        [siteId, url, dto.title, settings.defaultModerationMode, settings.defaultDisclaimerText],
      );
      if (inserted.rows[0]) {
        await this.countCreation(manager, siteId, settings, address);
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
      const { rows } = await sql(manager, 'SELECT * FROM articles WHERE site_id = $1 AND url = $2', [siteId, url]);
      return { article: rawToEntity(manager, Article, rows[0]), settings, created: false };
    });
  }

  /** Takes a creation from the address's and the site's buckets, or refuses it (and the transaction rolls back). */
  private async countCreation(
    manager: EntityManager,
    siteId: number,
    settings: ModerationSettings,
    address: string,
  ): Promise<void> {
    if (this.env.RATE_LIMITS === 'off') return;
    const perAddress = settings.rateLimits.createArticle;
    // (The first site's bucket keeps its name from before sites.)
    const siteKey = siteId === DEFAULT_SITE_ID ? 'createArticle:site' : `createArticle:site:${siteId}`;
    const refused = await takeToken(manager, [
      { key: `createArticle:${address}`, limit: perAddress.limit, perSeconds: perAddress.perSeconds },
      { key: siteKey, limit: settings.articleCreationsPerHour, perSeconds: 3600 },
    ]);
    if (!refused) return;
    const whose = refused.empty.key === siteKey ? 'on this site this hour' : 'from this address';
    throw AppError.rateLimited(
      `Too many articles created ${whose}; try again in ${refused.retryAfterSeconds} s`,
      refused.retryAfterSeconds,
    );
  }

  async update(id: string, dto: UpdateArticleDto, actor: AuthUser): Promise<ArticleWithSettings> {
    return this.transactions.run(
      async (manager) => {
        const { article, settings } = await this.articles.lock(manager, id);
        mustHold(actor, article.siteId, 'moderator', 'The article');
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
        const { article, settings } = await this.articles.lock(manager, id);
        mustHold(actor, article.siteId, 'moderator', 'The article');
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
        const { article, settings } = await this.articles.lock(manager, id);
        mustHold(actor, article.siteId, 'moderator', 'The article');
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
