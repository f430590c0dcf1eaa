import { ApiProperty } from '@nestjs/swagger';
import { COMMENT_STATUSES } from '../comments/comment.entity';
import { BanView } from '../users/users.views';

export class ProfileView {
  id: string;
  @ApiProperty({ type: String, nullable: true })
  name: string | null;
  premod: boolean;
  ban: BanView;
  createdAt: Date;
  updatedAt: Date;
}

export class DataArticleView {
  id: string;
  url: string;
  title: string;
}

export class RevisionView {
  body: string;
  @ApiProperty({ description: 'When this body was replaced by an edit' })
  replacedAt: Date;
}

export class ImportedFromView {
  source: string;
  sourceId: string;
}

export class DataCommentView {
  id: string;
  article: DataArticleView;
  @ApiProperty({ type: String, nullable: true })
  parentId: string | null;
  body: string;
  @ApiProperty({ enum: COMMENT_STATUSES })
  status: string;
  moderationReasons: string[];
  @ApiProperty({ type: String, nullable: true, description: 'The reason given to a rejected comment' })
  rejectionReason: string | null;
  createdAt: Date;
  @ApiProperty({ type: Date, nullable: true })
  editedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true })
  deletedAt: Date | null;
  @ApiProperty({ type: ImportedFromView, nullable: true })
  importedFrom: ImportedFromView | null;
  @ApiProperty({ type: [RevisionView], description: 'Earlier bodies, oldest first' })
  revisions: RevisionView[];
}

export class DataReportView {
  id: string;
  commentId: string;
  reason: string;
  @ApiProperty({ type: String, nullable: true })
  note: string | null;
  createdAt: Date;
  @ApiProperty({ type: Date, nullable: true })
  resolvedAt: Date | null;
}

/** Everything stored about a reader (GDPR articles 15 and 20). */
export class PersonalDataView {
  exportedAt: Date;
  @ApiProperty({ type: ProfileView, nullable: true, description: 'null: nothing was ever recorded about this user' })
  profile: ProfileView | null;
  @ApiProperty({ type: [DataCommentView], description: 'Every comment, in every status, deleted ones included' })
  comments: DataCommentView[];
  @ApiProperty({ type: [DataReportView] })
  reports: DataReportView[];
}

export class ErasureView {
  userId: string;
  @ApiProperty({ description: 'Comments deleted with their revisions' })
  commentsRemoved: number;
  @ApiProperty({ description: 'Comments with replies, kept in their threads as tombstones without text or revisions' })
  commentsKeptAsTombstones: number;
  articles: number;
}
