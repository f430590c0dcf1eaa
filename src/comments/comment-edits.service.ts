import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Article } from '../articles/article.entity';
import { closingState } from '../articles/closing';
import { AuthUser } from '../auth/access.decorator';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import { ThreadEvents } from '../live/thread-events.service';
import { ModerationSettings } from '../settings/moderation-settings.entity';
import { UsersService } from '../users/users.service';
import { applyCountChange } from './comment-counters';
import { recordCommentChange } from './comment-events';
import { cleanBody } from './comment-poster';
import { CommentRevision } from './comment-revision.entity';
import { CommentRows, countedComment, countedState } from './comment-rows';
import { CommentStatus, SYSTEM_ACTION } from './comment-state';
import { CommentView, canSee, viewerOn, toCommentView } from './comment.view';
import { ModerationRules, RuleDecision, RuleFacts } from './moderation-rules';

/** An author's edit: the earlier body kept, the rules run again, the change logged and announced. */
@Injectable()
export class CommentEdits {
  constructor(
    private readonly transactions: Transactions,
    private readonly users: UsersService,
    private readonly rules: ModerationRules,
    private readonly log: ModerationLog,
    private readonly events: ThreadEvents,
    private readonly rows: CommentRows,
  ) {}

  /** The author edits inside the edit window; the earlier body is kept and the comment is moderated again. */
  async edit(id: string, rawBody: string, editor: AuthUser): Promise<CommentView> {
    const articleId = await this.rows.articleOf(id);
    return this.transactions.run(
      async (manager) => {
        const user = await this.users.see(manager, editor);
        const { row, article, settings } = await this.rows.lockComment(manager, id, articleId);
        const viewer = viewerOn(editor, article.siteId);
        if (row.author_id !== editor.id) {
          if (!canSee(row, viewer)) throw AppError.notFound('The comment');
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
        const after = (await this.rows.findRow(manager, id))!;
        await recordCommentChange(this.events, manager, article.threadVersion, row, after);
        return toCommentView(after, viewer);
      },
      { article: articleId },
    );
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
    return this.log.record(manager, {
      action: SYSTEM_ACTION[decision.status],
      actor: null,
      targetType: 'comment',
      targetId: comment.id,
      articleId: comment.articleId,
      fromStatus,
      toStatus: decision.status,
      reason: decision.reasons.join('; ') || (fromStatus ? 'edited: to be reviewed again' : null),
    });
  }

  private assertOpen(article: Article, settings: ModerationSettings): void {
    const state = closingState(article, settings);
    if (state.closed) throw new AppError(409, 'ARTICLE_CLOSED', state.closedMessage ?? settings.defaultClosedMessage);
  }
}
