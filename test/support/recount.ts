import type { TestApp } from './test-app';

export interface ArticleCounts {
  visible: number;
  pending: number;
  published: number;
  approved: number;
  rejected: number;
  reported: number;
}

/** The stored counts and the counts recomputed from the comments, per article. */
export async function storedAndRecountedArticleCounts(t: TestApp, articleIds: string[]) {
  const { rows } = await t.db.query(
    `SELECT a.id,
       json_build_object('visible', a.count_visible, 'pending', a.count_pending, 'published', a.count_published,
                         'approved', a.count_approved, 'rejected', a.count_rejected, 'reported', a.count_reported) AS stored,
       json_build_object(
         'visible',   count(c.id) FILTER (WHERE c.deleted_at IS NULL AND c.status IN ('published', 'approved')),
         'pending',   count(c.id) FILTER (WHERE c.deleted_at IS NULL AND c.status = 'pending'),
         'published', count(c.id) FILTER (WHERE c.deleted_at IS NULL AND c.status = 'published'),
         'approved',  count(c.id) FILTER (WHERE c.deleted_at IS NULL AND c.status = 'approved'),
         'rejected',  count(c.id) FILTER (WHERE c.deleted_at IS NULL AND c.status = 'rejected'),
         'reported',  count(c.id) FILTER (WHERE c.deleted_at IS NULL AND c.open_report_count > 0)) AS recounted
     FROM articles a LEFT JOIN comments c ON c.article_id = a.id
     WHERE a.id = ANY($1::uuid[])
     GROUP BY a.id ORDER BY a.id`,
    [articleIds],
  );
  return {
    stored: Object.fromEntries(rows.map((r) => [r.id, r.stored as ArticleCounts])),
    recounted: Object.fromEntries(rows.map((r) => [r.id, r.recounted as ArticleCounts])),
  };
}

/**
 * Each comment's stored reply_count and its recount: the direct replies that are listed, where a
 * comment is listed when visible and either not deleted or (a tombstone) with listed replies.
 */
export async function storedAndRecountedReplyCounts(t: TestApp, articleIds: string[]) {
  const { rows } = await t.db.query(
    `SELECT id, parent_id, status, deleted_at IS NOT NULL AS deleted, reply_count
     FROM comments WHERE article_id = ANY($1::uuid[]) ORDER BY id`,
    [articleIds],
  );
  const children = new Map<string, typeof rows>();
  for (const row of rows) if (row.parent_id) children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
  const listedReplies = new Map<string, number>();
  const countListed = (id: string): number => {
    if (!listedReplies.has(id)) {
      const listed = (children.get(id) ?? []).filter(
        (c) => ['published', 'approved'].includes(c.status) && (!c.deleted || countListed(c.id) > 0),
      );
      listedReplies.set(id, listed.length);
    }
    return listedReplies.get(id)!;
  };
  return {
    stored: Object.fromEntries(rows.map((r) => [r.id, r.reply_count as number])),
    recounted: Object.fromEntries(rows.map((r) => [r.id, countListed(r.id)])),
  };
}
