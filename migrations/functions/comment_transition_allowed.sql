-- Whether a moderator's decision may take a comment from one status to another: the SQL side of
-- DECISIONS in src/comments/comment-state.ts (a test compares the two for every transition).
-- Restoring takes an approval or a rejection back, to the status the comment had before it.
CREATE OR REPLACE FUNCTION public.comment_transition_allowed(p_action text, p_from text, p_to text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT CASE p_action
    WHEN 'approve' THEN p_to = 'approved'
    WHEN 'reject' THEN p_to = 'rejected'
    WHEN 'restore' THEN p_from IN ('approved', 'rejected') AND p_to IN ('pending', 'published')
    ELSE false END
$function$;
