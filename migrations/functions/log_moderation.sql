-- Writes a moderation log entry, in the transaction that makes the change, with its moderators'
-- event (a held comment, or a decision) and the NOTIFY that wakes their streams on commit. An
-- actor seen for the first time is recorded in users (named there, where erasure can reach it).
-- The entry belongs to the site of what it is about, so that each site's desk reads its own log.
-- What the outside world may subscribe to (a decision, a ban, a closed thread) goes to the outbox.
CREATE OR REPLACE FUNCTION public.log_moderation(p_action text, p_actor text, p_actor_name text, p_target_type text, p_target_id text, p_article uuid, p_from text, p_to text, p_reason text)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  entry moderation_log;
  event jsonb;
  outside text := CASE p_action
    WHEN 'approve' THEN 'comment.approved' WHEN 'reject' THEN 'comment.rejected'
    WHEN 'restore' THEN 'comment.restored' WHEN 'hold' THEN 'comment.held'
    WHEN 'edit' THEN 'comment.edited' WHEN 'delete' THEN 'comment.deleted'
    WHEN 'create_article' THEN 'article.created' WHEN 'close' THEN 'article.closed'
    WHEN 'reopen' THEN 'article.reopened' WHEN 'ban' THEN 'user.banned' WHEN 'unban' THEN 'user.unbanned'
  END;
BEGIN
  IF p_actor IS NOT NULL THEN
    INSERT INTO users (id, name) VALUES (p_actor, p_actor_name) ON CONFLICT (id) DO NOTHING;
  END IF;
  INSERT INTO moderation_log (action, actor_id, target_type, target_id, article_id, from_status, to_status, reason, site_id)
    VALUES (p_action, p_actor, p_target_type, p_target_id, p_article, p_from, p_to, p_reason,
      COALESCE((SELECT a.site_id FROM articles a WHERE a.id = p_article),
               CASE p_target_type
                 WHEN 'user' THEN (SELECT u.site_id FROM users u WHERE u.id = p_target_id)
                 WHEN 'settings' THEN p_target_id::smallint
                 WHEN 'site' THEN p_target_id::smallint
                 WHEN 'import' THEN (SELECT j.site_id FROM import_jobs j WHERE j.id::text = p_target_id)
               END, 1))
    RETURNING * INTO entry;
  event := moderation_event(entry);
  INSERT INTO moderation_events (xact, type, payload)
    VALUES (pg_current_xact_id()::text::bigint, CASE WHEN p_to = 'pending' THEN 'comment.held' ELSE 'decision' END,
            event);
  IF outside IS NOT NULL THEN
    PERFORM record_outbox(entry.site_id, outside, event);
  END IF;
  PERFORM pg_notify('moderation_events', '');
END
$function$;
