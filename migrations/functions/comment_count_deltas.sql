-- How an article's counts move when one of its comments goes from p_from to p_to (NULL: not
-- counted, as before a comment is made or after it is deleted); countDeltas in
-- src/comments/comment-counters.ts is the same rule for the changes made in TypeScript.
-- PL/pgSQL, whose plans last the session: a SQL function returning a record is not inlined and
-- was planned anew in every transaction, about 80 µs of every post and decision.
CREATE OR REPLACE FUNCTION public.comment_count_deltas(p_from text, p_to text, OUT visible integer, OUT pending integer, OUT published integer, OUT approved integer, OUT rejected integer)
 RETURNS record
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
BEGIN
  visible := coalesce(comment_status_listed(p_to), false)::int - coalesce(comment_status_listed(p_from), false)::int;
  pending := (p_to IS NOT DISTINCT FROM 'pending')::int - (p_from IS NOT DISTINCT FROM 'pending')::int;
  published := (p_to IS NOT DISTINCT FROM 'published')::int - (p_from IS NOT DISTINCT FROM 'published')::int;
  approved := (p_to IS NOT DISTINCT FROM 'approved')::int - (p_from IS NOT DISTINCT FROM 'approved')::int;
  rejected := (p_to IS NOT DISTINCT FROM 'rejected')::int - (p_from IS NOT DISTINCT FROM 'rejected')::int;
END
$function$;
