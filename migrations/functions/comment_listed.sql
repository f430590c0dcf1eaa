-- Listed: shown in threads and reply lists. A deleted comment stays listed, as a tombstone, while
-- it has listed replies (isListed in src/comments/comment-state.ts).
CREATE OR REPLACE FUNCTION public.comment_listed(p_status text, p_deleted boolean, p_reply_count integer)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT coalesce(comment_status_listed(p_status), false) AND (NOT p_deleted OR p_reply_count > 0)
$function$;
