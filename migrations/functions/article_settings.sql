-- The moderation settings that govern an article (NULL: one not made yet, as an import or an
-- embed is about to make it). Every reader of "the settings for this article" goes through here,
-- in SQL or through src/settings/article-settings.ts, so that when articles belong to sites
-- with settings of their own only this function learns to follow the article to its site's row.
-- A set of one row, called in FROM: the planner then inlines it into the calling query. As a
-- scalar it was planned anew in every transaction, about 70 µs of every post.
DROP FUNCTION IF EXISTS public.article_settings(uuid);
CREATE OR REPLACE FUNCTION public.article_settings(p_article uuid)
 RETURNS SETOF moderation_settings
 LANGUAGE sql
 STABLE ROWS 1
AS $function$
  SELECT * FROM moderation_settings WHERE id = 1
$function$;
