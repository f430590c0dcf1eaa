import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { CommentStatus } from '../comments/comment.entity';
import { DECIDED_STATUS, Decision } from '../comments/comment-state';
import { CommentView } from '../comments/comment.view';
import { CommentRows } from '../comments/comment-rows';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { SettingsService } from '../settings/settings.service';
import { RenamedAuthors } from '../users/renamed-authors';
import { BulkDecisionDto, DecisionDto, RestoreDto } from './dto/moderation.dto';
import { BulkResponseView } from './moderation.views';

type DecideResult = { renamed: boolean } & (
  | { outcome: 'decided' | 'unchanged'; view: CommentView }
  | { outcome: 'not_found' }
  | { outcome: 'conflict'; status: CommentStatus }
);

/** Moderators' decisions on comments: approve, reject, restore, one at a time or in bulk. */
@Injectable()
export class ModerationDecisions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly comments: CommentRows,
    private readonly renamedAuthors: RenamedAuthors,
    private readonly settings: SettingsService,
  ) {}

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
    await this.checkReasonLabel(decision, dto.reasonLabel);
    return this.change(id, decision, DECIDED_STATUS[decision], dto, moderator);
  }

  /** A label is given to rejections only, and must be one of the site's list as it stands. */
  private async checkReasonLabel(decision: Decision, label: string | undefined): Promise<void> {
    if (label === undefined) return;
    const refuse = (message: string) => AppError.validation(message, [{ field: 'reasonLabel', messages: [message] }]);
    if (decision !== 'reject') throw refuse('reasonLabel is given to rejections only');
    const { rejectionReasons } = await this.settings.current();
    if (!rejectionReasons.includes(label)) {
      throw refuse(`reasonLabel must be one of the rejection reasons in the settings: ${rejectionReasons.join(', ')}`);
    }
  }

  /** Takes a decision back: the comment returns to the queue it came from, if no one changed it since. */
  restore(id: string, dto: RestoreDto, moderator: AuthUser): Promise<CommentView> {
    return this.change(id, 'restore', dto.status, dto, moderator);
  }

  /** One round trip: decide_comment() (migrations/functions/decide_comment.sql) is the unit of work. */
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
          `SELECT decide_comment($1, $2, $3, $4, $5, $6, $7, $8, $9) AS result`,
          [
            id,
            articleId ?? null,
            decision,
            toStatus,
            dto.expectedStatus ?? null,
            moderator.id,
            moderator.name,
            dto.reason ?? null,
            dto.reasonLabel ?? null,
          ],
        ),
      { article: articleId },
    );
    if (result.renamed) void this.renamedAuthors.renewThreads([moderator.id]);
    if (result.outcome === 'not_found') throw AppError.notFound('The comment');
    if (result.outcome === 'conflict') {
      throw AppError.conflict(`The comment is ${result.status}, not ${dto.expectedStatus}`);
    }
    return result.view;
  }

  /** Each comment is decided in its own transaction: one failure does not undo the others. */
  async bulk(dto: BulkDecisionDto, moderator: AuthUser): Promise<BulkResponseView> {
    await this.checkReasonLabel(dto.action, dto.reasonLabel);
    const decision = { reason: dto.reason, reasonLabel: dto.reasonLabel };
    const results: BulkResponseView['results'] = [];
    for (const id of dto.commentIds) {
      try {
        await this.change(id, dto.action, DECIDED_STATUS[dto.action], decision, moderator);
        results.push({ id, ok: true });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ id, ok: false, code: error.code });
      }
    }
    return { results };
  }
}
