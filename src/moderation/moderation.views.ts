import { ApiProperty } from '@nestjs/swagger';
import { CommentView } from '../comments/comment.view';
import { ReportView } from '../reports/report.view';
import { ModerationLogEntry } from '../journal/moderation-log-entry.entity';

export class QueueArticleView {
  id: string;
  title: string;
  url: string;
}

export class QueueItemView extends CommentView {
  article: QueueArticleView;
  openReportCount: number;
  @ApiProperty({ type: [ReportView], description: 'Open reports, oldest first' })
  reports: ReportView[];
}

export class QueuePageView {
  items: QueueItemView[];
  nextCursor: string | null;
}

export class BulkResultView {
  id: string;
  ok: boolean;
  code?: string;
}

export class BulkResponseView {
  results: BulkResultView[];
}

export class LogActorView {
  id: string;
  name: string | null;
}

export class LogEntryView {
  id: string;
  action: string;
  @ApiProperty({ type: LogActorView, nullable: true, description: 'null: the system decided' })
  actor: LogActorView | null;
  targetType: string;
  targetId: string;
  articleId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  createdAt: Date;

  /** `names`: the actors' names as `users` has them now (null once erased). */
  static of(e: ModerationLogEntry, names: Map<string, string | null>): LogEntryView {
    return {
      id: e.id,
      action: e.action,
      actor: e.actorId === null ? null : { id: e.actorId, name: names.get(e.actorId) ?? null },
      targetType: e.targetType,
      targetId: e.targetId,
      articleId: e.articleId,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      reason: e.reason,
      createdAt: e.createdAt,
    };
  }
}

export class LogPageView {
  items: LogEntryView[];
  nextCursor: string | null;
}

export class BanView {
  banned: boolean;
  since: Date | null;
  until: Date | null;
  reason: string | null;
}

export class ModeratedUserView {
  id: string;
  name: string | null;
  ban: BanView;
  premod: boolean;
  @ApiProperty({ description: 'Comments (not deleted) by status' })
  counts: Record<string, number>;
  recentComments: CommentView[];
  createdAt: Date;
}

export class UserNoteView {
  id: string;
  userId: string;
  author: LogActorView;
  body: string;
  createdAt: Date;
}

export class UserNotePageView {
  items: UserNoteView[];
  nextCursor: string | null;
}
