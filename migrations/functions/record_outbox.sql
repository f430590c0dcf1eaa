-- What the world outside is told of (webhooks, emails, Slack), written in the transaction of the
-- change: a change that commits always has its event, one that rolls back has none. The relay
-- (src/deliveries/outbox-relay.ts) turns each event into the deliveries of whoever subscribed.
CREATE OR REPLACE FUNCTION public.record_outbox(p_site smallint, p_type text, p_subject jsonb)
 RETURNS void
 LANGUAGE sql
AS $function$
  INSERT INTO outbox_events (site_id, type, subject) VALUES (p_site, p_type, p_subject)
$function$;
