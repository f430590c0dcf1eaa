import { ApiProperty } from '@nestjs/swagger';
import type { ApiPropertyOptions } from '@nestjs/swagger';
import { COMMENT_STATUSES, CommentStatus } from './comment-state';

/**
 * The readers' comment (CommentView), field by field: the one place where a field is added. Each
 * field says how the database's comment_view() builds it (`sql`), how toCommentView() builds it
 * for the service's reads (`read`), which columns of CommentRow it needs, and its OpenAPI schema.
 * From these come the CommentView type and its schema (comment.view.ts) and the text of
 * migrations/functions/comment_view.sql (`npm run generate`, which also rewrites docs/openapi.json).
 */

declare const valueType: unique symbol;
/** A column every comment query selects (`select`, over `comments c JOIN users u`), of type T. */
interface Column<T> {
  select: string;
  /** How comment_view() names it: its parameter p_author_name, or the comment's column. */
  inFunction: string;
  readonly [valueType]?: T;
}
const column = <T>(name: string, select = `c.${name}`, inFunction = `c.${name}`): Column<T> => ({ select, inFunction });

/** The columns of a comment's row: those the fields read, and what moderators' cards and counters need. */
export const COMMENT_ROW = {
  id: column<string>('id'),
  article_id: column<string>('article_id'),
  parent_id: column<string | null>('parent_id'),
  author_id: column<string>('author_id'),
  author_name: column<string | null>('author_name', 'u.name AS author_name', 'p_author_name'),
  body: column<string>('body'),
  status: column<CommentStatus>('status'),
  moderation_reasons: column<string[]>('moderation_reasons'),
  rejection_reason: column<string | null>('rejection_reason'),
  reply_count: column<number>('reply_count'),
  open_report_count: column<number>('open_report_count'),
  created_at: column<Date>('created_at'),
  edited_at: column<Date | null>('edited_at'),
  deleted_at: column<Date | null>('deleted_at'),
};

export type CommentRow = {
  [K in keyof typeof COMMENT_ROW]: (typeof COMMENT_ROW)[K] extends Column<infer T> ? T : never;
};

/** The columns every comment query selects, in the shape of CommentRow. */
export const COMMENT_COLUMNS = Object.values(COMMENT_ROW)
  .map((c) => c.select)
  .join(', ');

/** Who is looking: in SQL p_viewer (the signed-in reader, NULL: anyone) and p_moderator. */
export interface CommentViewer {
  id: string | null;
  moderator: boolean;
}

export class AuthorView {
  @ApiProperty()
  id: string;
  @ApiProperty({ type: String, nullable: true })
  name: string | null;
}

interface ViewField<C extends keyof CommentRow, T, S extends ApiPropertyOptions> {
  /** The columns it reads: in SQL `c.<column>`, and p_author_name for author_name. */
  columns: readonly C[];
  /** Its value in comment_view(), over `c comments`, `p_author_name`, `p_viewer` and `p_moderator`. */
  sql: string;
  /** Its value in toCommentView(), from the same columns. */
  read: (row: Pick<CommentRow, C>, viewer: CommentViewer) => T;
  /** Its OpenAPI schema, as @ApiProperty takes it (the compiler holds it to `read`, see below). */
  schema: S;
}
const field = <C extends keyof CommentRow, T, S extends ApiPropertyOptions>(f: ViewField<C, T, S>) => f;

/** A deleted comment is a tombstone: only moderators still see who wrote what. */
const contentShown = {
  sql: '(c.deleted_at IS NULL OR p_moderator)',
  read: (row: Pick<CommentRow, 'deleted_at'>, viewer: CommentViewer) => row.deleted_at === null || viewer.moderator,
};
/** Moderators and the comment's own author see why it was held or rejected. */
const privileged = {
  sql: '(p_moderator OR p_viewer = c.author_id)',
  read: (row: Pick<CommentRow, 'author_id'>, viewer: CommentViewer) => viewer.moderator || viewer.id === row.author_id,
};

/** The fields, in the order the JSON has them. */
export const COMMENT_VIEW_FIELDS = {
  id: field({ columns: ['id'], sql: 'c.id', read: (row) => row.id, schema: { type: String } }),
  articleId: field({
    columns: ['article_id'],
    sql: 'c.article_id',
    read: (row) => row.article_id,
    schema: { type: String },
  }),
  parentId: field({
    columns: ['parent_id'],
    sql: 'c.parent_id',
    read: (row) => row.parent_id,
    schema: { type: String, nullable: true },
  }),
  author: field({
    columns: ['author_id', 'author_name', 'deleted_at'],
    sql: `CASE WHEN ${contentShown.sql} THEN jsonb_build_object('id', c.author_id, 'name', p_author_name) END`,
    read: (row, viewer) => (contentShown.read(row, viewer) ? { id: row.author_id, name: row.author_name } : null),
    schema: { type: AuthorView, nullable: true, description: 'null on a deleted comment' },
  }),
  body: field({
    columns: ['body', 'deleted_at'],
    sql: `CASE WHEN ${contentShown.sql} THEN c.body END`,
    read: (row, viewer) => (contentShown.read(row, viewer) ? row.body : null),
    schema: { type: String, nullable: true, description: 'Plain text; null on a deleted comment' },
  }),
  status: field({
    columns: ['status'],
    sql: 'c.status',
    read: (row) => row.status,
    schema: { enum: COMMENT_STATUSES },
  }),
  moderationReasons: field({
    columns: ['moderation_reasons', 'author_id'],
    sql: `CASE WHEN ${privileged.sql} THEN to_jsonb(c.moderation_reasons) ELSE '[]'::jsonb END`,
    read: (row, viewer): string[] => (privileged.read(row, viewer) ? row.moderation_reasons : []),
    schema: { type: [String], description: 'Why the comment was held; shown to its author and moderators' },
  }),
  rejectionReason: field({
    columns: ['rejection_reason', 'status', 'author_id'],
    sql: `CASE WHEN ${privileged.sql} AND c.status = 'rejected' THEN c.rejection_reason END`,
    read: (row, viewer) => (privileged.read(row, viewer) && row.status === 'rejected' ? row.rejection_reason : null),
    schema: {
      type: String,
      nullable: true,
      description:
        "A rejected comment: the rejection reason the moderator picked from the settings' list; shown to its author and moderators, null otherwise",
    },
  }),
  replyCount: field({
    columns: ['reply_count'],
    sql: 'c.reply_count',
    read: (row) => row.reply_count,
    schema: {
      type: Number,
      description:
        'Its listed direct replies, which GET /api/comments/{id}/replies pages through (replies to those are counted on them); a deleted reply counts while it has listed replies of its own',
    },
  }),
  createdAt: field({
    columns: ['created_at'],
    sql: 'json_timestamp(c.created_at)',
    read: (row) => row.created_at,
    schema: { type: Date },
  }),
  editedAt: field({
    columns: ['edited_at'],
    sql: 'json_timestamp(c.edited_at)',
    read: (row) => row.edited_at,
    schema: { type: Date, nullable: true },
  }),
  deleted: field({
    columns: ['deleted_at'],
    sql: 'c.deleted_at IS NOT NULL',
    read: (row) => row.deleted_at !== null,
    schema: { type: Boolean },
  }),
};

/** The schema of a value of type T, in @ApiProperty's terms: nullable exactly when T may be null. */
type SchemaOf<T> = TypeSchema<NonNullable<T>> & (null extends T ? { nullable: true } : { nullable?: false });
type TypeSchema<T> = [T] extends [Date]
  ? { type: DateConstructor }
  : [T] extends [boolean]
    ? { type: BooleanConstructor }
    : [T] extends [number]
      ? { type: NumberConstructor | 'integer' }
      : [T] extends [string]
        ? { type: StringConstructor } | { enum: readonly T[] }
        : [T] extends [string[]]
          ? { type: StringConstructor[] }
          : { type: new () => T };
type SchemasOf<F extends Record<string, { read: (...args: never[]) => unknown }>> = {
  [K in keyof F]: { schema: SchemaOf<ReturnType<F[K]['read']>> };
};
COMMENT_VIEW_FIELDS satisfies SchemasOf<typeof COMMENT_VIEW_FIELDS>;

/** The readers' comment, as both builders make it (JSON turns the dates into ISO strings). */
export type CommentViewFields = {
  [K in keyof typeof COMMENT_VIEW_FIELDS]: ReturnType<(typeof COMMENT_VIEW_FIELDS)[K]['read']>;
};
