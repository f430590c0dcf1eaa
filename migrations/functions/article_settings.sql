-- The moderation settings that govern an article (NULL: one not made yet, as an import or an
-- embed is about to make it). Every reader of "the settings for this article" goes through here,
-- in SQL or through src/settings/article-settings.ts, so that when articles belong to sites
-- with settings of their own only this function learns to follow the article to its site's row.
CREATE OR REPLACE FUNCTION public.article_settings(p_article uuid)
 RETURNS moderation_settings
 LANGUAGE sql
 STABLE
AS $function$
  SELECT * FROM moderation_settings WHERE id = 1
$function$;
