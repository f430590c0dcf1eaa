import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import type { Response } from 'supertest';
import type { TestApp } from './test-app';
import { expectProblem, expectStatus } from './expect';

export { expectProblem, expectStatus };

/** Small helpers for the moderation end-to-end tests: calls, fixtures, and recounts. */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A fresh id with a readable prefix: tests share one database, so nothing may collide. */
export const uid = (prefix: string): string => `${prefix}-${randomBytes(5).toString('hex')}`;

/** One HTTP call, with an optional bearer token and JSON body. */
export function call(t: TestApp, method: Method, path: string, token?: string, body?: unknown): Promise<Response> {
  let req = t.http()[method](path);
  if (token) req = req.set('Authorization', `Bearer ${token}`);
  return body === undefined ? req : req.send(body as object);
}

export async function createArticle(
  t: TestApp,
  token: string,
  fields: { moderationMode?: 'post' | 'pre'; title?: string } = {},
) {
  const slug = uid('article');
  const res = await call(t, 'post', '/api/articles', token, {
    url: `https://news.example/${slug}`,
    title: `Title ${slug}`,
    ...fields,
  });
  return expectStatus(res, 201);
}

export async function postComment(t: TestApp, token: string, articleId: string, body: string, parentId?: string) {
  const res = await call(t, 'post', `/api/articles/${articleId}/comments`, token, {
    body,
    ...(parentId ? { parentId } : {}),
  });
  return expectStatus(res, 201);
}

export function decide(
  t: TestApp,
  token: string,
  id: string,
  decision: 'approve' | 'reject',
  body: { reason?: string; expectedStatus?: string } = {},
): Promise<Response> {
  return call(t, 'post', `/api/moderation/comments/${id}/${decision}`, token, body);
}

export function report(t: TestApp, token: string, commentId: string, reason: string, note?: string): Promise<Response> {
  return call(t, 'post', `/api/comments/${commentId}/reports`, token, {
    reason,
    ...(note !== undefined ? { note } : {}),
  });
}

/** The comment as a moderator sees it. */
export async function commentAsModerator(t: TestApp, token: string, id: string) {
  return expectStatus(await call(t, 'get', `/api/comments/${id}`, token), 200);
}

const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

/** Every page of a cursor-paged list; also returns the size of each page. */
export async function allPages(
  t: TestApp,
  token: string,
  path: string,
  params: Record<string, string | number | undefined> = {},
): Promise<{ items: any[]; pageSizes: number[] }> {
  const items: any[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const body = expectStatus(await call(t, 'get', `${path}${query({ ...params, cursor })}`, token), 200);
    items.push(...body.items);
    pageSizes.push(body.items.length);
    if (!body.nextCursor) return { items, pageSizes };
    cursor = body.nextCursor;
  }
  throw new Error(`${path} did not end after 1000 pages`);
}

export const queue = (
  t: TestApp,
  token: string,
  name: string,
  params: Record<string, string | number | undefined> = {},
) => allPages(t, token, `/api/moderation/queue/${name}`, { limit: 100, ...params }).then((p) => p.items);

export const logEntries = (t: TestApp, token: string, params: Record<string, string | number | undefined> = {}) =>
  allPages(t, token, '/api/moderation/log', { limit: 100, ...params }).then((p) => p.items);

/** The article's stored counts next to the same counts recomputed from its comments. */
export async function recount(db: Client, articleId: string) {
  const stored = (
    await db.query(
      `SELECT count_visible AS visible, count_pending AS pending, count_published AS published,
              count_approved AS approved, count_rejected AS rejected, count_reported AS reported
       FROM articles WHERE id = $1`,
      [articleId],
    )
  ).rows[0];
  const actual = (
    await db.query(
      `SELECT
         count(*) FILTER (WHERE status IN ('published', 'approved') AND deleted_at IS NULL)::int AS visible,
         count(*) FILTER (WHERE status = 'pending' AND deleted_at IS NULL)::int AS pending,
         count(*) FILTER (WHERE status = 'published' AND deleted_at IS NULL)::int AS published,
         count(*) FILTER (WHERE status = 'approved' AND deleted_at IS NULL)::int AS approved,
         count(*) FILTER (WHERE status = 'rejected' AND deleted_at IS NULL)::int AS rejected,
         count(*) FILTER (WHERE open_report_count > 0 AND deleted_at IS NULL)::int AS reported
       FROM comments WHERE article_id = $1`,
      [articleId],
    )
  ).rows[0];
  const replyCounts = await replyRecount(db, articleId);
  const openReports = (
    await db.query(
      `SELECT c.id, c.open_report_count AS stored,
              (SELECT count(*)::int FROM reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL) AS actual
       FROM comments c WHERE c.article_id = $1 ORDER BY c.created_at, c.id`,
      [articleId],
    )
  ).rows as { id: string; stored: number; actual: number }[];
  return { stored, actual, replyCounts, openReports };
}

/**
 * Each comment's stored reply_count next to its recount: its direct replies that are listed, where a
 * comment is listed when visible (published or approved) and either not deleted or, as a tombstone,
 * with listed replies of its own. Without tombstones that is "direct replies visible and not deleted".
 */
async function replyRecount(db: Client, articleId: string) {
  const { rows } = await db.query(
    `SELECT id, parent_id, status IN ('published', 'approved') AS visible, deleted_at IS NOT NULL AS deleted, reply_count
     FROM comments WHERE article_id = $1 ORDER BY created_at, id`,
    [articleId],
  );
  const children = new Map<string, typeof rows>();
  for (const row of rows) if (row.parent_id) children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
  const listedReplies = (id: string): number =>
    (children.get(id) ?? []).filter((c) => c.visible && (!c.deleted || listedReplies(c.id) > 0)).length;
  return rows.map((r) => ({ id: r.id as string, stored: r.reply_count as number, actual: listedReplies(r.id) }));
}

/** Sorted as the queues promise: oldest first, ties broken by id. */
export const byCreatedThenId = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
