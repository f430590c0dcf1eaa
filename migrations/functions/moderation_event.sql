-- The moderators' live event of a log entry (LogEntryView in src/moderation/moderation.views.ts,
-- less the actor's name, which the stream adds as it reads: names can be erased, the log cannot).
CREATE OR REPLACE FUNCTION public.moderation_event(e moderation_log)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
AS $function$
  SELECT jsonb_build_object('id', e.id, 'action', e.action,
    'actor', CASE WHEN e.actor_id IS NOT NULL THEN jsonb_build_object('id', e.actor_id) END,
    'targetType', e.target_type, 'targetId', e.target_id, 'articleId', e.article_id,
    'fromStatus', e.from_status, 'toStatus', e.to_status, 'reason', e.reason,
    'createdAt', json_timestamp(e.created_at), 'siteId', e.site_id)
$function$;
