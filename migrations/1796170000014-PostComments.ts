import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Posting in one round trip: post_comments() runs the unit of work of one or more posts to one
 * article (those that arrived together on an instance), in the lock order of every other unit of
 * work: the authors' rows, their Idempotency-Keys, then the article. The rules were decided by
 * the service on a settings version and on facts about the author and the article that it
 * assumed; a post whose assumptions no longer hold is answered 'settings' or 'stale' (with the
 * facts) and nothing is written for it: the service decides again and sends it again.
 *
 * p_posts: [{ id, author, name, body, parent, status, reasons, final, settingsVersion, premod,
 * approved, mode, key, view, action, reason }]; answers one outcome per post, in order:
 * { outcome: created | replay | processing | settings | stale | no_article | closed | banned
 *   | no_parent | parent_hidden | repeat, ... }.
 */
export class PostComments1796170000014 implements MigrationInterface {
  name = 'PostComments1796170000014';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE FUNCTION post_comments(p_article uuid, p_posts jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  n int := jsonb_array_length(p_posts);
  outcomes jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
  claimed boolean[] := array_fill(false, ARRAY[n]);
  authors jsonb := '{}';
  u record;
  s moderation_settings%ROWTYPE;
  a articles%ROWTYPE;
  p jsonb;
  author jsonb;
  stored record;
  parent record;
  made_at timestamptz;
  shown jsonb;
  approved int;
  closed_message text;
  delta int;
  ancestor uuid;
  version bigint;
  events int := 0;
  created int := 0;
  logged boolean := false;
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
    -- (UsersService.see: the conflicting row is locked even when it is not updated.)
    WITH upserted AS (
      INSERT INTO users (id, name) VALUES (u.id, u.name)
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
        WHERE EXCLUDED.name IS NOT NULL AND users.name IS DISTINCT FROM EXCLUDED.name
      RETURNING id, name, banned_at, ban_until, premod, xmax <> 0 AS renamed)
    SELECT * INTO stored FROM (
      SELECT * FROM upserted
      UNION ALL
      SELECT id, name, banned_at, ban_until, premod, false FROM users
        WHERE id = u.id AND NOT EXISTS (SELECT 1 FROM upserted)) x;
    IF NOT FOUND THEN
      -- Inserted by a concurrent transaction after this statement's snapshot: read it again.
      SELECT id, name, banned_at, ban_until, premod, false AS renamed INTO stored FROM users WHERE id = u.id;
    END IF;
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

  SELECT * INTO s FROM moderation_settings WHERE id = 1;
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
      ELSIF parent.deleted_at IS NOT NULL OR parent.status NOT IN ('published', 'approved') THEN
        outcomes[i] := jsonb_build_object('outcome', 'parent_hidden');
        CONTINUE;
      END IF;
    END IF;
    -- The same text from the same author within five minutes is refused (their row is locked).
    INSERT INTO comments AS c (id, article_id, parent_id, author_id, body, status, moderation_reasons)
      SELECT (p->>'id')::uuid, p_article, (p->>'parent')::uuid, p->>'author', p->>'body', p->>'status',
             ARRAY(SELECT jsonb_array_elements_text(p->'reasons'))
      WHERE NOT EXISTS (SELECT 1 FROM comments WHERE author_id = p->>'author' AND body = p->>'body'
                          AND comments.created_at > now() - make_interval(secs => 300))
      RETURNING c.created_at INTO made_at;
    IF NOT FOUND THEN
      outcomes[i] := jsonb_build_object('outcome', 'repeat');
      CONTINUE;
    END IF;
    created := created + 1;
    CASE p->>'status'
      WHEN 'published' THEN d_published := d_published + 1; d_visible := d_visible + 1;
      WHEN 'approved' THEN d_approved := d_approved + 1; d_visible := d_visible + 1;
      WHEN 'pending' THEN d_pending := d_pending + 1;
      WHEN 'rejected' THEN d_rejected := d_rejected + 1;
    END CASE;
    -- A listed reply counts on its parent; a tombstone that gains its first listed reply appears
    -- in its own parent's count in turn (comment-counters.applyReplyCountChange).
    IF p->>'parent' IS NOT NULL AND p->>'status' IN ('published', 'approved') THEN
      ancestor := (p->>'parent')::uuid;
      delta := 1;
      WHILE ancestor IS NOT NULL AND delta <> 0 LOOP
        UPDATE comments SET reply_count = reply_count + delta WHERE id = ancestor
          RETURNING status, deleted_at, reply_count, parent_id INTO parent;
        delta := CASE WHEN parent.status IN ('published', 'approved') AND parent.deleted_at IS NOT NULL
                       AND parent.reply_count = 1 THEN 1 ELSE 0 END;
        ancestor := parent.parent_id;
      END LOOP;
    END IF;
    IF p->>'action' IS NOT NULL THEN
      logged := true;
      WITH entry AS (
        INSERT INTO moderation_log (action, actor_id, target_type, target_id, article_id, from_status, to_status, reason)
        VALUES (p->>'action', NULL, 'comment', p->>'id', p_article, NULL, p->>'status', p->>'reason') RETURNING *)
      INSERT INTO moderation_events (xact, type, payload)
      SELECT pg_current_xact_id()::text::bigint, CASE WHEN to_status = 'pending' THEN 'comment.held' ELSE 'decision' END,
        jsonb_build_object('id', id, 'action', action, 'actor', NULL,
          'targetType', target_type, 'targetId', target_id, 'articleId', article_id,
          'fromStatus', from_status, 'toStatus', to_status, 'reason', reason,
          'createdAt', to_char(entry.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      FROM entry;
    END IF;
    shown := p->'view' || jsonb_build_object(
      'author', jsonb_build_object('id', p->>'author', 'name', author->'name'),
      'createdAt', to_char(made_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
    IF p->>'status' IN ('published', 'approved') THEN
      -- Live readers' events, numbered by the thread's version in commit order (no two alike).
      events := events + 1;
      INSERT INTO thread_events (article_id, version, type, payload)
        VALUES (p_article, version + events, 'comment.created', shown - 'moderationReasons' || '{"moderationReasons": []}');
    END IF;
    IF claimed[i] THEN
      UPDATE idempotency_keys SET response_status = 201, response_body = shown
        WHERE user_id = p->>'author' AND key = p->>'key';
    END IF;
    outcomes[i] := jsonb_build_object('outcome', 'created', 'createdAt', made_at, 'name', author->'name',
      'renamed', author->'renamed');
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
  IF events > 0 THEN
    PERFORM pg_notify('thread_events', p_article::text);
  END IF;
  IF logged THEN
    PERFORM pg_notify('moderation_events', '');
  END IF;
  RETURN to_jsonb(outcomes);
END
$fn$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION post_comments(uuid, jsonb)`);
  }
}
