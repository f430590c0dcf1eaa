import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { CommentStatus } from '../comments/comment.entity';
import { COMMENT_COLUMNS, CommentRow, CommentView, toCommentView } from '../comments/comment.view';
import { CommentsService } from '../comments/comments.service';
import { decodeCursor, PageQueryDto, toPage } from '../common/pagination';
import { escapeLike } from '../common/text';
import { Transactions } from '../database/transactions';
import { sql } from '../database/sql';
import { AppError } from '../errors/app-error';
import { ReportsService } from '../reports/reports.service';
import { User } from '../users/user.entity';
import { RenamedAuthors } from '../users/renamed-authors';
import { isBanned, UsersService } from '../users/users.service';
import {
  BanDto,
  BulkDecisionDto,
  DecisionDto,
  LogQueryDto,
  QueueQueryDto,
  CreateUserNoteDto,
  RestoreDto,
  SearchCommentsQueryDto,
} from './dto/moderation.dto';
import { ModerationLogEntry } from '../journal/moderation-log-entry.entity';
import { QueueName } from '../articles/queue-sizes';
import { ModerationLog } from '../journal/moderation-log.service';
import {
  BulkResponseView,
  LogEntryView,
  ModeratedUserView,
  QueueItemView,
  QueuePageView,
  UserNotePageView,
  UserNoteView,
} from './moderation.views';

const QUEUE_FILTER: Record<QueueName, string> = {
  pending: `c.status = 'pending'`,
  unmoderated: `c.status = 'published'`,
  approved: `c.status = 'approved'`,
  rejected: `c.status = 'rejected'`,
  reported: `c.open_report_count > 0`,
};

export type Decision = 'approve' | 'reject' | 'restore';
type StoredRow = Omit<CommentRow, 'created_at' | 'edited_at' | 'deleted_at'> & {
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
};
type DecideResult = { renamed: boolean } & (
  | { outcome: 'decided' | 'unchanged'; row: StoredRow }
  | { outcome: 'not_found' }
  | { outcome: 'conflict'; status: CommentStatus }
);
const STATUS_OF: Record<Exclude<Decision, 'restore'>, CommentStatus> = { approve: 'approved', reject: 'rejected' };

@Injectable()
export class ModerationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly comments: CommentsService,
    private readonly reports: ReportsService,
    private readonly users: UsersService,
    private readonly log: ModerationLog,
    private readonly renamedAuthors: RenamedAuthors,
  ) {}

  /** A queue, oldest first, across all articles or one. */
  async queue(name: QueueName, query: QueueQueryDto) {
    const list = `queue:${name}`;
    const after = decodeCursor(list, query.cursor);
    const params: unknown[] = [query.limit + 1];
    const where = [QUEUE_FILTER[name], 'c.deleted_at IS NULL'];
    if (query.articleId) where.push(`c.article_id = $${params.push(query.articleId)}`);
    if (after) where.push(`(c.created_at, c.id) > ($${params.push(after.createdAt)}, $${params.push(after.id)})`);
    const { rows } = await sql<CommentRow & { article_title: string; article_url: string }>(
      this.dataSource,
      `SELECT ${COMMENT_COLUMNS}, a.title AS article_title, a.url AS article_url
       FROM comments c JOIN users u ON u.id = c.author_id JOIN articles a ON a.id = c.article_id
       WHERE ${where.join(' AND ')} ORDER BY c.created_at, c.id LIMIT $1`,
      params,
    );
    const page = toPage(
      list,
      rows.map((r) => Object.assign(r, { createdAt: r.created_at })),
      query.limit,
    );
    return { items: await this.toItems(page.items), nextCursor: page.nextCursor };
  }

  /**
   * Comments of every article and status (deleted ones left out), newest first: by words of their
   * text (full-text, any language's words as they are) or a fragment of it, by author (id, or a
   * fragment of the name), article, status and time.
   */
  async search(query: SearchCommentsQueryDto): Promise<QueuePageView> {
    const list = 'search';
    const after = decodeCursor(list, query.cursor);
    const params: unknown[] = [query.limit + 1];
    const where = ['c.deleted_at IS NULL'];
    if (query.q !== undefined) {
      const q = params.push(query.q);
      const fragment = params.push(`%${escapeLike(query.q)}%`);
      where.push(
        `(to_tsvector('simple', c.body) @@ websearch_to_tsquery('simple', $${q}) OR (length($${q}) >= 3 AND c.body ILIKE $${fragment}))`,
      );
    }
    if (query.author !== undefined) {
      const id = params.push(query.author);
      const name = params.push(`%${escapeLike(query.author)}%`);
      where.push(`(c.author_id = $${id} OR (length($${id}) >= 3 AND u.name ILIKE $${name}))`);
    }
    if (query.authorId !== undefined) where.push(`c.author_id = $${params.push(query.authorId)}`);
    if (query.articleId) where.push(`c.article_id = $${params.push(query.articleId)}`);
    if (query.commentId) where.push(`c.id = $${params.push(query.commentId)}`);
    if (query.status) where.push(`c.status = $${params.push(query.status)}`);
    if (query.from) where.push(`c.created_at >= $${params.push(query.from)}`);
    if (query.to) where.push(`c.created_at < $${params.push(query.to)}`);
    if (after) where.push(`(c.created_at, c.id) < ($${params.push(after.createdAt)}, $${params.push(after.id)})`);
    const { rows } = await sql<CommentRow & { article_title: string; article_url: string }>(
      this.dataSource,
      `SELECT ${COMMENT_COLUMNS}, a.title AS article_title, a.url AS article_url
       FROM comments c JOIN users u ON u.id = c.author_id JOIN articles a ON a.id = c.article_id
       WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT $1`,
      params,
      { planEachTime: true },
    );
    const page = toPage(
      list,
      rows.map((r) => Object.assign(r, { createdAt: r.created_at })),
      query.limit,
    );
    return { items: await this.toItems(page.items), nextCursor: page.nextCursor };
  }

  /** Comments as moderators' cards show them: with their article and open reports. */
  private async toItems(
    rows: (CommentRow & { article_title: string; article_url: string })[],
  ): Promise<QueueItemView[]> {
    const reports = await this.reports.openReports(
      this.dataSource.manager,
      rows.filter((r) => r.open_report_count > 0).map((r) => r.id),
    );
    return rows.map((row) => ({
      ...toCommentView(row, { id: '', name: null, role: 'moderator' }),
      article: { id: row.article_id, title: row.article_title, url: row.article_url },
      openReportCount: row.open_report_count,
      reports: reports.get(row.id) ?? [],
    }));
  }

  /**
   * Approves or rejects one comment under its locks; resolves its open reports and writes the log
   * entry in the same transaction. With expectedStatus, a status changed meanwhile is a 409.
   */
  async decide(
    id: string,
    decision: Exclude<Decision, 'restore'>,
    dto: DecisionDto,
    moderator: AuthUser,
  ): Promise<CommentView> {
    return this.change(id, decision, STATUS_OF[decision], dto, moderator);
  }

  /** Takes a decision back: the comment returns to the queue it came from, if no one changed it since. */
  restore(id: string, dto: RestoreDto, moderator: AuthUser): Promise<CommentView> {
    return this.change(id, 'restore', dto.status, dto, moderator);
  }

  /** One round trip: decide_comment() (its migration) is the unit of work. */
  private async change(
    id: string,
    decision: Decision,
    toStatus: CommentStatus,
    dto: DecisionDto,
    moderator: AuthUser,
  ): Promise<CommentView> {
    // Writers of an article it knows queue on this instance; otherwise the statement finds the article.
    const articleId = this.comments.knownArticleOf(id);
    const {
      rows: [{ result }],
    } = await this.transactions.statement(
      () =>
        sql<{ result: DecideResult }>(
          this.dataSource,
          `SELECT decide_comment($1, $2, $3, $4, $5, $6, $7, $8) AS result`,
          [
            id,
            articleId ?? null,
            decision,
            toStatus,
            dto.expectedStatus ?? null,
            moderator.id,
            moderator.name,
            dto.reason ?? null,
          ],
        ),
      { article: articleId },
    );
    if (result.renamed) void this.renamedAuthors.renewThreads([moderator.id]);
    if (result.outcome === 'not_found') throw AppError.notFound('The comment');
    if (result.outcome === 'conflict') {
      throw AppError.conflict(`The comment is ${result.status}, not ${dto.expectedStatus}`);
    }
    const row = result.row;
    return toCommentView(
      {
        ...row,
        created_at: new Date(row.created_at),
        edited_at: row.edited_at === null ? null : new Date(row.edited_at),
        deleted_at: row.deleted_at === null ? null : new Date(row.deleted_at),
      },
      moderator,
    );
  }

  /** Each comment is decided in its own transaction: one failure does not undo the others. */
  async bulk(dto: BulkDecisionDto, moderator: AuthUser): Promise<BulkResponseView> {
    const results: BulkResponseView['results'] = [];
    for (const id of dto.commentIds) {
      try {
        await this.decide(id, dto.action, { reason: dto.reason }, moderator);
        results.push({ id, ok: true });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ id, ok: false, code: error.code });
      }
    }
    return { results };
  }

  async logEntries(query: LogQueryDto) {
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

  async user(id: string, moderator: AuthUser): Promise<ModeratedUserView> {
    const user = await this.dataSource.manager.findOneBy(User, { id });
    if (!user) throw AppError.notFound('The user');
    const [{ rows: counts }, { rows: recent }] = await Promise.all([
      sql<{ status: string; n: number }>(
        this.dataSource,
        `SELECT status, count(*)::int AS n FROM comments WHERE author_id = $1 AND deleted_at IS NULL GROUP BY status`,
        [id],
      ),
      sql<CommentRow>(
        this.dataSource,
        `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
         WHERE c.author_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT 10`,
        [id],
      ),
    ]);
    const byStatus = { published: 0, pending: 0, approved: 0, rejected: 0 } as Record<string, number>;
    for (const c of counts) byStatus[c.status] = c.n;
    return {
      id: user.id,
      name: user.name,
      ban: {
        banned: isBanned({ banned_at: user.bannedAt, ban_until: user.banUntil }),
        since: user.bannedAt,
        until: user.banUntil,
        reason: user.banReason,
      },
      premod: user.premod,
      counts: byStatus,
      recentComments: recent.map((r) => toCommentView(r, moderator)),
      createdAt: user.createdAt,
    };
  }

  /** Appends a note about a known user, with its log entry (which records the note, not its text). */
  async addNote(userId: string, dto: CreateUserNoteDto, moderator: AuthUser): Promise<UserNoteView> {
    return this.transactions.run(async (manager) => {
      await this.users.see(manager, moderator);
      const { rows } = await sql<{ id: string; created_at: Date }>(
        manager,
        `INSERT INTO user_notes (user_id, author_id, body) SELECT id, $2, $3 FROM users WHERE id = $1
         RETURNING id, created_at`,
        [userId, moderator.id, dto.body],
      );
      if (rows.length === 0) throw AppError.notFound('The user');
      await this.log.record(manager, {
        action: 'note',
        actor: moderator,
        targetType: 'user',
        targetId: userId,
        reason: `note ${rows[0].id}`,
      });
      return {
        id: rows[0].id,
        userId,
        author: { id: moderator.id, name: moderator.name },
        body: dto.body,
        createdAt: rows[0].created_at,
      };
    });
  }

  /** A user's notes, newest first. */
  async notes(userId: string, query: PageQueryDto): Promise<UserNotePageView> {
    const list = `notes:${userId}`;
    const after = decodeCursor(list, query.cursor);
    if (!(await this.dataSource.manager.existsBy(User, { id: userId }))) throw AppError.notFound('The user');
    const params: unknown[] = [userId, query.limit + 1];
    const { rows } = await sql<{
      id: string;
      author_id: string;
      author_name: string | null;
      body: string;
      created_at: Date;
    }>(
      this.dataSource,
      `SELECT n.id, n.author_id, a.name AS author_name, n.body, n.created_at
       FROM user_notes n JOIN users a ON a.id = n.author_id
       WHERE n.user_id = $1 ${after ? `AND (n.created_at, n.id) < ($${params.push(after.createdAt)}, $${params.push(after.id)})` : ''}
       ORDER BY n.created_at DESC, n.id DESC LIMIT $2`,
      params,
    );
    const page = toPage(list, rows, query.limit, (r) => ({ createdAt: r.created_at, id: r.id }));
    return {
      items: page.items.map((r) => ({
        id: r.id,
        userId,
        author: { id: r.author_id, name: r.author_name },
        body: r.body,
        createdAt: r.created_at,
      })),
      nextCursor: page.nextCursor,
    };
  }

  async ban(id: string, dto: BanDto, moderator: AuthUser): Promise<ModeratedUserView> {
    if (dto.until && dto.until <= new Date()) {
      throw AppError.validation('until must be in the future', [
        { field: 'until', messages: ['must be in the future'] },
      ]);
    }
    await this.transactions.run(async (manager) => {
      await this.users.see(manager, moderator);
      await this.users.see(manager, { id, name: null });
      await sql(
        manager,
        `UPDATE users SET banned_at = now(), ban_until = $2, ban_reason = $3, updated_at = now() WHERE id = $1`,
        [id, dto.until ?? null, dto.reason],
      );
      await this.log.record(manager, {
        action: 'ban',
        actor: moderator,
        targetType: 'user',
        targetId: id,
        reason: dto.until ? `${dto.reason} (until ${dto.until.toISOString()})` : dto.reason,
      });
    });
    return this.user(id, moderator);
  }

  async unban(id: string, moderator: AuthUser): Promise<ModeratedUserView> {
    await this.transactions.run(async (manager) => {
      await this.users.see(manager, moderator);
      const { rowCount: affected } = await sql(
        manager,
        `UPDATE users SET banned_at = NULL, ban_until = NULL, ban_reason = NULL, updated_at = now()
         WHERE id = $1 AND banned_at IS NOT NULL`,
        [id],
      );
      if (affected > 0)
        await this.log.record(manager, { action: 'unban', actor: moderator, targetType: 'user', targetId: id });
    });
    return this.user(id, moderator);
  }

  async setPremod(id: string, enabled: boolean, moderator: AuthUser): Promise<ModeratedUserView> {
    await this.transactions.run(async (manager) => {
      await this.users.see(manager, moderator);
      await this.users.see(manager, { id, name: null });
      const { rowCount: affected } = await sql(
        manager,
        `UPDATE users SET premod = $2, updated_at = now() WHERE id = $1 AND premod <> $2`,
        [id, enabled],
      );
      if (affected > 0) {
        await this.log.record(manager, {
          action: enabled ? 'premod_on' : 'premod_off',
          actor: moderator,
          targetType: 'user',
          targetId: id,
        });
      }
    });
    return this.user(id, moderator);
  }
}
