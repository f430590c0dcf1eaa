-- A moderator's approval, rejection or restore in one round trip, the whole unit of work in the
-- lock order of every other (the moderator's row, the article, the comment): reports resolved
-- (or, on a restore, opened again), the status, the article's counts and the reply counts up the
-- ancestors, the log entry with its moderators' event, and the live readers' event, numbered by
-- the thread's new version.
--
-- Taking a decision back reopens the reports that decision resolved: the latest approve or reject
-- of the comment by the same moderator to the status the restore expects, and the reports that
-- moderator resolved after the comment's log entry before it, up to the decision's own entry.
--
-- A rejection's p_label (one of the settings' rejection reasons) is kept on the comment for its
-- author to see, and heads the log entry's reason; any other decision clears it.
--
-- p_article may be NULL when the service does not know the comment's article yet.
-- Answers { outcome: decided | unchanged, view, renamed } (view: the moderator's view of the
-- comment after), { outcome: not_found } or { outcome: conflict, status }.
DROP FUNCTION IF EXISTS public.decide_comment(uuid, uuid, text, text, text, text, text, text);
CREATE OR REPLACE FUNCTION public.decide_comment(p_id uuid, p_article uuid, p_action text, p_to text, p_expected text, p_actor text, p_actor_name text, p_reason text, p_label text DEFAULT NULL::text)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
  renamed boolean;
  version bigint;
  c record;
  updated comments;
  moved record;
  resolved int := 0;
  reopened int := 0;
  decided_at timestamptz;
  before_at timestamptz;
  was boolean;
  is_listed boolean;
  kind text;
  reason text;
BEGIN
  renamed := (see_user(p_actor, p_actor_name)).renamed;

  IF p_article IS NULL THEN
    -- (A comment's article never changes: read before the article's lock, it is still right after.)
    SELECT article_id INTO p_article FROM comments WHERE id = p_id;
  END IF;
  PERFORM 1 FROM articles WHERE id = p_article FOR NO KEY UPDATE;
  SELECT cm.*, u.name AS author_name INTO c FROM comments cm JOIN users u ON u.id = cm.author_id
    WHERE cm.id = p_id FOR UPDATE OF cm;
  IF NOT FOUND OR c.article_id <> p_article OR c.deleted_at IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'not_found', 'renamed', renamed);
  ELSIF p_expected IS NOT NULL AND p_expected <> c.status THEN
    RETURN jsonb_build_object('outcome', 'conflict', 'status', c.status, 'renamed', renamed);
  ELSIF NOT comment_transition_allowed(p_action, c.status, p_to) THEN
    RAISE EXCEPTION 'a comment cannot % from % to %', p_action, c.status, p_to USING ERRCODE = 'check_violation';
  ELSIF c.status = p_to AND c.open_report_count = 0 AND c.rejection_reason IS NOT DISTINCT FROM p_label THEN
    SELECT * INTO updated FROM comments WHERE id = p_id;
    RETURN jsonb_build_object('outcome', 'unchanged', 'view', comment_view(updated, c.author_name, p_actor, true),
      'renamed', renamed, 'row', to_jsonb(c));
  END IF;

  IF p_action = 'restore' THEN
    SELECT l.created_at,
           (SELECT e.created_at FROM moderation_log e WHERE e.target_type = 'comment' AND e.target_id = l.target_id
              AND e.seq < l.seq ORDER BY e.seq DESC LIMIT 1)
      INTO decided_at, before_at
      FROM moderation_log l
      WHERE l.target_type = 'comment' AND l.target_id = p_id::text AND l.actor_id = p_actor
        AND l.action IN ('approve', 'reject') AND l.to_status = p_expected
      ORDER BY l.seq DESC LIMIT 1;
    UPDATE reports SET resolved_at = NULL, resolved_by = NULL
      WHERE comment_id = p_id AND resolved_by = p_actor AND resolved_at <= decided_at
        AND (before_at IS NULL OR resolved_at > before_at);
    GET DIAGNOSTICS reopened = ROW_COUNT;
  ELSIF c.open_report_count > 0 THEN
    UPDATE reports SET resolved_at = now(), resolved_by = p_actor WHERE comment_id = p_id AND resolved_at IS NULL;
    GET DIAGNOSTICS resolved = ROW_COUNT;
  END IF;
  UPDATE comments SET status = p_to, rejection_reason = CASE WHEN p_action = 'reject' THEN p_label END,
    open_report_count = CASE WHEN p_action = 'restore' THEN c.open_report_count + reopened ELSE 0 END
    WHERE id = p_id RETURNING * INTO updated;

  moved := comment_count_deltas(c.status, p_to);
  UPDATE articles SET thread_version = thread_version + 1,
    count_visible = count_visible + moved.visible, count_pending = count_pending + moved.pending,
    count_published = count_published + moved.published, count_approved = count_approved + moved.approved,
    count_rejected = count_rejected + moved.rejected,
    count_reported = count_reported - (c.open_report_count > 0)::int + (updated.open_report_count > 0)::int
    WHERE id = p_article RETURNING thread_version INTO version;

  was := comment_status_listed(c.status);
  is_listed := comment_status_listed(p_to);
  PERFORM move_reply_counts(c.parent_id, is_listed::int - was::int);

  reason := nullif(concat_ws('; ', nullif(concat_ws(': ', p_label, p_reason), ''), CASE WHEN resolved > 0 THEN 'resolved ' || resolved || ' report(s)' END,
    CASE WHEN reopened > 0 THEN 'reopened ' || reopened || ' report(s)' END), '');
  PERFORM log_moderation(p_action, p_actor, p_actor_name, 'comment', p_id::text, p_article, c.status, p_to, reason);

  -- What live readers see change (recordCommentChange in src/comments/comment-events.ts).
  kind := CASE WHEN was AND NOT is_listed THEN 'comment.hidden'
               WHEN is_listed AND (NOT was OR c.status <> p_to) THEN 'comment.published' END;
  IF kind IS NOT NULL THEN
    PERFORM record_thread_event(p_article, version, kind,
      CASE WHEN kind = 'comment.hidden' THEN jsonb_build_object('id', p_id, 'parentId', updated.parent_id)
      ELSE comment_view(updated, c.author_name) END);
  END IF;
  -- (row too: instances of the previous release read it while a new one rolls out.)
  RETURN jsonb_build_object('outcome', 'decided', 'view', comment_view(updated, c.author_name, p_actor, true),
    'renamed', renamed, 'row', to_jsonb(updated) || jsonb_build_object('author_name', c.author_name));
END
$function$;
