import { ApiProperty } from '@nestjs/swagger';
import { ThreadArticleView } from '../articles/article.view';
import { AuthUser, isModerator } from '../auth/access.decorator';
import { COMMENT_STATUSES, CommentStatus, isListed } from './comment-state';

/**
 * The columns every comment query selects, in the shape of CommentRow: `view` is the comment as
 * readers' JSON, built by the database's comment_view() (migrations/functions/comment_view.sql),
 * the one builder of it, as a moderator sees it; toCommentView() takes from it what a viewer sees.
 */
export const COMMENT_COLUMNS = `c.id, c.article_id, c.parent_id, c.author_id, u.name AS author_name, c.body, c.status,
  c.moderation_reasons, c.reply_count, c.open_report_count, c.created_at, c.edited_at, c.deleted_at,
  comment_view(c, u.name, NULL, true) AS view`;

export interface CommentRow {
  id: string;
  article_id: string;
  parent_id: string | null;
  author_id: string;
  author_name: string | null;
  body: string;
  status: CommentStatus;
  moderation_reasons: string[];
  reply_count: number;
  open_report_count: number;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  view: CommentView;
}

export class AuthorView {
  id: string;
  name: string | null;
}

/**
 * A comment as readers' JSON. Its one builder is the database's comment_view(); this class types
 * it (and documents it in the OpenAPI document): a field added there is declared here. Its times
 * arrive as the JSON strings they are sent as.
 */
export class CommentView {
  id: string;
  articleId: string;
  parentId: string | null;
  @ApiProperty({ type: AuthorView, nullable: true, description: 'null on a deleted comment' })
  author: AuthorView | null;
  @ApiProperty({ type: String, nullable: true, description: 'Plain text; null on a deleted comment' })
  body: string | null;
  @ApiProperty({ enum: COMMENT_STATUSES })
  status: CommentStatus;
  @ApiProperty({ description: 'Why the comment was held; shown to its author and moderators' })
  moderationReasons: string[];
  replyCount: number;
  @ApiProperty({ type: () => [CommentView], required: false, description: 'In threads: the first direct replies' })
  replies?: CommentView[];
  createdAt: Date;
  editedAt: Date | null;
  deleted: boolean;
}

export class ThreadPage {
  article: ThreadArticleView;
  items: CommentView[];
  nextCursor: string | null;
}

export class CommentPageView {
  items: CommentView[];
  nextCursor: string | null;
}

/**
 * What `viewer` sees of the comment: its view with what they may not see taken out, as
 * comment_view() takes it out for the viewer it is given (a test holds the two to one result).
 */
export function toCommentView(row: CommentRow, viewer?: AuthUser | null): CommentView {
  const privileged = isModerator(viewer) || viewer?.id === row.author_id;
  const hideContent = row.deleted_at !== null && !isModerator(viewer);
  return {
    ...row.view,
    author: hideContent ? null : row.view.author,
    body: hideContent ? null : row.view.body,
    moderationReasons: privileged ? row.view.moderationReasons : [],
  };
}

/** Whether a viewer may see a comment at all (deleted ones stay, as tombstones, while they have replies). */
export function canSee(row: CommentRow, viewer?: AuthUser | null): boolean {
  if (isModerator(viewer)) return true;
  if (isListed(row.status, row.deleted_at !== null, row.reply_count)) return true;
  return viewer?.id === row.author_id && row.deleted_at === null;
}
