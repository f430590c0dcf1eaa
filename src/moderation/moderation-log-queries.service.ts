import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { escapeLike } from '../common/text';
import { decodeCursor, toPage } from '../common/pagination';
import { sql } from '../database/sql';
import { EXCERPT_LENGTH, LogActorView, LogEntryView } from '../journal/log-entry.view';
import { ModerationLogEntry } from '../journal/moderation-log-entry.entity';
import { LogPeopleQueryDto, LogQueryDto } from './dto/moderation.dto';

type LogRow = ModerationLogEntry & {
  actorName: string | null;
  excerpt: string | null;
  articleTitle: string | null;
  targetName: string | null;
};

const UUID = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;
/** A target id as a uuid only where the target is of that type (imported logs may hold other ids). */
const targetUuid = (type: string) =>
  `CASE WHEN l.target_type = '${type}' AND l.target_id ~ ${UUID} THEN l.target_id::uuid END`;
/** Readers edit and delete their own comments; everything else in the log is someone moderating. */
const READERS_OWN_ACTIONS = `('edit', 'delete')`;
const MAX_PEOPLE = 50;

/**
 * The moderation log as moderators read it, newest first, with the names, titles and words of what
 * it is about as they are now: the page is chosen from the log's indexes first, then each of its
 * entries is joined by primary key, so that naming costs the same on any size of log.
 */
@Injectable()
export class ModerationLogQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The entries of `siteIds`' log (the index on (site_id, seq) reads each site's newest first). */
  async entries(query: LogQueryDto, siteIds: number[]) {
    const params: unknown[] = [];
    // One site is an equality, so that a small site's page is read from IDX_moderation_log_site.
    const where: string[] = [
      siteIds.length === 1
        ? `l.site_id = $${params.push(siteIds[0])}::smallint`
        : `l.site_id = ANY($${params.push(siteIds)}::smallint[])`,
    ];
    if (query.commentId) where.push(`l.target_type = 'comment' AND l.target_id = $${params.push(query.commentId)}`);
    if (query.articleId) where.push(`l.article_id = $${params.push(query.articleId)}`);
    if (query.actorId) where.push(`l.actor_id = $${params.push(query.actorId)}`);
    if (query.targetId) where.push(`l.target_id = $${params.push(query.targetId)}`);
    const after = decodeCursor('log', query.cursor);
    if (after) where.push(`l.seq < $${params.push(after.id)}`);
    const { rows } = await sql<LogRow>(
      this.dataSource,
      `WITH page AS (
         SELECT * FROM moderation_log l
         WHERE ${where.join(' AND ')}
         ORDER BY l.seq DESC LIMIT $${params.push(query.limit + 1)}
       )
       SELECT l.id, l.seq::text AS seq, l.action, l.actor_id AS "actorId", l.target_type AS "targetType",
              l.target_id AS "targetId", l.article_id AS "articleId", l.from_status AS "fromStatus",
              l.to_status AS "toStatus", l.reason, l.created_at AS "createdAt", l.site_id AS "siteId", actor.name AS "actorName",
              CASE WHEN c.deleted_at IS NULL THEN left(c.body, ${EXCERPT_LENGTH}) END AS excerpt,
              a.title AS "articleTitle", target_user.name AS "targetName"
       FROM page l
       LEFT JOIN users actor ON actor.id = l.actor_id
       LEFT JOIN comments c ON c.id = ${targetUuid('comment')}
       LEFT JOIN articles a ON a.id = COALESCE(l.article_id, c.article_id, ${targetUuid('article')})
       LEFT JOIN users target_user ON l.target_type = 'user' AND target_user.id = l.target_id
       ORDER BY l.seq DESC`,
      params,
    );
    const page = toPage('log', rows, query.limit, (r) => ({ createdAt: r.createdAt, id: r.seq }));
    const names = new Map(page.items.map((r) => [r.actorId ?? '', r.actorName]));
    return {
      items: page.items.map((r) =>
        LogEntryView.read(r, names, { excerpt: r.excerpt, articleTitle: r.articleTitle, targetName: r.targetName }),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Everyone who has moderated (anything in the log but a reader's edit or deletion of their own
   * comment), by name: the distinct actors are read by skipping along a partial index of the log's
   * actors, one probe each, rather than by reading the log.
   */
  async moderators(siteIds: number[]): Promise<LogActorView[]> {
    const { rows } = await sql<LogActorView>(
      this.dataSource,
      `WITH RECURSIVE actors(id) AS (
         (SELECT actor_id FROM moderation_log
          WHERE actor_id IS NOT NULL AND action NOT IN ${READERS_OWN_ACTIONS} AND site_id = ANY($1::smallint[])
          ORDER BY actor_id LIMIT 1)
         UNION ALL
         SELECT (SELECT l.actor_id FROM moderation_log l
                 WHERE l.actor_id > a.id AND l.action NOT IN ${READERS_OWN_ACTIONS} AND l.site_id = ANY($1::smallint[])
                 ORDER BY l.actor_id LIMIT 1)
         FROM actors a WHERE a.id IS NOT NULL
       )
       SELECT a.id, u.name FROM actors a LEFT JOIN users u ON u.id = a.id
       WHERE a.id IS NOT NULL
       ORDER BY u.name IS NULL, lower(u.name), a.id
       LIMIT ${MAX_PEOPLE * 4}`,
      [siteIds],
    );
    return rows;
  }

  /** Users whose display name holds `q` (3 characters or more), or whose id is `q`: the log's user filter. */
  async people(query: LogPeopleQueryDto, siteIds: number[]): Promise<LogActorView[]> {
    const { rows } = await sql<LogActorView>(
      this.dataSource,
      `SELECT id, name FROM users
       WHERE (id = $1 OR (length($1) >= 3 AND name ILIKE $2)) AND site_id = ANY($3::smallint[])
       ORDER BY id <> $1, lower(name), id
       LIMIT ${MAX_PEOPLE}`,
      [query.q, `%${escapeLike(query.q)}%`, siteIds],
    );
    return rows;
  }
}
