import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { ModerationLog } from '../journal/moderation-log.service';
import { SettingsService } from '../settings/settings.service';
import { scheduledCloseSql } from './closing';
import { rawToEntity } from '../database/raw-entity';
import { sql } from '../database/sql';
import { ArticleAnnouncer } from './article-announcer';
import { Article } from './article.entity';

const SWEEP_EVERY_MS = 30_000;
const SWEEP_LOCK_KEY = 7_305_118_343;

/**
 * Writes a log entry by the system, and tells live readers, when an article's schedule (closeAt,
 * autoCloseAfterDays) has closed it. Whether an article is closed is always derived from the schedule at the moment of
 * asking, so moving closeAt later reopens it whether or not this sweep has run.
 */
@Injectable()
export class ClosingSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClosingSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly transactions: Transactions,
    private readonly settings: SettingsService,
    private readonly log: ModerationLog,
    private readonly events: ArticleAnnouncer,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => this.sweep().catch((e) => this.logger.warn(`sweep failed: ${e.message}`)),
      SWEEP_EVERY_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Logs the scheduled closings not logged yet; one instance at a time. Returns the article ids. */
  async sweep(): Promise<string[]> {
    return this.transactions.run(async (manager) => {
      const {
        rows: [{ locked }],
      } = await sql<{ locked: boolean }>(manager, `SELECT pg_try_advisory_xact_lock($1) AS locked`, [SWEEP_LOCK_KEY]);
      if (!locked) return [];
      // Each article by its own site's autoCloseAfterDays.
      const scheduled = scheduledCloseSql('a', 's.auto_close_after_days');
      const { rows } = await sql<Record<string, unknown> & { id: string; by_close_at: boolean }>(
        manager,
        `UPDATE articles a SET schedule_close_logged_at = ${scheduled}, thread_version = thread_version + 1
         FROM moderation_settings s
         WHERE s.id = a.site_id AND a.closed_at IS NULL AND ${scheduled} <= now()
           AND a.schedule_close_logged_at IS DISTINCT FROM ${scheduled}
         RETURNING a.*, a.close_at IS NOT DISTINCT FROM a.schedule_close_logged_at AS by_close_at`,
      );
      for (const row of rows) {
        const article = rawToEntity(manager, Article, row);
        const settings = await this.settings.current(article.siteId, manager);
        await this.events.announceArticle(manager, article, settings);
        await this.log.record(manager, {
          action: 'close',
          actor: null,
          targetType: 'article',
          targetId: row.id,
          articleId: row.id,
          reason: row.by_close_at ? 'its closeAt time passed' : `open for ${settings.autoCloseAfterDays} days`,
        });
      }
      return rows.map((r) => r.id);
    });
  }
}
