import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { mustHold } from '../auth/site-access';
import { CommentStatus } from '../comments/comment.entity';
import { DECIDED_STATUS, Decision } from '../comments/comment-state';
import { CommentView } from '../comments/comment.view';
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

type Place = { siteId: number; articleId: string };

/** Moderators' decisions on comments: approve, reject, restore, one at a time or in bulk. */
@Injectable()
export class ModerationDecisions {
  private readonly places = new Map<string, Place>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
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
    const { siteId, articleId } = await this.placeOf(id, moderator);
    await this.checkReasonLabel(decision, dto.reasonLabel, siteId);
    return this.change(id, decision, DECIDED_STATUS[decision], dto, moderator, articleId);
  }

  /**
   * The comment's article and its site, where the moderator must hold the role: a comment of a
   * site they do not moderate is answered as missing. Neither ever changes: remembered, they cost
   * a decision no query (decide_comment() still finds a comment erased since as missing).
   */
  private async placeOf(id: string, moderator: AuthUser): Promise<Place> {
    let place = this.places.get(id);
    if (!place) {
      const { rows } = await sql<{ site_id: number; article_id: string }>(
        this.dataSource,
        `SELECT a.site_id, a.id AS article_id FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.id = $1`,
        [id],
      );
      if (!rows[0]) throw AppError.notFound('The comment');
      place = { siteId: rows[0].site_id, articleId: rows[0].article_id };
      if (this.places.size >= 100_000) this.places.clear();
      this.places.set(id, place);
    }
    mustHold(moderator, place.siteId, 'moderator', 'The comment');
    return place;
  }

  /** A label is given to rejections only, and must be one of the site's list as it stands. */
  private async checkReasonLabel(decision: Decision, label: string | undefined, siteId: number): Promise<void> {
    if (label === undefined) return;
    const refuse = (message: string) => AppError.validation(message, [{ field: 'reasonLabel', messages: [message] }]);
    if (decision !== 'reject') throw refuse('reasonLabel is given to rejections only');
    const { rejectionReasons } = await this.settings.current(siteId);
    if (!rejectionReasons.includes(label)) {
      throw refuse(`reasonLabel must be one of the rejection reasons in the settings: ${rejectionReasons.join(', ')}`);
    }
  }

  /** Takes a decision back: the comment returns to the queue it came from, if no one changed it since. */
  async restore(id: string, dto: RestoreDto, moderator: AuthUser): Promise<CommentView> {
    const { articleId } = await this.placeOf(id, moderator);
    return this.change(id, 'restore', dto.status, dto, moderator, articleId);
  }

  /** One round trip: decide_comment() (migrations/functions/decide_comment.sql) is the unit of work. */
  private async change(
    id: string,
    decision: Decision,
    toStatus: CommentStatus,
    dto: DecisionDto,
    moderator: AuthUser,
    articleId: string,
  ): Promise<CommentView> {
    const {
      rows: [{ result }],
    } = await this.transactions.statement(
      () =>
        sql<{ result: DecideResult }>(
          this.dataSource,
          `SELECT decide_comment($1, $2, $3, $4, $5, $6, $7, $8, $9) AS result`,
          [
            id,
            articleId,
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

  /**
   * Each comment is decided in its own transaction: one failure does not undo the others. A comment
   * of a site the moderator does not moderate is reported as not found, as a missing one is; a
   * label is checked against the request's site first (a 400 for all), then each comment's site.
   */
  async bulk(dto: BulkDecisionDto, moderator: AuthUser, siteId: number): Promise<BulkResponseView> {
    await this.checkReasonLabel(dto.action, dto.reasonLabel, siteId);
    const decision = { reason: dto.reason, reasonLabel: dto.reasonLabel };
    const results: BulkResponseView['results'] = [];
    for (const id of dto.commentIds) {
      try {
        const place = await this.placeOf(id, moderator);
        if (place.siteId !== siteId) await this.checkReasonLabel(dto.action, dto.reasonLabel, place.siteId);
        await this.change(id, dto.action, DECIDED_STATUS[dto.action], decision, moderator, place.articleId);
        results.push({ id, ok: true });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ id, ok: false, code: error.code });
      }
    }
    return { results };
  }
}
