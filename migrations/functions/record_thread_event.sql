-- A live readers' event of a thread, numbered by the article's thread_version (taken under its
-- lock, so one article's events come in commit order without gaps); the NOTIFY wakes every
-- instance's listeners on commit.
CREATE OR REPLACE FUNCTION public.record_thread_event(p_article uuid, p_version bigint, p_type text, p_payload jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
  INSERT INTO thread_events (article_id, version, type, payload) VALUES (p_article, p_version, p_type, p_payload);
  PERFORM pg_notify('thread_events', p_article::text);
END
$function$;
