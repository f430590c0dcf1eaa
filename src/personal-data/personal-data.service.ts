import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { recountArticles } from '../comments/recount';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import { isBanned } from '../users/users.service';
import { DataCommentView, ErasureView, PersonalDataView } from './personal-data.views';

@Injectable()
export class PersonalDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly log: ModerationLog,
  ) {}

  /** Everything stored about the user, read in one snapshot. */
  async export(userId: string): Promise<PersonalDataView> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const {
        rows: [user],
      } = await sql<{
        id: string;
        name: string | null;
        premod: boolean;
        banned_at: Date | null;
        ban_until: Date | null;
        ban_reason: string | null;
        created_at: Date;
        updated_at: Date;
      }>(m, `SELECT * FROM users WHERE id = $1`, [userId]);
      const { rows: comments } = await sql<DataCommentView>(
        m,
        `SELECT c.id, json_build_object('id', a.id, 'url', a.url, 'title', a.title) AS article, c.parent_id AS "parentId",
                c.body, c.status, c.moderation_reasons AS "moderationReasons",
                CASE WHEN c.status = 'rejected' THEN c.rejection_reason END AS "rejectionReason", c.created_at AS "createdAt",
                c.edited_at AS "editedAt", c.deleted_at AS "deletedAt",
                CASE WHEN c.source IS NULL THEN NULL
                     ELSE json_build_object('source', c.source, 'sourceId', c.source_id) END AS "importedFrom",
                COALESCE((SELECT json_agg(json_build_object('body', r.body, 'replacedAt', r.created_at)
                                          ORDER BY r.created_at, r.id)
                          FROM comment_revisions r WHERE r.comment_id = c.id), '[]') AS revisions
         FROM comments c JOIN articles a ON a.id = c.article_id
         WHERE c.author_id = $1 ORDER BY c.created_at, c.id`,
        [userId],
      );
      const { rows: reports } = await sql(
        m,
        `SELECT id, comment_id AS "commentId", reason, note, created_at AS "createdAt", resolved_at AS "resolvedAt"
         FROM reports WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return {
        exportedAt: new Date(),
        profile: user
          ? {
              id: user.id,
              name: user.name,
              premod: user.premod,
              ban: {
                banned: isBanned(user),
                since: user.banned_at,
                until: user.ban_until,
                reason: user.ban_reason,
              },
              createdAt: user.created_at,
              updatedAt: user.updated_at,
            }
          : null,
        comments: comments.map((c) => ({
          ...c,
          revisions: c.revisions.map((r) => ({ body: r.body, replacedAt: new Date(r.replacedAt) })),
        })),
        reports: reports as unknown as PersonalDataView['reports'],
      };
    });
  }

  /**
   * Erases a user (GDPR article 17): their display name, and every comment's text and revisions.
   * A comment with replies stays in its thread as a tombstone (no text, no revisions); the others
   * are deleted. Article by article, each in a transaction that holds the article's lock and
   * leaves its counts equal to a recount; then the name, their reports' notes, moderators' notes
   * about them, the stored answers to their posts and their email address and notification choices go, and the log records the erasure, by ids only. Run again, it
   * finishes an erasure that was interrupted.
   */
  async erase(userId: string, actor: AuthUser): Promise<ErasureView> {
    const { rows: found } = await sql(this.dataSource, `SELECT 1 FROM users WHERE id = $1`, [userId]);
    if (found.length === 0) throw AppError.notFound('The user');
    const { rows: articles } = await sql<{ article_id: string }>(
      this.dataSource,
      `SELECT DISTINCT article_id FROM comments WHERE author_id = $1`,
      [userId],
    );
    const result: ErasureView = {
      userId,
      commentsRemoved: 0,
      commentsKeptAsTombstones: 0,
      articles: articles.length,
    };
    for (const { article_id: articleId } of articles) {
      const { removed, tombstones } = await this.transactions.run((m) => this.eraseInArticle(m, userId, articleId), {
        article: articleId,
      });
      result.commentsRemoved += removed;
      result.commentsKeptAsTombstones += tombstones;
    }
    await this.transactions.run(async (m) => {
      await this.log.record(m, {
        action: 'erase',
        actor,
        targetType: 'user',
        targetId: userId,
        reason: `${result.commentsRemoved} comments removed, ${result.commentsKeptAsTombstones} kept as tombstones`,
      });
      await sql(m, `UPDATE users SET name = NULL, updated_at = now() WHERE id = $1`, [userId]);
      await sql(m, `UPDATE reports SET note = NULL WHERE user_id = $1 AND note IS NOT NULL`, [userId]);
      await sql(m, `DELETE FROM idempotency_keys WHERE user_id = $1`, [userId]);
      await sql(m, `DELETE FROM user_notes WHERE user_id = $1`, [userId]);
      // Where and what to email them: their address, their choices, what waited for a digest, links under way.
      await sql(m, `DELETE FROM reader_addresses WHERE user_id = $1`, [userId]);
      await sql(m, `DELETE FROM notification_preferences WHERE user_id = $1`, [userId]);
      await sql(m, `DELETE FROM notification_digest_items WHERE user_id = $1`, [userId]);
      await sql(m, `DELETE FROM address_confirmations WHERE user_id = $1`, [userId]);
    });
    return result;
  }

  private async eraseInArticle(
    m: EntityManager,
    userId: string,
    articleId: string,
  ): Promise<{ removed: number; tombstones: number }> {
    await sql(m, `UPDATE articles SET thread_version = thread_version + 1 WHERE id = $1`, [articleId]);
    let removed = 0;
    // Leaves first: a comment whose replies were all the user's own goes once they have gone.
    for (;;) {
      const { rowCount } = await sql(
        m,
        `DELETE FROM comments c WHERE c.article_id = $1 AND c.author_id = $2
           AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id)`,
        [articleId, userId],
      );
      if (rowCount === 0) break;
      removed += rowCount;
    }
    await sql(
      m,
      `DELETE FROM comment_revisions WHERE comment_id IN (SELECT id FROM comments WHERE article_id = $1 AND author_id = $2)`,
      [articleId, userId],
    );
    const { rowCount: tombstones } = await sql(
      m,
      `UPDATE comments SET body = '', moderation_reasons = '{}', deleted_at = COALESCE(deleted_at, now())
       WHERE article_id = $1 AND author_id = $2`,
      [articleId, userId],
    );
    // Live events already sent keep no copy of the name or the text: they read as hidden.
    await sql(
      m,
      `UPDATE thread_events SET type = 'comment.hidden',
         payload = jsonb_build_object('id', payload->'id', 'parentId', payload->'parentId')
       WHERE article_id = $1 AND payload->'author'->>'id' = $2`,
      [articleId, userId],
    );
    await recountArticles(m, [articleId]);
    return { removed, tombstones };
  }
}
