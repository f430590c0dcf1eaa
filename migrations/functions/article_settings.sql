-- The moderation settings that govern an article: its site's (NULL: the first site's, for an
-- article not made yet). Every reader of "the settings for this article" in SQL goes through here.
-- A set of one row, called in FROM: the planner then inlines it into the calling query. As a
-- scalar it was planned anew in every transaction, about 70 µs of every post.
DROP FUNCTION IF EXISTS public.article_settings(uuid);
CREATE OR REPLACE FUNCTION public.article_settings(p_article uuid)
 RETURNS SETOF moderation_settings
 LANGUAGE sql
 STABLE ROWS 1
AS $function$
  SELECT s.* FROM moderation_settings s
  WHERE s.id = COALESCE((SELECT a.site_id FROM articles a WHERE a.id = p_article), 1)
$function$;
