-- Posts to several articles in one statement: what costs a post most is its statement (the round
-- trip, the transaction and its WAL flush, the function call), so posts that arrive together on an
-- instance go together whatever their article. p_batches: [{ article, posts }] with posts as
-- post_comments() takes them; answers [{ article, outcomes }].
--
-- The lock order of every unit of work holds across the batch: every author's row first (in one
-- order; a new author inserted, never renamed here, so that post_comments() still sees a rename),
-- then the articles one after the other in one order, each through post_comments().
CREATE OR REPLACE FUNCTION public.post_comments_across(p_batches jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
  u record;
  b jsonb;
  answers jsonb := '[]';
BEGIN
  FOR u IN
    SELECT DISTINCT ON (x->>'author') x->>'author' AS id, x->>'name' AS name, a.site_id
    FROM jsonb_array_elements(p_batches) g
    JOIN articles a ON a.id = (g->>'article')::uuid, jsonb_array_elements(g->'posts') x ORDER BY x->>'author'
  LOOP
    -- (A user posting to another site's article is refused by post_comments().)
    INSERT INTO users (id, name, site_id) VALUES (u.id, u.name, u.site_id) ON CONFLICT (id) DO NOTHING;
    PERFORM 1 FROM users WHERE id = u.id FOR UPDATE;
  END LOOP;
  FOR b IN SELECT x FROM jsonb_array_elements(p_batches) x ORDER BY (x->>'article')::uuid LOOP
    answers := answers || jsonb_build_array(jsonb_build_object('article', b->>'article',
      'outcomes', post_comments((b->>'article')::uuid, b->'posts')));
  END LOOP;
  RETURN answers;
END
$function$;
