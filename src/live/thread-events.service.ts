import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Article } from '../articles/article.entity';
import { ThreadArticleView } from '../articles/article.view';
import { sql } from '../database/sql';
import type { ModerationSettings } from '../settings/moderation-settings.entity';
import { EventStreams, StreamReader } from './event-streams.service';
import { EventSource, LiveChannel, Position } from './live-channel';
import { PgListener } from './pg-listener.service';

export const THREAD_EVENT_TYPES = [
  'comment.created',
  'comment.edited',
  'comment.published',
  'comment.hidden',
  'comment.deleted',
  'article.updated',
] as const;
export type ThreadEventType = (typeof THREAD_EVENT_TYPES)[number];

const CHANNEL = 'thread_events';
const VERSION = /^\d{1,18}$/;

/**
 * Live thread changes across instances. A unit of work records its event in its own transaction
 * (with NOTIFY, delivered on commit), numbered by the article's thread_version, which is taken
 * under the article's lock: one article's events are in commit order, without gaps. Each instance
 * LISTENs once, and keeps one channel per article that its readers follow.
 */
@Injectable()
export class ThreadEvents implements OnApplicationShutdown {
  private readonly logger = new Logger(ThreadEvents.name);
  private readonly channels = new Map<string, LiveChannel>();
  private readonly wakeHandlers: (() => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: EventStreams,
    listener: PgListener,
  ) {
    listener.on(CHANNEL, (articleId) => {
      if (articleId) this.channels.get(articleId)?.wake();
      else for (const channel of this.channels.values()) channel.wake();
      for (const handler of this.wakeHandlers) handler();
    });
  }

  /** Records what changed; `version` is the thread_version that ArticlesService.lock returned. */
  async record(
    manager: EntityManager,
    articleId: string,
    version: string,
    type: ThreadEventType,
    data: unknown,
  ): Promise<void> {
    await sql(manager, `SELECT record_thread_event($1, $2, $3, $4)`, [articleId, version, type, JSON.stringify(data)]);
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

  /** Runs after every thread change committed anywhere (the moderation stream's queue sizes move with them). */
  onAnyChange(handler: () => void): void {
    this.wakeHandlers.push(handler);
  }

  /** `Last-Event-ID` as this stream numbers events, or undefined when it is not one of ours. */
  parseEventId(lastEventId: string | undefined): Position | undefined {
    return lastEventId !== undefined && VERSION.test(lastEventId) ? [BigInt(lastEventId), 0n] : undefined;
  }

  /**
   * Adds a reader of the article: the events after `lastEventId` (a reconnecting reader's), then
   * every new one as it commits. Without lastEventId, only what happens from now on.
   */
  follow(articleId: string, reader: StreamReader, lastEventId?: Position): Promise<void> {
    return this.channel(articleId)
      .join(reader, lastEventId)
      .finally(() => this.dropIfIdle(articleId));
  }

  /** Before a reader's headers are sent: the events it gets without Last-Event-ID start from here. */
  ready(articleId: string): Promise<void> {
    return this.channel(articleId)
      .ready()
      .catch((error: Error) => {
        this.dropIfIdle(articleId);
        throw error;
      });
  }

  private channel(articleId: string): LiveChannel {
    let channel = this.channels.get(articleId);
    if (!channel) {
      channel = new LiveChannel(this.source(articleId), this.logger, (r, e) => this.streams.countSent(r, e));
      this.channels.set(articleId, channel);
    }
    return channel;
  }

  /** Whether readers here follow the article already (then it exists: articles are never deleted). */
  following(articleId: string): boolean {
    return this.channels.has(articleId);
  }

  unfollow(articleId: string, reader?: StreamReader): void {
    if (reader) this.channels.get(articleId)?.leave(reader);
    this.dropIfIdle(articleId);
  }

  private dropIfIdle(articleId: string): void {
    const channel = this.channels.get(articleId);
    if (channel?.idle) {
      channel.close();
      this.channels.delete(articleId);
    }
  }

  onApplicationShutdown(): void {
    for (const channel of this.channels.values()) channel.close();
  }

  private source(articleId: string): EventSource {
    return {
      current: async () => {
        const { rows } = await sql<{ version: string }>(
          this.dataSource,
          `SELECT thread_version AS version FROM articles WHERE id = $1`,
          [articleId],
        );
        return [BigInt(rows[0]?.version ?? 0), 0n];
      },
      readAfter: async ([version], limit) => {
        const { rows } = await sql<{ version: string; type: ThreadEventType; payload: string }>(
          this.dataSource,
          `SELECT version, type, payload::text AS payload FROM thread_events
           WHERE article_id = $1 AND version > $2 ORDER BY version LIMIT $3`,
          [articleId, String(version), limit],
        );
        return {
          events: rows.map((row) => ({
            position: [BigInt(row.version), 0n] as const,
            id: row.version,
            type: row.type,
            data: row.payload,
          })),
        };
      },
    };
  }
}
