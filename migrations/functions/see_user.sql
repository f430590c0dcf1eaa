-- Records a user on first sight, and a changed display name; answers their stored state and
-- whether this renamed them (cached thread pages then need a new version). The row is locked
-- even when it is not updated (ON CONFLICT locks the conflicting row).
CREATE OR REPLACE FUNCTION public.see_user(p_id text, p_name text, OUT id text, OUT name text, OUT banned_at timestamp with time zone, OUT ban_until timestamp with time zone, OUT ban_reason text, OUT premod boolean, OUT renamed boolean)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
#variable_conflict use_column
BEGIN
  WITH upserted AS (
    INSERT INTO users AS u (id, name) VALUES (p_id, p_name)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
      WHERE EXCLUDED.name IS NOT NULL AND u.name IS DISTINCT FROM EXCLUDED.name
    -- (xmax is set on the row that the conflict updated, and 0 on one just inserted.)
    RETURNING u.id, u.name, u.banned_at, u.ban_until, u.ban_reason, u.premod, u.xmax <> 0 AS renamed)
  SELECT x.* INTO id, name, banned_at, ban_until, ban_reason, premod, renamed FROM (
    SELECT * FROM upserted
    UNION ALL
    SELECT u.id, u.name, u.banned_at, u.ban_until, u.ban_reason, u.premod, false FROM users u
      WHERE u.id = p_id AND NOT EXISTS (SELECT 1 FROM upserted)) x;
  IF NOT FOUND THEN
    -- Inserted by a concurrent transaction after this statement's snapshot: read it again.
    SELECT u.id, u.name, u.banned_at, u.ban_until, u.ban_reason, u.premod, false
      INTO id, name, banned_at, ban_until, ban_reason, premod, renamed FROM users u WHERE u.id = p_id;
  END IF;
END
$function$;
