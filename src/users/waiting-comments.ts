import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { sql } from '../database/sql';

/**
 * A user's comments still waiting for a moderator: held for review (the pending queue) or reported
 * (the reported queue), not rejected and not deleted. `c` is the comments table's alias.
 */
export const waitingCommentSql = (c: string): string =>
  `${c}.deleted_at IS NULL AND ${c}.status <> 'rejected' AND (${c}.status = 'pending' OR ${c}.open_report_count > 0)`;

export interface WaitingRejections {
  rejected: number;
  /** Waiting when the ban began, decided by someone else before this ban reached them. */
  skipped: number;
}

/**
 * Rejects the author's waiting comments on the articles of their site (`siteId`: the ban's) inside the caller's transaction, each through
 * decide_comment() so that counts, log entries and live events are the same as a single rejection.
 * Each comment is locked in decide_comment()'s order (its article, then it) and checked again: one
 * another moderator decided meanwhile no longer waits, and is skipped rather than decided twice.
 */
export async function rejectWaitingComments(
  manager: EntityManager,
  authorId: string,
  siteId: number,
  moderator: AuthUser,
  decision: { label: string | null; reason: string },
): Promise<WaitingRejections> {
  const { rows: waiting } = await sql<{ id: string; article_id: string }>(
    manager,
    `SELECT c.id, c.article_id FROM comments c JOIN articles a ON a.id = c.article_id
     WHERE c.author_id = $1 AND a.site_id = $2 AND ${waitingCommentSql('c')}
     ORDER BY c.article_id, c.id`,
    [authorId, siteId],
  );
  const result: WaitingRejections = { rejected: 0, skipped: 0 };
  for (const { id, article_id: articleId } of waiting) {
    await sql(manager, `SELECT 1 FROM articles WHERE id = $1 FOR NO KEY UPDATE`, [articleId]);
    const {
      rows: [still],
    } = await sql<{ status: string }>(
      manager,
      `SELECT c.status FROM comments c WHERE c.id = $1 AND ${waitingCommentSql('c')} FOR UPDATE`,
      [id],
    );
    if (!still) {
      result.skipped++;
      continue;
    }
    const {
      rows: [{ outcome }],
    } = await sql<{ outcome: string }>(
      manager,
      `SELECT decide_comment($1, $2, 'reject', 'rejected', $3, $4, $5, $6, $7) ->> 'outcome' AS outcome`,
      [id, articleId, still.status, moderator.id, moderator.name, decision.reason, decision.label],
    );
    if (outcome === 'decided') result.rejected++;
    else result.skipped++;
  }
  return result;
}
