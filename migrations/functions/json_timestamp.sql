-- A time as JavaScript's Date.toJSON writes it (the columns keep milliseconds), so that what the
-- database builds reads the same as what the service serializes.
CREATE OR REPLACE FUNCTION public.json_timestamp(p_at timestamp with time zone)
 RETURNS text
 LANGUAGE sql
 STABLE
AS $function$
  SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$function$;
