import { COMMENT_VIEW_FIELDS } from './comment-view.fields';

/** Where the generated function is kept, relative to the repository. */
export const COMMENT_VIEW_SQL_FILE = 'migrations/functions/comment_view.sql';

/** jsonb_build_object() takes at most 100 arguments: larger views are built in parts and joined. */
const FIELDS_PER_CALL = 50;

/**
 * The text of migrations/functions/comment_view.sql, built from the fields of
 * comment-view.fields.ts. The header is written as pg_get_functiondef() prints it (the database
 * functions' test holds each function in the database to its file).
 */
export function commentViewSql(fields: Record<string, { sql: string }> = COMMENT_VIEW_FIELDS): string {
  const entries = Object.entries(fields).map(([name, { sql }]) => `'${name}', ${sql}`);
  const calls: string[] = [];
  for (let i = 0; i < entries.length; i += FIELDS_PER_CALL)
    calls.push(`jsonb_build_object(\n    ${entries.slice(i, i + FIELDS_PER_CALL).join(',\n    ')})`);
  return `-- Generated from src/comments/comment-view.fields.ts by \`npm run generate\`: edit the fields there, not this file.
-- The readers' comment (CommentView) as the database writes it: post_comments() and
-- decide_comment() answer and tell live readers with it, and the service's reads build the same
-- JSON from the same fields with toCommentView(). p_viewer is the signed-in reader (NULL: anyone),
-- p_moderator whether they moderate.
CREATE OR REPLACE FUNCTION public.comment_view(c comments, p_author_name text, p_viewer text DEFAULT NULL::text, p_moderator boolean DEFAULT false)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
AS $function$
  SELECT ${calls.join('\n    || ')}
$function$;
`;
}
