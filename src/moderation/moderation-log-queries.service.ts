import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, toPage } from '../common/pagination';
import { sql } from '../database/sql';
import { LogEntryView } from '../journal/log-entry.view';
import { ModerationLogEntry } from '../journal/moderation-log-entry.entity';
import { LogQueryDto } from './dto/moderation.dto';

/** The moderation log as moderators read it, newest first, with its actors' names as they are now. */
@Injectable()
export class ModerationLogQueries {
  constructor(private readonly dataSource: DataSource) {}

  async entries(query: LogQueryDto) {
    const qb = this.dataSource.manager.createQueryBuilder(ModerationLogEntry, 'l');
    if (query.commentId)
      qb.andWhere(`l.target_type = 'comment' AND l.target_id = :commentId`, { commentId: query.commentId });
    if (query.articleId) qb.andWhere('l.article_id = :articleId', { articleId: query.articleId });
    if (query.actorId) qb.andWhere('l.actor_id = :actorId', { actorId: query.actorId });
    if (query.targetId) qb.andWhere('l.target_id = :targetId', { targetId: query.targetId });
    const after = decodeCursor('log', query.cursor);
    if (after) qb.andWhere('l.seq < :seq', { seq: after.id });
    const rows = await qb
      .orderBy('l.seq', 'DESC')
      .take(query.limit + 1)
      .getMany();
    const page = toPage('log', rows, query.limit, (r) => ({ createdAt: r.createdAt, id: r.seq }));
    const actorIds = [...new Set(page.items.map((e) => e.actorId).filter((id) => id !== null))];
    const { rows: names } = await sql<{ id: string; name: string | null }>(
      this.dataSource,
      `SELECT id, name FROM users WHERE id = ANY($1::text[])`,
      [actorIds],
    );
    const byId = new Map(names.map((u) => [u.id, u.name]));
    return { items: page.items.map((e) => LogEntryView.of(e, byId)), nextCursor: page.nextCursor };
  }
}
