import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ThreadArticleView } from '../articles/article.view';
import { ArticlesService } from '../articles/articles.service';
import { AuthUser } from '../auth/access.decorator';
import { readOnReplica, sql, SqlOptions } from '../database/sql';
import { AppError } from '../errors/app-error';
import { SettingsService } from '../settings/settings.service';
import { CommentContextView } from './comment-context.view';
import { COMMENT_COLUMNS, CommentRow, canSee, toCommentView, viewerOn } from './comment.view';

/**
 * A comment with its chain of parents, under the thread reads' rules: a viewer who could not
 * reach the comment through the thread (it or a parent held, rejected or gone) is told it is not found.
 */
@Injectable()
export class CommentContexts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly articles: ArticlesService,
    private readonly settings: SettingsService,
  ) {}

  read(id: string, viewer?: AuthUser): Promise<CommentContextView> {
    // Anonymous readers are served by a replica, as their thread pages are.
    const read = (from: SqlOptions) => this.readFrom(from, id, viewer);
    return viewer ? read({ replica: false }) : readOnReplica(this.dataSource, read);
  }

  private async readFrom(from: SqlOptions, id: string, viewer: AuthUser | undefined): Promise<CommentContextView> {
    const { rows } = await sql<CommentRow>(
      this.dataSource,
      `WITH RECURSIVE chain (id, parent_id, depth) AS (
         SELECT id, parent_id, 0 FROM comments WHERE id = $1
         UNION ALL
         SELECT p.id, p.parent_id, chain.depth + 1 FROM comments p JOIN chain ON p.id = chain.parent_id
       )
       SELECT ${COMMENT_COLUMNS} FROM chain JOIN comments c ON c.id = chain.id JOIN users u ON u.id = c.author_id
       ORDER BY chain.depth DESC`,
      [id],
      from,
    );
    const comment = rows[rows.length - 1];
    if (!comment || comment.id !== id) throw AppError.notFound('The comment');
    const article = await this.articles.read(comment.article_id, from);
    if (!article) throw AppError.notFound('The comment');
    const reader = viewerOn(viewer, article.siteId);
    if (!rows.every((row) => canSee(row, reader))) throw AppError.notFound('The comment');
    const settings = await this.settings.cached(article.siteId);
    return {
      article: ThreadArticleView.of(article, settings),
      ancestors: rows.slice(0, -1).map((row) => toCommentView(row, reader)),
      comment: toCommentView(comment, reader),
    };
  }
}
