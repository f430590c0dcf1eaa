import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A moderator's approval or rejection in one round trip: decide_comment() is the whole unit of work
 * that ModerationService.decide ran statement by statement, in the same lock order (the moderator's
 * row, the article, the comment): reports resolved, the status, the article's counts and the reply
 * counts up the ancestors (comment-counters' rules), the log entry with its moderators' event, and
 * the live readers' event (comment-events' rules), numbered by the thread's new version.
 *
 * p_article may be NULL when the service does not know the comment's article yet.
 * Answers { outcome: decided | unchanged, row, renamed } (row: the comment as stored after, with
 * author_name), { outcome: not_found } or { outcome: conflict, status }.
 */
export class DecideComment1796170000015 implements MigrationInterface {
  name = 'DecideComment1796170000015';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE FUNCTION decide_comment(p_id uuid, p_article uuid, p_action text, p_to text, p_expected text,
                               p_actor text, p_actor_name text, p_reason text) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  renamed boolean;
  version bigint;
  c record;
  updated record;
  parent record;
  resolved int := 0;
  was boolean;
  is_listed boolean;
  delta int;
  ancestor uuid;
  kind text;
  reason text;
BEGIN
  WITH upserted AS (
    INSERT INTO users (id, name) VALUES (p_actor, p_actor_name)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
      WHERE EXCLUDED.name IS NOT NULL AND users.name IS DISTINCT FROM EXCLUDED.name
    RETURNING xmax <> 0 AS renamed)
  SELECT upserted.renamed INTO renamed FROM upserted;
  renamed := coalesce(renamed, false);

  IF p_article IS NULL THEN
    -- (A comment's article never changes: read before the article's lock, it is still right after.)
    SELECT article_id INTO p_article FROM comments WHERE id = p_id;
  END IF;
  PERFORM 1 FROM articles WHERE id = p_article FOR NO KEY UPDATE;
  SELECT cm.*, u.name AS author_name INTO c FROM comments cm JOIN users u ON u.id = cm.author_id
    WHERE cm.id = p_id FOR UPDATE OF cm;
  IF NOT FOUND OR c.article_id <> p_article OR c.deleted_at IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'not_found', 'renamed', renamed);
  ELSIF p_expected IS NOT NULL AND p_expected <> c.status THEN
    RETURN jsonb_build_object('outcome', 'conflict', 'status', c.status, 'renamed', renamed);
  ELSIF c.status = p_to AND c.open_report_count = 0 THEN
    RETURN jsonb_build_object('outcome', 'unchanged', 'row', to_jsonb(c), 'renamed', renamed);
  END IF;

  IF c.open_report_count > 0 THEN
    UPDATE reports SET resolved_at = now(), resolved_by = p_actor WHERE comment_id = p_id AND resolved_at IS NULL;
    GET DIAGNOSTICS resolved = ROW_COUNT;
  END IF;
  UPDATE comments SET status = p_to, open_report_count = 0 WHERE id = p_id RETURNING * INTO updated;

  was := c.status IN ('published', 'approved');
  is_listed := p_to IN ('published', 'approved');
  UPDATE articles SET thread_version = thread_version + 1,
    count_visible = count_visible + is_listed::int - was::int,
    count_pending = count_pending + (p_to = 'pending')::int - (c.status = 'pending')::int,
    count_published = count_published + (p_to = 'published')::int - (c.status = 'published')::int,
    count_approved = count_approved + (p_to = 'approved')::int - (c.status = 'approved')::int,
    count_rejected = count_rejected + (p_to = 'rejected')::int - (c.status = 'rejected')::int,
    count_reported = count_reported - (c.open_report_count > 0)::int
    WHERE id = p_article RETURNING thread_version INTO version;

  -- A tombstone that gains its first or loses its last listed reply appears or disappears in turn.
  delta := is_listed::int - was::int;
  ancestor := c.parent_id;
  WHILE ancestor IS NOT NULL AND delta <> 0 LOOP
    UPDATE comments SET reply_count = reply_count + delta WHERE id = ancestor
      RETURNING status, deleted_at, reply_count, parent_id INTO parent;
    delta := CASE WHEN parent.status IN ('published', 'approved') AND parent.deleted_at IS NOT NULL
                  THEN (parent.reply_count > 0)::int - (parent.reply_count - delta > 0)::int ELSE 0 END;
    ancestor := parent.parent_id;
  END LOOP;

  reason := nullif(concat_ws('; ', p_reason, CASE WHEN resolved > 0 THEN 'resolved ' || resolved || ' report(s)' END), '');
  WITH entry AS (
    INSERT INTO moderation_log (action, actor_id, target_type, target_id, article_id, from_status, to_status, reason)
    VALUES (p_action, p_actor, 'comment', p_id::text, p_article, c.status, p_to, reason) RETURNING *)
  INSERT INTO moderation_events (xact, type, payload)
  SELECT pg_current_xact_id()::text::bigint, CASE WHEN entry.to_status = 'pending' THEN 'comment.held' ELSE 'decision' END,
    jsonb_build_object('id', entry.id, 'action', entry.action, 'actor', jsonb_build_object('id', entry.actor_id),
      'targetType', entry.target_type, 'targetId', entry.target_id, 'articleId', entry.article_id,
      'fromStatus', entry.from_status, 'toStatus', entry.to_status, 'reason', entry.reason,
      'createdAt', to_char(entry.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  FROM entry;
  PERFORM pg_notify('moderation_events', '');

  -- What live readers see change (comment-events.recordCommentChange).
  kind := CASE WHEN was AND NOT is_listed THEN 'comment.hidden'
               WHEN is_listed AND (NOT was OR c.status <> p_to) THEN 'comment.published' END;
  IF kind IS NOT NULL THEN
    INSERT INTO thread_events (article_id, version, type, payload) VALUES (p_article, version, kind,
      CASE WHEN kind = 'comment.hidden' THEN jsonb_build_object('id', p_id, 'parentId', updated.parent_id)
      ELSE jsonb_build_object('id', updated.id, 'articleId', updated.article_id, 'parentId', updated.parent_id,
        'author', jsonb_build_object('id', updated.author_id, 'name', c.author_name), 'body', updated.body,
        'status', updated.status, 'moderationReasons', '[]'::jsonb, 'replyCount', updated.reply_count,
        'createdAt', to_char(updated.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'editedAt', to_char(updated.edited_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'deleted', false) END);
    PERFORM pg_notify('thread_events', p_article::text);
  END IF;
  RETURN jsonb_build_object('outcome', 'decided', 'row', to_jsonb(updated) || jsonb_build_object('author_name', c.author_name),
    'renamed', renamed);
END
$fn$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION decide_comment(uuid, uuid, text, text, text, text, text, text)`);
  }
}
