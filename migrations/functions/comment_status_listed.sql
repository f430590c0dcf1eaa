-- The statuses shown to readers and counted in count_visible: the SQL side of LISTED_STATUSES in
-- src/comments/comment-state.ts (a test compares the two for every status). Inlined by the
-- planner, so a query that calls it can still use the partial indexes over listed comments.
CREATE OR REPLACE FUNCTION public.comment_status_listed(p_status text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT p_status IN ('published', 'approved')
$function$;
