-- Generated from src/comments/comment-view.fields.ts by `npm run generate`: edit the fields there, not this file.
-- The readers' comment (CommentView) as the database writes it: post_comments() and
-- decide_comment() answer and tell live readers with it, and the service's reads build the same
-- JSON from the same fields with toCommentView(). p_viewer is the signed-in reader (NULL: anyone),
-- p_moderator whether they moderate.
CREATE OR REPLACE FUNCTION public.comment_view(c comments, p_author_name text, p_viewer text DEFAULT NULL::text, p_moderator boolean DEFAULT false)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
AS $function$
  SELECT jsonb_build_object(
    'id', c.id,
    'articleId', c.article_id,
    'parentId', c.parent_id,
    'author', CASE WHEN (c.deleted_at IS NULL OR p_moderator) THEN jsonb_build_object('id', c.author_id, 'name', p_author_name) END,
    'body', CASE WHEN (c.deleted_at IS NULL OR p_moderator) THEN c.body END,
    'status', c.status,
    'moderationReasons', CASE WHEN (p_moderator OR p_viewer = c.author_id) THEN to_jsonb(c.moderation_reasons) ELSE '[]'::jsonb END,
    'rejectionReason', CASE WHEN (p_moderator OR p_viewer = c.author_id) AND c.status = 'rejected' THEN c.rejection_reason END,
    'replyCount', c.reply_count,
    'createdAt', json_timestamp(c.created_at),
    'editedAt', json_timestamp(c.edited_at),
    'deleted', c.deleted_at IS NOT NULL)
$function$;
