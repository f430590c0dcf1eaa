import { ApiProperty } from '@nestjs/swagger';
import { CommentView } from '../comments/comment.view';
import { ReportView } from '../reports/report.view';
import { LogActorView, LogEntryView } from '../journal/log-entry.view';
import { BanView } from '../users/users.views';

/** A site as a moderator's card names it. */
export class SiteLabelView {
  @ApiProperty({ description: "The site's key, as `site=` takes it" })
  key: string;
  name: string;
}

export class QueueArticleView {
  id: string;
  title: string;
  url: string;
  @ApiProperty({ description: 'The site the article belongs to' })
  site: SiteLabelView;
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

export class LogPageView {
  items: LogEntryView[];
  nextCursor: string | null;
}

export class LogPeopleView {
  items: LogActorView[];
}

export class ModeratedUserView {
  id: string;
  name: string | null;
  ban: BanView;
  premod: boolean;
  @ApiProperty({ description: 'Comments (not deleted) by status' })
  counts: Record<string, number>;
  @ApiProperty({ description: 'Comments waiting for a moderator: held for review or reported, not rejected' })
  waiting: number;
  recentComments: CommentView[];
  createdAt: Date;
}

export class WaitingRejectionsView {
  @ApiProperty({ description: 'Waiting comments the ban rejected' })
  rejected: number;
  @ApiProperty({ description: 'Waiting comments someone else decided meanwhile, left as they were' })
  skipped: number;
}

export class BannedUserView extends ModeratedUserView {
  @ApiProperty({ description: 'What rejectWaiting did: zeros without it' })
  waitingRejections: WaitingRejectionsView;
}
