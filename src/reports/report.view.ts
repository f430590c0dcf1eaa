import { ApiProperty } from '@nestjs/swagger';
import { REPORT_REASONS, ReportReason } from './report.entity';

export class ReportView {
  id: string;
  commentId: string;
  @ApiProperty({ description: 'Shown to moderators only' })
  userId?: string;
  @ApiProperty({ enum: REPORT_REASONS })
  reason: ReportReason;
  note: string | null;
  createdAt: Date;
}

export interface ReportRow {
  id: string;
  comment_id: string;
  user_id: string;
  reason: ReportReason;
  note: string | null;
  created_at: Date;
}

export const toReportView = (row: ReportRow, withUser: boolean): ReportView => ({
  id: row.id,
  commentId: row.comment_id,
  ...(withUser ? { userId: row.user_id } : {}),
  reason: row.reason,
  note: row.note,
  createdAt: row.created_at,
});
