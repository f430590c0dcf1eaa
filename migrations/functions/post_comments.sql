-- Posting in one round trip: the unit of work of one or more posts to one article (those that
-- arrived together on an instance), in the lock order of every other unit of work: the authors'
-- rows, their Idempotency-Keys, then the article. The rules were decided by the service on a
-- settings version and on facts about the author and the article that it assumed; a post whose
-- assumptions no longer hold is answered 'settings' or 'stale' (with the facts) and nothing is
-- written for it: the service decides again and sends it again.
--
-- p_posts: [{ id, author, name, body, parent, status, reasons, final, settingsVersion, premod,
-- approved, mode, key, action, reason }]; answers one outcome per post, in order:
-- { outcome: created (with the author's view) | replay | processing | settings | stale
--   | no_article | closed | banned | no_parent | parent_hidden | repeat, ... }.
--
-- The repeat check reads the author's last five minutes before it compares bodies (OFFSET 0 keeps
-- the planner from pushing the comparison down): left to itself, the plan cached for the statement
-- took the trigram index for `body = ...` once authors had many comments, 10 to 30 ms per post
-- under the article's lock.
CREATE OR REPLACE FUNCTION public.post_comments(p_article uuid, p_posts jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
  n int := jsonb_array_length(p_posts);
  outcomes jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
  claimed boolean[] := array_fill(false, ARRAY[n]);
  authors jsonb := '{}';
  u record;
  s moderation_settings;
  a articles%ROWTYPE;
  p jsonb;
  author jsonb;
  stored record;
  parent record;
  made comments;
  moved record;
  shown jsonb;
  approved int;
  -- (An article's site never changes: read before its lock, it is still right after.)
  site smallint := (SELECT site_id FROM articles WHERE id = p_article);
  closed_message text;
  version bigint;
  events int := 0;
  created int := 0;
  d_visible int := 0;
  d_pending int := 0;
  d_published int := 0;
  d_approved int := 0;
  d_rejected int := 0;
BEGIN
  -- The authors' rows, in one order for every batch (no deadlock between two batches).
  FOR u IN
    WITH seen AS (SELECT DISTINCT ON (x->>'author') x->>'author' AS id, x->>'name' AS name
                  FROM jsonb_array_elements(p_posts) x ORDER BY x->>'author')
    SELECT * FROM seen ORDER BY id
  LOOP
    stored := see_user(u.id, u.name, site);
    authors := authors || jsonb_build_object(u.id, to_jsonb(stored));
  END LOOP;

  -- Idempotency-Keys: taken, or the first response replayed (a concurrent holder is waited for).
  FOR i IN 1..n LOOP
    p := p_posts->(i - 1);
    CONTINUE WHEN p->>'key' IS NULL;
    INSERT INTO idempotency_keys (user_id, key) VALUES (p->>'author', p->>'key') ON CONFLICT DO NOTHING;
    IF FOUND THEN
      claimed[i] := true;
    ELSE
      SELECT response_status, response_body INTO stored FROM idempotency_keys
        WHERE user_id = p->>'author' AND key = p->>'key';
      outcomes[i] := CASE WHEN stored.response_status IS NULL THEN jsonb_build_object('outcome', 'processing')
        ELSE jsonb_build_object('outcome', 'replay', 'status', stored.response_status, 'body', stored.response_body) END;
    END IF;
  END LOOP;

  SELECT * INTO s FROM article_settings(p_article);
  SELECT * INTO a FROM articles WHERE id = p_article FOR NO KEY UPDATE;
  IF FOUND THEN
    closed_message := CASE
      WHEN a.closed_at IS NOT NULL THEN coalesce(a.closed_message, s.default_closed_message)
      WHEN LEAST(a.close_at, CASE WHEN NOT a.auto_close_exempt AND s.auto_close_after_days IS NOT NULL
                 THEN a.created_at + make_interval(days => s.auto_close_after_days) END) <= clock_timestamp()
        THEN s.default_closed_message
    END;
  END IF;
  version := a.thread_version;

  FOR i IN 1..n LOOP
    CONTINUE WHEN outcomes[i] IS NOT NULL;
    p := p_posts->(i - 1);
    author := authors->(p->>'author');
    IF (p->>'settingsVersion')::int <> s.version THEN
      outcomes[i] := jsonb_build_object('outcome', 'settings');
      CONTINUE;
    ELSIF a.id IS NULL THEN
      outcomes[i] := jsonb_build_object('outcome', 'no_article');
      CONTINUE;
    ELSIF closed_message IS NOT NULL THEN
      outcomes[i] := jsonb_build_object('outcome', 'closed', 'message', closed_message);
      CONTINUE;
    ELSIF author->>'banned_at' IS NOT NULL
          AND (author->>'ban_until' IS NULL OR (author->>'ban_until')::timestamptz > now()) THEN
      outcomes[i] := jsonb_build_object('outcome', 'banned', 'until', author->'ban_until');
      CONTINUE;
    END IF;
    IF NOT (p->>'final')::boolean THEN
      approved := 0;
      IF s.premod_new_commenters > 0 THEN
        SELECT count(*)::int INTO approved FROM (SELECT 1 FROM comments WHERE author_id = p->>'author'
          AND status = 'approved' LIMIT s.premod_new_commenters) x;
      END IF;
      IF (author->>'premod')::boolean IS DISTINCT FROM (p->>'premod')::boolean
         OR approved <> (p->>'approved')::int OR a.moderation_mode <> p->>'mode' THEN
        outcomes[i] := jsonb_build_object('outcome', 'stale', 'premod', author->'premod', 'approved', approved,
          'mode', a.moderation_mode);
        CONTINUE;
      END IF;
    END IF;
    IF p->>'parent' IS NOT NULL THEN
      SELECT c.article_id, c.status, c.deleted_at INTO parent FROM comments c WHERE c.id = (p->>'parent')::uuid FOR SHARE;
      IF NOT FOUND OR parent.article_id <> p_article THEN
        outcomes[i] := jsonb_build_object('outcome', 'no_parent');
        CONTINUE;
      ELSIF parent.deleted_at IS NOT NULL OR NOT comment_status_listed(parent.status) THEN
        outcomes[i] := jsonb_build_object('outcome', 'parent_hidden');
        CONTINUE;
      END IF;
    END IF;
    -- The same text from the same author within five minutes is refused (their row is locked).
    INSERT INTO comments AS c (id, article_id, parent_id, author_id, body, status, moderation_reasons)
      SELECT (p->>'id')::uuid, p_article, (p->>'parent')::uuid, p->>'author', p->>'body', p->>'status',
             ARRAY(SELECT jsonb_array_elements_text(p->'reasons'))
      WHERE NOT EXISTS (SELECT 1 FROM (SELECT body FROM comments WHERE author_id = p->>'author'
                          AND comments.created_at > now() - make_interval(secs => 300) OFFSET 0) recent
                        WHERE recent.body = p->>'body')
      RETURNING c.* INTO made;
    IF NOT FOUND THEN
      outcomes[i] := jsonb_build_object('outcome', 'repeat');
      CONTINUE;
    END IF;
    created := created + 1;
    PERFORM record_outbox(site, 'comment.posted', jsonb_build_object('targetType', 'comment',
      'targetId', made.id, 'articleId', p_article, 'toStatus', made.status, 'siteId', site,
      'actor', jsonb_build_object('id', made.author_id), 'createdAt', json_timestamp(made.created_at)));
    moved := comment_count_deltas(NULL, made.status);
    d_visible := d_visible + moved.visible;
    d_pending := d_pending + moved.pending;
    d_published := d_published + moved.published;
    d_approved := d_approved + moved.approved;
    d_rejected := d_rejected + moved.rejected;
    IF made.parent_id IS NOT NULL AND comment_status_listed(made.status) THEN
      PERFORM move_reply_counts(made.parent_id, 1);
    END IF;
    IF p->>'action' IS NOT NULL THEN
      PERFORM log_moderation(p->>'action', NULL, NULL, 'comment', p->>'id', p_article, NULL, made.status, p->>'reason');
    END IF;
    IF comment_status_listed(made.status) THEN
      -- Live readers' events, numbered by the thread's version in commit order (no two alike).
      events := events + 1;
      PERFORM record_thread_event(p_article, version + events, 'comment.created',
        comment_view(made, author->>'name'));
    END IF;
    shown := comment_view(made, author->>'name', made.author_id);
    IF claimed[i] THEN
      UPDATE idempotency_keys SET response_status = 201, response_body = shown
        WHERE user_id = p->>'author' AND key = p->>'key';
    END IF;
    -- (createdAt and name too: instances of the previous release read them while a new one rolls out.)
    outcomes[i] := jsonb_build_object('outcome', 'created', 'view', shown, 'renamed', author->'renamed',
      'createdAt', made.created_at, 'name', author->'name');
  END LOOP;

  -- Keys taken for posts that were not made are given back, as a rollback would.
  FOR i IN 1..n LOOP
    IF claimed[i] AND outcomes[i]->>'outcome' <> 'created' THEN
      DELETE FROM idempotency_keys WHERE user_id = p_posts->(i - 1)->>'author' AND key = p_posts->(i - 1)->>'key';
    END IF;
  END LOOP;

  IF created > 0 THEN
    -- One version bump for the batch: it retires the thread's cached pages, and numbers its events.
    UPDATE articles SET thread_version = version + greatest(events, 1),
      count_visible = count_visible + d_visible, count_pending = count_pending + d_pending,
      count_published = count_published + d_published, count_approved = count_approved + d_approved,
      count_rejected = count_rejected + d_rejected
      WHERE id = p_article;
  END IF;
  RETURN to_jsonb(outcomes);
END
$function$;
