import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Article } from '../articles/article.entity';
import { ArticlesService } from '../articles/articles.service';
import { sql, SqlOptions } from '../database/sql';
import { AppError } from '../errors/app-error';
import { ModerationSettings } from '../settings/moderation-settings.entity';
import { CountedComment, CountedState } from './comment-counters';
import { COMMENT_COLUMNS, CommentRow } from './comment.view';

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

/**
 * One comment's row, read or locked, for every unit of work on a comment (edits, removal, reports,
 * decisions); it remembers each comment's article, which never changes.
 */
@Injectable()
export class CommentRows {
  private readonly articleOfComment = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly articles: ArticlesService,
  ) {}

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
}
