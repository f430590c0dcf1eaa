import { ApiProperty } from '@nestjs/swagger';
import { REPORT_REASONS, ReportReason } from './report.entity';

export class ReporterView {
  id: string;
  @ApiProperty({ type: String, nullable: true })
  name: string | null;
}

export class ReportView {
  id: string;
  commentId: string;
  @ApiProperty({ description: 'Shown to moderators only' })
  userId?: string;
  @ApiProperty({
    type: ReporterView,
    required: false,
    description: 'Who reported, by their name as the service knows it now; shown to moderators only',
  })
  reporter?: ReporterView;
  @ApiProperty({ enum: REPORT_REASONS })
  reason: ReportReason;
  note: string | null;
  createdAt: Date;
}

export interface ReportRow {
  id: string;
  comment_id: string;
  user_id: string;
  /** The reporter's display name, where the query joined users. */
  user_name?: string | null;
  reason: ReportReason;
  note: string | null;
  created_at: Date;
}

export const toReportView = (row: ReportRow, withUser: boolean): ReportView => ({
  id: row.id,
  commentId: row.comment_id,
  ...(withUser ? { userId: row.user_id, reporter: { id: row.user_id, name: row.user_name ?? null } } : {}),
  reason: row.reason,
  note: row.note,
  createdAt: row.created_at,
});
