import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { Observable, Subject } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import type { Article } from '../articles/article.entity';
import { ThreadArticleView } from '../articles/article.view';
import { Environment } from '../config/environment';
import { sql } from '../database/sql';
import type { ModerationSettings } from '../settings/moderation-settings.entity';

export const THREAD_EVENT_TYPES = [
  'comment.created',
  'comment.edited',
  'comment.published',
  'comment.hidden',
  'comment.deleted',
  'article.updated',
] as const;
export type ThreadEventType = (typeof THREAD_EVENT_TYPES)[number];

export interface LiveEvent {
  /** The article's thread_version when the change committed: the SSE event id. */
  id: string;
  type: ThreadEventType;
  data: unknown;
}

const CHANNEL = 'thread_events';
const RETENTION = '1 day';
const RECONNECT_MS = 1000;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Live thread changes across instances. A unit of work records its event in its own transaction
 * (with NOTIFY, delivered on commit); every instance LISTENs on one connection of its own and
 * reads the new events of the articles its readers follow, so a comment posted through one
 * instance reaches readers connected to another.
 */
@Injectable()
export class ThreadEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ThreadEvents.name);
  private readonly wakeups = new Map<string, Subject<void>>();
  private listener?: Client;
  private stopped = false;
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  /** Records what changed; `version` is the thread_version that ArticlesService.lock returned. */
  async record(
    manager: EntityManager,
    articleId: string,
    version: string,
    type: ThreadEventType,
    data: unknown,
  ): Promise<void> {
    await sql(
      manager,
      `WITH event AS (INSERT INTO thread_events (article_id, version, type, payload) VALUES ($1, $2, $3, $4))
       SELECT pg_notify('${CHANNEL}', $1::text)`,
      [articleId, version, type, JSON.stringify(data)],
    );
  }

  /** Tells live readers what the thread's header now says (closing, reopening, disclaimer). */
  announceArticle(manager: EntityManager, article: Article, settings: ModerationSettings): Promise<void> {
    return this.record(
      manager,
      article.id,
      article.threadVersion,
      'article.updated',
      ThreadArticleView.of(article, settings),
    );
  }

  /**
   * The article's events after `lastEventId` (a reconnecting reader's Last-Event-ID), then every
   * new one as it commits. Without lastEventId, only what happens from now on.
   */
  stream(articleId: string, lastEventId?: string): Observable<LiveEvent> {
    return new Observable<LiveEvent>((subscriber) => {
      let last: string | undefined = lastEventId;
      let reading = Promise.resolve();
      const readNew = () => {
        reading = reading
          .then(async () => {
            if (last === undefined) {
              const {
                rows: [{ version }],
              } = await sql<{ version: string }>(
                this.dataSource,
                `SELECT thread_version AS version FROM articles WHERE id = $1`,
                [articleId],
              );
              last = version;
              return;
            }
            const { rows } = await sql<{ version: string; type: ThreadEventType; payload: unknown }>(
              this.dataSource,
              `SELECT version, type, payload FROM thread_events WHERE article_id = $1 AND version > $2 ORDER BY version`,
              [articleId, last],
            );
            for (const row of rows) {
              subscriber.next({ id: row.version, type: row.type, data: row.payload });
              last = row.version;
            }
          })
          .catch((error: Error) => this.logger.warn(`reading events failed: ${error.message}`));
      };
      const wakeup = this.wakeupFor(articleId);
      const subscription = wakeup.subscribe(readNew);
      readNew();
      return () => {
        subscription.unsubscribe();
        if (!wakeup.observed) this.wakeups.delete(articleId);
      };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    this.pruneTimer = setInterval(
      () =>
        this.dataSource
          .query(`DELETE FROM thread_events WHERE created_at < now() - interval '${RETENTION}'`)
          .catch(() => undefined),
      PRUNE_EVERY_MS,
    );
    this.pruneTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pruneTimer);
    for (const wakeup of this.wakeups.values()) wakeup.complete();
    await this.listener?.end().catch(() => undefined);
  }

  private wakeupFor(articleId: string): Subject<void> {
    let wakeup = this.wakeups.get(articleId);
    if (!wakeup) {
      wakeup = new Subject<void>();
      this.wakeups.set(articleId, wakeup);
    }
    return wakeup;
  }

  /** One LISTEN connection per instance; after losing it, reconnect and wake every reader to catch up. */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.env.DATABASE_URL });
    const retry = () => {
      if (this.listener !== client || this.stopped) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      setTimeout(() => this.listen(), RECONNECT_MS).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (message: Notification) => {
      if (message.payload) this.wakeups.get(message.payload)?.next();
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      for (const wakeup of this.wakeups.values()) wakeup.next();
    } catch (error) {
      this.logger.warn(`LISTEN failed, retrying: ${(error as Error).message}`);
      retry();
    }
  }
}
