-- Records a user on first sight, and a changed display name; answers their stored state and
-- whether this renamed them (cached thread pages then need a new version). The row is locked
-- even when it is not updated (ON CONFLICT locks the conflicting row).
-- p_site: the site whose login vouches for the user (NULL: the row exists, as a moderator's does,
-- or the first site's). A user never changes site: an id already another site's is refused.
DROP FUNCTION IF EXISTS public.see_user(text, text);
CREATE OR REPLACE FUNCTION public.see_user(p_id text, p_name text, p_site smallint DEFAULT NULL::smallint, OUT id text, OUT name text, OUT banned_at timestamp with time zone, OUT ban_until timestamp with time zone, OUT ban_reason text, OUT premod boolean, OUT renamed boolean)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
#variable_conflict use_column
BEGIN
  WITH upserted AS (
    INSERT INTO users AS u (id, name, site_id) VALUES (p_id, p_name, COALESCE(p_site, 1))
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
      WHERE EXCLUDED.name IS NOT NULL AND u.name IS DISTINCT FROM EXCLUDED.name
    -- (xmax is set on the row that the conflict updated, and 0 on one just inserted.)
    RETURNING u.id, u.name, u.banned_at, u.ban_until, u.ban_reason, u.premod, u.xmax <> 0 AS renamed)
  SELECT x.* INTO id, name, banned_at, ban_until, ban_reason, premod, renamed FROM (
    SELECT * FROM upserted
    UNION ALL
    SELECT u.id, u.name, u.banned_at, u.ban_until, u.ban_reason, u.premod, false FROM users u
      WHERE u.id = p_id AND NOT EXISTS (SELECT 1 FROM upserted)) x;
  IF p_site IS NOT NULL AND EXISTS (SELECT 1 FROM users u WHERE u.id = p_id AND u.site_id <> p_site) THEN
    RAISE EXCEPTION 'user % belongs to another site', p_id USING ERRCODE = 'CD001';
  END IF;
  IF NOT FOUND THEN
    -- Inserted by a concurrent transaction after this statement's snapshot: read it again.
    SELECT u.id, u.name, u.banned_at, u.ban_until, u.ban_reason, u.premod, false
      INTO id, name, banned_at, ban_until, ban_reason, premod, renamed FROM users u WHERE u.id = p_id;
  END IF;
END
$function$;
