import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import { readQueueSizes } from '../articles/queue-sizes';
import { DEFAULT_SITE_ID } from '../sites/site.entity';
import { EventStreams, StreamReader } from './event-streams.service';
import { eventFrame, Frame } from './frames';
import { EventSource, LiveChannel, Position } from './live-channel';
import { PgListener } from './pg-listener.service';
import { ThreadEvents } from './thread-events.service';

export const MODERATION_EVENT_TYPES = ['comment.held', 'comment.reported', 'decision', 'queue.counts'] as const;
export type ModerationEventType = (typeof MODERATION_EVENT_TYPES)[number];

export const MODERATION_CHANNEL = 'moderation_events';
/** The transaction's id as moderation_events.xact takes it. */
export const CURRENT_XACT = `pg_current_xact_id()::text::bigint`;
/**
 * The oldest transaction that may still add an event: in this statement's snapshot, the oldest
 * still running, leaving out those known to be in another database (which cannot write this
 * table), so that a long transaction elsewhere on the server holds nothing up. One that ended
 * since the snapshot is no longer listed anywhere, so it stays in: its events are not visible
 * yet, and the stream must wait for them.
 */
const SETTLED_XACT = `COALESCE(
  (SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
    WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.backend_xid = xid(x) AND a.datname <> current_database())),
  pg_snapshot_xmax(pg_current_snapshot())::text::bigint)`;
/** How soon to look again for events that wait behind a transaction still running. */
const UNSETTLED_RETRY_MS = 50;
/** Queue sizes are read at most this often, and only while a moderator is listening. */
const QUEUE_SIZES_EVERY_MS = 1000;
const EVENT_ID = /^(\d{1,18})-(\d{1,18})$/;

/**
 * The moderators' stream: comments newly held or reported and every decision (each a moderation
 * log entry), written in the transaction of the change, and the queues' sizes, read on this
 * instance when something changed. Each moderator follows the sites they moderate (one, or all of
 * theirs): one feed per set of sites followed on this instance serves every moderator of that set.
 */
@Injectable()
export class ModerationEvents implements OnApplicationShutdown {
  private readonly logger = new Logger(ModerationEvents.name);
  private readonly feeds = new Map<string, SitesFeed>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: EventStreams,
    listener: PgListener,
    threads: ThreadEvents,
  ) {
    listener.on(MODERATION_CHANNEL, () => {
      for (const feed of this.feeds.values()) {
        feed.channel.wake();
        feed.queuesChanged();
      }
    });
    threads.onAnyChange(() => {
      for (const feed of this.feeds.values()) feed.queuesChanged();
    });
  }

  /** Records an event in the transaction of `manager` (decisions come with their log entries). */
  async record(manager: EntityManager, type: ModerationEventType, data: unknown): Promise<void> {
    await sql(
      manager,
      `WITH event AS (INSERT INTO moderation_events (xact, type, payload) VALUES (${CURRENT_XACT}, $1, $2))
       SELECT pg_notify('${MODERATION_CHANNEL}', '')`,
      [type, JSON.stringify(data)],
    );
  }

  parseEventId(lastEventId: string | undefined): Position | undefined {
    const match = lastEventId === undefined ? null : EVENT_ID.exec(lastEventId);
    return match ? [BigInt(match[1]), BigInt(match[2])] : undefined;
  }

  /**
   * Adds a moderator of `siteIds`: what they missed of those sites after `lastEventId`, the
   * sites' queue sizes, then every new event of those sites.
   */
  follow(reader: StreamReader, siteIds: number[], lastEventId?: Position): Promise<void> {
    const key = siteIds.join(',');
    let feed = this.feeds.get(key);
    if (!feed) this.feeds.set(key, (feed = new SitesFeed(siteIds, this.dataSource, this.streams, this.logger)));
    const joined = feed.follow(reader, lastEventId);
    // A reader that went away while joining leaves no one: the feed then stops reading.
    return joined.finally(() => this.dropIfIdle(key));
  }

  /** Removes the reader; a feed that no one follows any more is dropped. */
  unfollow(reader: StreamReader | undefined, siteIds: number[]): void {
    const key = siteIds.join(',');
    if (reader) this.feeds.get(key)?.channel.leave(reader);
    this.dropIfIdle(key);
  }

  private dropIfIdle(key: string): void {
    const feed = this.feeds.get(key);
    if (!feed?.channel.idle) return;
    feed.close();
    this.feeds.delete(key);
  }

  onApplicationShutdown(): void {
    for (const feed of this.feeds.values()) feed.close();
    this.feeds.clear();
  }
}

/** The moderators of one set of sites on this instance: their channel and their queues' sizes. */
class SitesFeed {
  readonly channel: LiveChannel;
  private queueSizes?: { json: string; frame: Frame };
  /** Changes to the queues seen, and how many of them the sizes read include. */
  private changes = 0;
  private changesRead = -1;
  /** A moderator joined while the sizes were not current: the next read goes out even if unchanged. */
  private ungreeted = false;
  private queueTimer?: NodeJS.Timeout;

  constructor(
    private readonly siteIds: number[],
    private readonly dataSource: DataSource,
    streams: EventStreams,
    private readonly logger: Logger,
  ) {
    this.channel = new LiveChannel(
      this.source(),
      logger,
      (r, e) => streams.countSent(r, e),
      () => (this.sizesCurrent ? this.queueSizes?.frame : undefined),
    );
  }

  follow(reader: StreamReader, lastEventId?: Position): Promise<void> {
    const joined = this.channel.join(reader, lastEventId);
    // After joining: a channel with no one joining reads no sizes. Sizes not current are read at once.
    if (!this.sizesCurrent) this.ungreeted = true;
    this.readQueueSizes(this.sizesCurrent ? QUEUE_SIZES_EVERY_MS : 0);
    return joined;
  }

  close(): void {
    clearTimeout(this.queueTimer);
    this.channel.close();
  }

  /** The sizes read include every change seen: a moderator may be greeted with them. */
  private get sizesCurrent(): boolean {
    return this.queueSizes !== undefined && this.changesRead === this.changes;
  }

  /** The queues changed: their sizes are read within a second, once for however many changes. */
  queuesChanged(): void {
    this.changes++;
    this.readQueueSizes(QUEUE_SIZES_EVERY_MS);
  }

  /** Reads the queue sizes after `delayMs`, if anyone listens; again if they changed during the read. */
  private readQueueSizes(delayMs: number): void {
    if (this.queueTimer || this.channel.idle) return;
    this.queueTimer = setTimeout(async () => {
      const at = this.changes;
      let failed = false;
      try {
        const json = JSON.stringify(await readQueueSizes(this.dataSource, this.siteIds));
        const changed = json !== this.queueSizes?.json;
        this.queueSizes = { json, frame: eventFrame(undefined, 'queue.counts', json) };
        this.changesRead = at;
        if (changed || this.ungreeted) {
          this.ungreeted = false;
          this.channel.broadcast(this.queueSizes.frame);
        }
      } catch (error) {
        failed = true;
        this.logger.warn(`reading the queue sizes failed: ${(error as Error).message}`);
      } finally {
        this.queueTimer = undefined;
        if (!failed && this.changes !== at) this.readQueueSizes(QUEUE_SIZES_EVERY_MS);
      }
    }, delayMs);
    this.queueTimer.unref();
  }

  /**
   * Events of the feed's sites in the order of (transaction id, seq), delivered only once every
   * transaction of this database older than theirs has ended: a reader's position is then never
   * passed by an event that commits later. (Leaving other sites' events out keeps that true: what
   * is left out comes in the same order.) An event written before there were sites is the first's.
   */
  private source(): EventSource {
    return {
      current: async () => {
        const [{ xmin }] = await this.dataSource.query(`SELECT ${SETTLED_XACT}::text AS xmin`);
        return [BigInt(xmin), 0n];
      },
      readAfter: async ([xact, seq], limit) => {
        const { rows } = await sql<{ xact: string; seq: string; type: string; payload: string; settled: boolean }>(
          this.dataSource,
          `WITH horizon AS (SELECT ${SETTLED_XACT} AS xact)
           SELECT e.xact, e.seq, e.type, e.xact < horizon.xact AS settled,
             (CASE WHEN u.id IS NULL THEN e.payload
                   ELSE jsonb_set(e.payload, '{actor,name}', COALESCE(to_jsonb(u.name), 'null')) END)::text AS payload
           FROM moderation_events e CROSS JOIN horizon LEFT JOIN users u ON u.id = e.payload->'actor'->>'id'
           WHERE (e.xact, e.seq) > ($1, $2)
             AND COALESCE((e.payload->>'siteId')::int, ${DEFAULT_SITE_ID}) = ANY($4::int[])
           ORDER BY e.xact, e.seq LIMIT $3`,
          [String(xact), String(seq), limit, this.siteIds],
        );
        const settled = rows.findIndex((row) => !row.settled);
        const events = (settled < 0 ? rows : rows.slice(0, settled)).map((row) => ({
          position: [BigInt(row.xact), BigInt(row.seq)] as const,
          id: `${row.xact}-${row.seq}`,
          type: row.type,
          data: row.payload,
        }));
        return { events, retryInMs: settled < 0 ? undefined : UNSETTLED_RETRY_MS };
      },
    };
  }
}
