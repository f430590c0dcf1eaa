import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Article } from '../articles/article.entity';
import { ThreadArticleView } from '../articles/article.view';
import { ArticlesService } from '../articles/articles.service';
import { closingState } from '../articles/closing';
import { AuthUser, isModerator } from '../auth/access.decorator';
import { decodeCursor, KeysetPosition, toPage } from '../common/pagination';
import { readOnReplica, sql, SqlOptions } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ThreadEvents } from '../live/thread-events.service';
import { ModerationLog } from '../journal/moderation-log.service';
import { ModerationRules, RuleDecision, RuleFacts } from './moderation-rules';
import { ModerationSettings } from '../settings/moderation-settings.entity';
import { SettingsService } from '../settings/settings.service';
import { UsersService } from '../users/users.service';
import { applyCountChange, CountedComment, CountedState } from './comment-counters';
import { CommentStatus } from './comment.entity';
import { recordCommentChange } from './comment-events';
import { cleanBody, CommentPoster, CreatedComment } from './comment-poster';
import { CommentRevision } from './comment-revision.entity';
import { COMMENT_COLUMNS, CommentRow, CommentView, canSee, ThreadPage, toCommentView } from './comment.view';
import { ThreadQueryDto } from './dto/comment.dto';
import { matchesEtag, ThreadCache } from './thread-cache';

export const REPLY_PREVIEW_COUNT = 3;
const LISTED = `c.status IN ('published', 'approved') AND (c.deleted_at IS NULL OR c.reply_count > 0)`;

/** A page as JSON and its ETag; no JSON when the client's copy (If-None-Match) is current. */
export interface CachedJson {
  etag: string;
  json?: string;
}

export const countedComment = (row: Pick<CommentRow, 'article_id' | 'parent_id' | 'reply_count'>): CountedComment => ({
  articleId: row.article_id,
  parentId: row.parent_id,
  replyCount: row.reply_count,
});

export const countedState = (row: Pick<CommentRow, 'status' | 'deleted_at' | 'open_report_count'>): CountedState => ({
  status: row.status,
  deleted: row.deleted_at !== null,
  reported: row.open_report_count > 0,
});

type PageQuery = { limit: number; cursor?: string };

@Injectable()
export class CommentsService {
  private readonly articleOfComment = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly articles: ArticlesService,
    private readonly settings: SettingsService,
    private readonly users: UsersService,
    private readonly rules: ModerationRules,
    private readonly log: ModerationLog,
    private readonly cache: ThreadCache,
    private readonly events: ThreadEvents,
    private readonly poster: CommentPoster,
  ) {}

  /**
   * One page of top-level comments, each with its first replies; the viewer also sees their own
   * held ones. Answers from the cache, or only the ETag when the client's copy is current.
   */
  thread(articleId: string, query: ThreadQueryDto, viewer?: AuthUser, ifNoneMatch?: string): Promise<CachedJson> {
    return this.readAs(viewer, (from) => this.threadFrom(from, articleId, query, viewer, ifNoneMatch));
  }

  /**
   * Anonymous readers are served by a replica, one for the page and the version that keys it: a
   * lagging replica gives an older version with an older page, never a current key on a stale
   * page. Signed-in readers and moderators read the primary, and so see their own writes at once.
   */
  private readAs<T>(viewer: AuthUser | undefined, read: (from: SqlOptions) => Promise<T>): Promise<T> {
    return viewer ? read({ replica: false }) : readOnReplica(this.dataSource, read);
  }

  private async threadFrom(
    from: SqlOptions,
    articleId: string,
    query: ThreadQueryDto,
    viewer: AuthUser | undefined,
    ifNoneMatch: string | undefined,
  ): Promise<CachedJson> {
    const [article, settings] = await Promise.all([this.articles.read(articleId, from), this.settings.cached()]);
    if (!article) throw AppError.notFound('The article');
    const head = ThreadArticleView.of(article, settings);
    const key = [
      'thread',
      articleId,
      article.threadVersion,
      settings.version,
      head.closed,
      query.sort,
      query.limit,
      query.cursor,
      viewerKey(viewer),
    ].join('|');
    return this.cachedPage(key, ifNoneMatch, async (): Promise<ThreadPage> => {
      const list = `thread:${query.sort}`;
      const after = decodeCursor(list, query.cursor);
      const dir = query.sort === 'newest' ? 'DESC' : 'ASC';
      const cmp = query.sort === 'newest' ? '<' : '>';
      const params: unknown[] = [articleId, query.limit + 1];
      const cursorSql = after
        ? `AND (c.created_at, c.id) ${cmp} ($${params.push(after.createdAt)}, $${params.push(after.id)})`
        : '';
      const own = this.ownHeldClause(viewer, params);
      const text = listingSql('c.article_id = $1 AND c.parent_id IS NULL', cursorSql, dir, own);
      const rows = (await sql<CommentRow>(this.dataSource, text, params, from)).rows;
      const page = toPage(list, rows.map(withPosition), query.limit);
      const replies = await this.replyPreviews(
        page.items.map((r) => r.id),
        viewer,
        from,
      );
      return {
        article: head,
        items: page.items.map((row) => ({
          ...toCommentView(row, viewer),
          replies: (replies.get(row.id) ?? []).map((r) => toCommentView(r, viewer)),
        })),
        nextCursor: page.nextCursor,
      };
    });
  }

  /** The direct replies of a comment, oldest first; cached and read like thread pages. */
  replies(parentId: string, query: PageQuery, viewer?: AuthUser, ifNoneMatch?: string): Promise<CachedJson> {
    return this.readAs(viewer, (from) => this.repliesFrom(from, parentId, query, viewer, ifNoneMatch));
  }

  private async repliesFrom(
    from: SqlOptions,
    parentId: string,
    query: PageQuery,
    viewer: AuthUser | undefined,
    ifNoneMatch: string | undefined,
  ): Promise<CachedJson> {
    const article = await this.articles.read(await this.articleOf(parentId, from), from);
    // (A replica may not have the article yet when the comment's article is remembered from the primary.)
    if (!article) throw AppError.notFound('The comment');
    const key = ['replies', parentId, article.threadVersion, query.limit, query.cursor, viewerKey(viewer)].join('|');
    return this.cachedPage(key, ifNoneMatch, async () => {
      const parent = await this.findRow(this.dataSource.manager, parentId, false, from);
      if (!parent || !canSee(parent, viewer)) throw AppError.notFound('The comment');
      const after = decodeCursor('replies', query.cursor);
      const params: unknown[] = [parentId, query.limit + 1];
      const cursorSql = after
        ? `AND (c.created_at, c.id) > ($${params.push(after.createdAt)}, $${params.push(after.id)})`
        : '';
      const own = this.ownHeldClause(viewer, params);
      const text = listingSql('c.parent_id = $1', cursorSql, 'ASC', own);
      const rows = (await sql<CommentRow>(this.dataSource, text, params, from)).rows;
      const page = toPage('replies', rows.map(withPosition), query.limit);
      return { items: page.items.map((r) => toCommentView(r, viewer)), nextCursor: page.nextCursor };
    });
  }

  /**
   * A comment's article never changes: remembered, it saves a query on every cached page and write.
   * Read on a replica for anonymous readers (`from`); a comment it does not have yet is not found.
   */
  async articleOf(commentId: string, from: SqlOptions = {}): Promise<string> {
    let articleId = this.articleOfComment.get(commentId);
    if (!articleId) {
      const { rows } = await sql<{ article_id: string }>(
        this.dataSource,
        `SELECT article_id FROM comments WHERE id = $1`,
        [commentId],
        from,
      );
      if (!rows[0]) throw AppError.notFound('The comment');
      articleId = rows[0].article_id;
      if (this.articleOfComment.size >= 100_000) this.articleOfComment.clear();
      this.articleOfComment.set(commentId, articleId);
    }
    return articleId;
  }

  /** The comment's article when this instance knows it already (no query). */
  knownArticleOf(commentId: string): string | undefined {
    return this.articleOfComment.get(commentId);
  }

  /** Pages are cached as the JSON they are sent as: a hit costs neither a query nor a serialization. */
  private async cachedPage(
    key: string,
    ifNoneMatch: string | undefined,
    load: () => Promise<object>,
  ): Promise<CachedJson> {
    const etag = ThreadCache.etag(key);
    if (matchesEtag(ifNoneMatch, etag)) return { etag };
    let json = this.cache.get(key);
    if (json === undefined) {
      json = JSON.stringify(await load());
      this.cache.set(key, json);
    }
    return { etag, json };
  }

  async findOne(id: string, viewer?: AuthUser): Promise<CommentView> {
    const row = await this.findRow(this.dataSource.manager, id);
    if (!row || !canSee(row, viewer)) throw AppError.notFound('The comment');
    return toCommentView(row, viewer);
  }

  /** Posts a comment (CommentPoster: one statement per post, or per batch of posts to one article). */
  create(
    articleId: string,
    input: { body: string; parentId?: string },
    author: AuthUser,
    idempotencyKey?: string,
  ): Promise<CreatedComment> {
    return this.poster.post(articleId, input, author, idempotencyKey);
  }

  /** The author edits inside the edit window; the earlier body is kept and the comment is moderated again. */
  async edit(id: string, rawBody: string, editor: AuthUser): Promise<CommentView> {
    const articleId = await this.articleOf(id);
    return this.transactions.run(
      async (manager) => {
        const user = await this.users.see(manager, editor);
        const { row, article, settings } = await this.lockComment(manager, id, articleId);
        if (row.author_id !== editor.id) {
          if (!canSee(row, editor)) throw AppError.notFound('The comment');
          throw AppError.forbidden('Only its author may edit a comment');
        }
        if (row.deleted_at) throw AppError.notFound('The comment');
        this.users.assertNotBanned(user);
        this.assertOpen(article, settings);
        if (row.status === 'rejected') throw AppError.conflict('A rejected comment cannot be edited');
        if (Date.now() > new Date(row.created_at).getTime() + settings.editWindowSeconds * 1000) {
          throw AppError.conflict(
            `Comments can only be edited for ${settings.editWindowSeconds} seconds after posting`,
          );
        }
        const body = cleanBody(rawBody, settings);
        const decision = await this.decide(manager, {
          author: editor,
          authorOnPremod: user.premod,
          article,
          body,
          settings,
          openReportCount: row.open_report_count,
        });
        await manager.insert(CommentRevision, { commentId: id, body: row.body });
        await sql(
          manager,
          `UPDATE comments SET body = $2, status = $3, moderation_reasons = $4, edited_at = now() WHERE id = $1`,
          [id, body, decision.status, decision.reasons],
        );
        await applyCountChange(manager, countedComment(row), countedState(row), {
          ...countedState(row),
          status: decision.status,
        });
        await this.log.record(manager, {
          action: 'edit',
          actor: editor,
          targetType: 'comment',
          targetId: id,
          articleId: row.article_id,
        });
        if (decision.status !== row.status) {
          await this.recordSystemDecision(manager, { id, articleId: row.article_id }, row.status, decision);
        }
        const after = (await this.findRow(manager, id))!;
        await recordCommentChange(this.events, manager, article.threadVersion, row, after);
        return toCommentView(after, editor);
      },
      { article: articleId },
    );
  }

  /** Its author or a moderator deletes; with replies it stays in the thread as a tombstone. */
  async remove(id: string, actor: AuthUser): Promise<void> {
    const articleId = await this.articleOf(id);
    await this.transactions.run(
      async (manager) => {
        const { row, article } = await this.lockComment(manager, id, articleId);
        const allowed = row.author_id === actor.id || isModerator(actor);
        if (!allowed) {
          if (!canSee(row, actor)) throw AppError.notFound('The comment');
          throw AppError.forbidden('Only its author or a moderator may delete a comment');
        }
        if (row.deleted_at) throw AppError.notFound('The comment');
        await sql(manager, `UPDATE comments SET deleted_at = now() WHERE id = $1`, [id]);
        await applyCountChange(manager, countedComment(row), countedState(row), {
          ...countedState(row),
          deleted: true,
        });
        await this.log.record(manager, {
          action: 'delete',
          actor,
          targetType: 'comment',
          targetId: id,
          articleId: row.article_id,
          fromStatus: row.status,
          reason: row.author_id === actor.id ? 'deleted by its author' : 'deleted by a moderator',
        });
        await recordCommentChange(this.events, manager, article.threadVersion, row, (await this.findRow(manager, id))!);
      },
      { article: articleId },
    );
  }

  /**
   * Locks the comment's article, then the comment: the one lock order every unit of work uses.
   * `articleId` comes from articleOf(), taken before the transaction to queue its writers.
   */
  async lockComment(
    manager: EntityManager,
    id: string,
    articleId: string,
  ): Promise<{ row: CommentRow; article: Article; settings: ModerationSettings }> {
    const { article, settings } = await this.articles.lock(manager, articleId);
    const row = await this.findRow(manager, id, true);
    if (!row || row.article_id !== articleId) throw AppError.notFound('The comment');
    return { row, article, settings };
  }

  /** `from` (a replica, for anonymous readers' pages) counts only outside a transaction. */
  async findRow(
    manager: EntityManager,
    id: string,
    forUpdate = false,
    from: SqlOptions = {},
  ): Promise<CommentRow | undefined> {
    const { rows } = await sql<CommentRow>(
      manager,
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1
       ${forUpdate ? 'FOR UPDATE OF c' : ''}`,
      [id],
      from,
    );
    return rows[0];
  }

  /** Runs the rules on a new or edited body, with the facts about its author that they need. */
  private async decide(
    manager: EntityManager,
    input: Omit<RuleFacts, 'authorApprovedCount' | 'moderationMode'> & { article: Article },
  ): Promise<RuleDecision> {
    const { article, ...facts } = input;
    let authorApprovedCount = 0;
    if (this.rules.needsApprovedCount(facts.author, facts.settings)) {
      const {
        rows: [{ n }],
      } = await sql<{ n: number }>(
        manager,
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM comments WHERE author_id = $1 AND status = 'approved' LIMIT $2) x`,
        [facts.author.id, facts.settings.premodNewCommenters],
      );
      authorApprovedCount = n;
    }
    return this.rules.decide({ ...facts, authorApprovedCount, moderationMode: article.moderationMode });
  }

  /** A status the rules gave a comment, logged as the system's decision with its reasons. */
  private recordSystemDecision(
    manager: EntityManager,
    comment: { id: string; articleId: string },
    fromStatus: CommentStatus | null,
    decision: RuleDecision,
  ): Promise<void> {
    const action = { pending: 'hold', rejected: 'reject', published: 'publish', approved: 'approve' }[decision.status];
    return this.log.record(manager, {
      action,
      actor: null,
      targetType: 'comment',
      targetId: comment.id,
      articleId: comment.articleId,
      fromStatus,
      toStatus: decision.status,
      reason: decision.reasons.join('; ') || (fromStatus ? 'edited: to be reviewed again' : null),
    });
  }

  private ownHeldClause(viewer: AuthUser | undefined, params: unknown[]): string | null {
    if (!viewer || isModerator(viewer)) return null;
    return `c.author_id = $${params.push(viewer.id)} AND c.status = 'pending' AND c.deleted_at IS NULL`;
  }

  private async replyPreviews(
    parentIds: string[],
    viewer?: AuthUser,
    from: SqlOptions = {},
  ): Promise<Map<string, CommentRow[]>> {
    const byParent = new Map<string, CommentRow[]>();
    if (parentIds.length === 0) return byParent;
    const params: unknown[] = [parentIds, REPLY_PREVIEW_COUNT];
    const inner = listingSql('c.parent_id = p.id', '', 'ASC', this.ownHeldClause(viewer, params));
    const { rows } = await sql<CommentRow>(
      this.dataSource,
      `SELECT r.* FROM unnest($1::uuid[]) AS p(id) CROSS JOIN LATERAL (${inner}) r`,
      params,
      from,
    );
    for (const row of rows) {
      const list = byParent.get(row.parent_id!) ?? [];
      list.push(row);
      byParent.set(row.parent_id!, list);
    }
    return byParent;
  }

  private assertOpen(article: Article, settings: ModerationSettings): void {
    const state = closingState(article, settings);
    if (state.closed) throw new AppError(409, 'ARTICLE_CLOSED', state.closedMessage ?? settings.defaultClosedMessage);
  }
}

/**
 * Listed comments matching `where`, in (created_at, id) order, at most $2 of them; with `own`, a
 * signed-in reader's held comments are merged in. Two index scans rather than an OR, which would
 * keep PostgreSQL from reading the partial index over listed comments.
 */
function listingSql(where: string, cursorSql: string, dir: 'ASC' | 'DESC', own: string | null): string {
  const select = (filter: string) => `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
    WHERE ${where} AND ${filter} ${cursorSql} ORDER BY c.created_at ${dir}, c.id ${dir} LIMIT $2`;
  if (!own) return select(LISTED);
  return `SELECT * FROM ((${select(LISTED)}) UNION ALL (${select(own)})) t ORDER BY created_at ${dir}, id ${dir} LIMIT $2`;
}

/** Whose view of a thread this is: everyone's, a moderator's, or one signed-in reader's (with their held comments). */
function viewerKey(viewer?: AuthUser): string {
  if (!viewer) return 'anyone';
  return isModerator(viewer) ? 'moderator' : `reader:${viewer.id}`;
}

function withPosition<T extends { created_at: Date; id: string }>(row: T): T & KeysetPosition {
  return Object.assign(row, { createdAt: row.created_at });
}
