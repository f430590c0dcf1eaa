-- Moves the reply counts up a comment's ancestors by p_delta listed replies, under the article's
-- lock (taken by the caller). A tombstone that gains its first or loses its last listed reply
-- appears or disappears in its own parent's count in turn (applyReplyCountChange in
-- src/comments/comment-counters.ts walks the same way).
CREATE OR REPLACE FUNCTION public.move_reply_counts(p_parent uuid, p_delta integer)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  ancestor uuid := p_parent;
  delta int := p_delta;
  parent record;
BEGIN
  WHILE ancestor IS NOT NULL AND delta <> 0 LOOP
    UPDATE comments SET reply_count = reply_count + delta WHERE id = ancestor
      RETURNING status, deleted_at IS NOT NULL AS deleted, reply_count, parent_id INTO parent;
    EXIT WHEN NOT FOUND;
    delta := comment_listed(parent.status, parent.deleted, parent.reply_count)::int
      - comment_listed(parent.status, parent.deleted, parent.reply_count - delta)::int;
    ancestor := parent.parent_id;
  END LOOP;
END
$function$;
