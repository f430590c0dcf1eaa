import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import { listedCommentSql, listedStatusSql } from './comment-state';

/**
 * Sets the articles' counts and their comments' reply counts to a recount, under the articles'
 * locks (taken in id order), and bumps their thread versions so that no cached page survives.
 * Reply counts count listed replies, and a tombstone is listed while it has some: repeated until
 * nothing changes, as deep as tombstones are nested.
 */
export async function recountArticles(manager: EntityManager, articleIds: string[]): Promise<void> {
  await sql(manager, `SELECT id FROM articles WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [articleIds]);
  // Every reply count once; then again only those of tombstones' parents, which is where a count
  // can still move (a tombstone is listed while it has listed replies), until none does.
  for (let onlyOverTombstones = false; ; onlyOverTombstones = true) {
    const { rowCount } = await sql(
      manager,
      `WITH listed AS (
         SELECT p.id, count(c.id)::int AS n
         FROM comments p LEFT JOIN comments c ON c.parent_id = p.id AND ${listedCommentSql('c')}
         WHERE p.article_id = ANY($1::uuid[])
           AND (NOT $2 OR p.id IN (SELECT t.parent_id FROM comments t
                                   WHERE t.article_id = ANY($1::uuid[]) AND t.deleted_at IS NOT NULL AND t.parent_id IS NOT NULL))
         GROUP BY p.id)
       UPDATE comments p SET reply_count = l.n FROM listed l WHERE p.id = l.id AND p.reply_count <> l.n`,
      [articleIds, onlyOverTombstones],
    );
    if (rowCount === 0 && onlyOverTombstones) break;
  }
  await sql(
    manager,
    `UPDATE articles a SET count_visible = r.visible, count_pending = r.pending, count_published = r.published,
       count_approved = r.approved, count_rejected = r.rejected, count_reported = r.reported,
       thread_version = a.thread_version + 1
     FROM (SELECT a2.id,
             count(c.id) FILTER (WHERE ${listedStatusSql('c.status')}) AS visible,
             count(c.id) FILTER (WHERE c.status = 'pending') AS pending,
             count(c.id) FILTER (WHERE c.status = 'published') AS published,
             count(c.id) FILTER (WHERE c.status = 'approved') AS approved,
             count(c.id) FILTER (WHERE c.status = 'rejected') AS rejected,
             count(c.id) FILTER (WHERE c.open_report_count > 0) AS reported
           FROM articles a2 LEFT JOIN comments c ON c.article_id = a2.id AND c.deleted_at IS NULL
           WHERE a2.id = ANY($1::uuid[]) GROUP BY a2.id) r
     WHERE a.id = r.id`,
    [articleIds],
  );
}
