import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/access.decorator';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import { ThreadEvents } from '../live/thread-events.service';
import { applyCountChange } from './comment-counters';
import { recordCommentChange } from './comment-events';
import { CommentRows, countedComment, countedState } from './comment-rows';
import { canSee, viewerOn } from './comment.view';

/** Deleting a comment: by its author or a moderator, logged and announced; with replies it stays as a tombstone. */
@Injectable()
export class CommentRemoval {
  constructor(
    private readonly transactions: Transactions,
    private readonly log: ModerationLog,
    private readonly events: ThreadEvents,
    private readonly rows: CommentRows,
  ) {}

  /** Its author or a moderator deletes; with replies it stays in the thread as a tombstone. */
  async remove(id: string, actor: AuthUser): Promise<void> {
    const articleId = await this.rows.articleOf(id);
    await this.transactions.run(
      async (manager) => {
        const { row, article } = await this.rows.lockComment(manager, id, articleId);
        const viewer = viewerOn(actor, article.siteId);
        const allowed = row.author_id === actor.id || viewer.moderator;
        if (!allowed) {
          if (!canSee(row, viewer)) throw AppError.notFound('The comment');
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
        await recordCommentChange(
          this.events,
          manager,
          article.threadVersion,
          row,
          (await this.rows.findRow(manager, id))!,
        );
      },
      { article: articleId },
    );
  }
}
