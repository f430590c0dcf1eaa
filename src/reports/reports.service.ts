import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { applyCountChange } from '../comments/comment-counters';
import { canSee, viewerOn } from '../comments/comment.view';
import { CommentRows, countedComment, countedState } from '../comments/comment-rows';
import { PG, pgCode } from '../errors/pg-errors';
import { Transactions } from '../database/transactions';
import { sql } from '../database/sql';
import { AppError } from '../errors/app-error';
import { recordCommentChange } from '../comments/comment-events';
import { ModerationEvents } from '../live/moderation-events.service';
import { ThreadEvents } from '../live/thread-events.service';
import { ModerationLog } from '../journal/moderation-log.service';
import { recordOutbox } from '../deliveries/outbox';
import { UsersService } from '../users/users.service';
import { CreateReportDto } from './dto/create-report.dto';
import { ReportRow, ReportView, toReportView } from './report.view';

@Injectable()
export class ReportsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly comments: CommentRows,
    private readonly users: UsersService,
    private readonly log: ModerationLog,
    private readonly events: ThreadEvents,
    private readonly moderationEvents: ModerationEvents,
  ) {}

  /**
   * One report per reader and comment; the database's unique key decides between racing reports.
   * A visible comment that reaches the report threshold is withheld until a moderator decides.
   */
  async create(commentId: string, dto: CreateReportDto, reporter: AuthUser): Promise<ReportView> {
    const articleId = await this.comments.articleOf(commentId);
    return this.transactions.run(
      async (manager) => {
        await this.users.see(manager, reporter);
        const { row, article, settings } = await this.comments.lockComment(manager, commentId, articleId);
        if (!canSee(row, viewerOn(reporter, article.siteId)) || row.deleted_at) throw AppError.notFound('The comment');
        if (row.author_id === reporter.id) throw AppError.forbidden('You cannot report your own comment');
        let report: ReportRow;
        try {
          ({
            rows: [report],
          } = await sql<ReportRow>(
            manager,
            `INSERT INTO reports (comment_id, user_id, reason, note) VALUES ($1, $2, $3, $4)
           RETURNING id, comment_id, user_id, reason, note, created_at`,
            [commentId, reporter.id, dto.reason, dto.note ?? null],
          ));
        } catch (error) {
          if (pgCode(error) === PG.UNIQUE_VIOLATION) throw AppError.conflict('You have already reported this comment');
          throw error;
        }
        const openReports = row.open_report_count + 1;
        const withhold =
          row.status !== 'pending' && row.status !== 'rejected' && openReports >= settings.reportThreshold;
        const reason = `${openReports} open reports (threshold ${settings.reportThreshold})`;
        await sql(
          manager,
          `UPDATE comments SET open_report_count = $2,
           status = CASE WHEN $3 THEN 'pending' ELSE status END,
           moderation_reasons = CASE WHEN $3 THEN array_append(moderation_reasons, $4) ELSE moderation_reasons END
         WHERE id = $1`,
          [commentId, openReports, withhold, reason],
        );
        await applyCountChange(manager, countedComment(row), countedState(row), {
          ...countedState(row),
          status: withhold ? 'pending' : row.status,
          reported: true,
        });
        if (withhold) {
          await recordCommentChange(
            this.events,
            manager,
            article.threadVersion,
            row,
            (await this.comments.findRow(manager, commentId))!,
          );
          await this.log.record(manager, {
            action: 'hold',
            actor: null,
            targetType: 'comment',
            targetId: commentId,
            articleId: row.article_id,
            fromStatus: row.status,
            toStatus: 'pending',
            reason,
          });
        }
        // Without the reporter's note or name: the stream keeps no text of a reader's own, which an
        // erasure could not reach there (the queue shows both).
        const { note: _note, reporter: _reporter, ...reported } = toReportView(report, true);
        await this.moderationEvents.record(manager, 'comment.reported', {
          ...reported,
          articleId: row.article_id,
          siteId: article.siteId,
          openReportCount: openReports,
          withheld: withhold,
        });
        await recordOutbox(manager, 'comment.reported', {
          actor: { id: reporter.id },
          targetType: 'comment',
          targetId: commentId,
          articleId: row.article_id,
          reason: reported.reason,
          createdAt: new Date(reported.createdAt).toISOString(),
          siteId: article.siteId,
          reportId: reported.id,
          openReportCount: openReports,
        });
        return toReportView(report, false);
      },
      { article: articleId },
    );
  }

  /**
   * Closes a comment's open reports. The caller zeroes the comment's open_report_count and adjusts
   * the counts with the rest of its change.
   */
  async resolveAll(manager: EntityManager, commentId: string, resolver: AuthUser): Promise<number> {
    const { rowCount: affected } = await sql(
      manager,
      `UPDATE reports SET resolved_at = now(), resolved_by = $2 WHERE comment_id = $1 AND resolved_at IS NULL`,
      [commentId, resolver.id],
    );
    return affected;
  }

  async openReports(manager: EntityManager, commentIds: string[]): Promise<Map<string, ReportView[]>> {
    const rows: ReportRow[] = commentIds.length
      ? (
          await sql<ReportRow>(
            manager,
            `SELECT r.id, r.comment_id, r.user_id, u.name AS user_name, r.reason, r.note, r.created_at
           FROM reports r JOIN users u ON u.id = r.user_id
           WHERE r.comment_id = ANY($1::uuid[]) AND r.resolved_at IS NULL ORDER BY r.created_at, r.id`,
            [commentIds],
          )
        ).rows
      : [];
    const byComment = new Map<string, ReportView[]>();
    for (const row of rows)
      byComment.set(row.comment_id, [...(byComment.get(row.comment_id) ?? []), toReportView(row, true)]);
    return byComment;
  }
}
