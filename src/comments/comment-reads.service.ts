import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ThreadArticleView } from '../articles/article.view';
import { ArticlesService } from '../articles/articles.service';
import { AuthUser } from '../auth/access.decorator';
import { decodeCursor, KeysetPosition, toPage } from '../common/pagination';
import { readOnReplica, sql, SqlOptions } from '../database/sql';
import { AppError } from '../errors/app-error';
import { SettingsService } from '../settings/settings.service';
import { CommentRows } from './comment-rows';
import { listedCommentSql } from './comment-state';
import {
  COMMENT_COLUMNS,
  CommentRow,
  CommentView,
  canSee,
  ThreadPage,
  toCommentView,
  CommentViewer,
  viewerOn,
} from './comment.view';
import { ThreadQueryDto } from './dto/comment.dto';
import { matchesEtag, ThreadCache } from './thread-cache';

export const REPLY_PREVIEW_COUNT = 3;
const LISTED = listedCommentSql('c');

/** A page as JSON and its ETag; no JSON when the client's copy (If-None-Match) is current. */
export interface CachedJson {
  etag: string;
  json?: string;
}

type PageQuery = { limit: number; cursor?: string };

/** Comments as readers and moderators read them: thread and reply pages from the page cache, and single comments. */
@Injectable()
export class CommentReads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly articles: ArticlesService,
    private readonly settings: SettingsService,
    private readonly rows: CommentRows,
    private readonly cache: ThreadCache,
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
    const article = await this.articles.read(articleId, from);
    if (!article) throw AppError.notFound('The article');
    const settings = await this.settings.cached(article.siteId);
    const reader = viewerOn(viewer, article.siteId);
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
      viewerKey(reader),
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
      const own = this.ownHeldClause(reader, params);
      const text = listingSql('c.article_id = $1 AND c.parent_id IS NULL', cursorSql, dir, own);
      const rows = (await sql<CommentRow>(this.dataSource, text, params, from)).rows;
      const page = toPage(list, rows.map(withPosition), query.limit);
      const replies = await this.replyPreviews(
        page.items.map((r) => r.id),
        reader,
        from,
      );
      return {
        article: head,
        items: page.items.map((row) => ({
          ...toCommentView(row, reader),
          replies: (replies.get(row.id) ?? []).map((r) => toCommentView(r, reader)),
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
    const article = await this.articles.read(await this.rows.articleOf(parentId, from), from);
    // (A replica may not have the article yet when the comment's article is remembered from the primary.)
    if (!article) throw AppError.notFound('The comment');
    const reader = viewerOn(viewer, article.siteId);
    const key = ['replies', parentId, article.threadVersion, query.limit, query.cursor, viewerKey(reader)].join('|');
    return this.cachedPage(key, ifNoneMatch, async () => {
      const parent = await this.rows.findRow(this.dataSource.manager, parentId, false, from);
      if (!parent || !canSee(parent, reader)) throw AppError.notFound('The comment');
      const after = decodeCursor('replies', query.cursor);
      const params: unknown[] = [parentId, query.limit + 1];
      const cursorSql = after
        ? `AND (c.created_at, c.id) > ($${params.push(after.createdAt)}, $${params.push(after.id)})`
        : '';
      const own = this.ownHeldClause(reader, params);
      const text = listingSql('c.parent_id = $1', cursorSql, 'ASC', own);
      const rows = (await sql<CommentRow>(this.dataSource, text, params, from)).rows;
      const page = toPage('replies', rows.map(withPosition), query.limit);
      return { items: page.items.map((r) => toCommentView(r, reader)), nextCursor: page.nextCursor };
    });
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
    const row = await this.rows.findRow(this.dataSource.manager, id);
    const article = row && (await this.articles.read(row.article_id));
    const reader = viewerOn(viewer, article?.siteId ?? 0);
    if (!row || !canSee(row, reader)) throw AppError.notFound('The comment');
    return toCommentView(row, reader);
  }

  private ownHeldClause(viewer: CommentViewer, params: unknown[]): string | null {
    if (viewer.id === null || viewer.moderator) return null;
    return `c.author_id = $${params.push(viewer.id)} AND c.status = 'pending' AND c.deleted_at IS NULL`;
  }

  private async replyPreviews(
    parentIds: string[],
    viewer: CommentViewer,
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
function viewerKey(viewer: CommentViewer): string {
  if (viewer.moderator) return 'moderator';
  return viewer.id === null ? 'anyone' : `reader:${viewer.id}`;
}

function withPosition<T extends { created_at: Date; id: string }>(row: T): T & KeysetPosition {
  return Object.assign(row, { createdAt: row.created_at });
}
