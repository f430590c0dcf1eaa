-- How an article's counts move when one of its comments goes from p_from to p_to (NULL: not
-- counted, as before a comment is made or after it is deleted); countDeltas in
-- src/comments/comment-counters.ts is the same rule for the changes made in TypeScript.
CREATE OR REPLACE FUNCTION public.comment_count_deltas(p_from text, p_to text, OUT visible integer, OUT pending integer, OUT published integer, OUT approved integer, OUT rejected integer)
 RETURNS record
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT coalesce(comment_status_listed(p_to), false)::int - coalesce(comment_status_listed(p_from), false)::int,
    (p_to IS NOT DISTINCT FROM 'pending')::int - (p_from IS NOT DISTINCT FROM 'pending')::int,
    (p_to IS NOT DISTINCT FROM 'published')::int - (p_from IS NOT DISTINCT FROM 'published')::int,
    (p_to IS NOT DISTINCT FROM 'approved')::int - (p_from IS NOT DISTINCT FROM 'approved')::int,
    (p_to IS NOT DISTINCT FROM 'rejected')::int - (p_from IS NOT DISTINCT FROM 'rejected')::int
$function$;
