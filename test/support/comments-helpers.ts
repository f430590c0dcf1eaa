import { randomUUID } from 'node:crypto';
import { TestApp } from './test-app';
import { DEFAULT_CLOSED_MESSAGE, expectProblem, expectStatus } from './expect';

export { DEFAULT_CLOSED_MESSAGE, expectProblem, expectStatus };

/** Small, readable wrappers around the HTTP contract (docs/openapi.json), for the comment tests. */

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export const DEFAULT_DISCLAIMER = 'The comments below have not been moderated.';

let counter = 0;
/** A user id / url fragment that no other test uses. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

type Query = Record<string, string | number>;
type Sort = 'newest' | 'oldest';

export interface CommentJson {
  id: string;
  articleId: string;
  parentId: string | null;
  author: { id: string; name: string | null } | null;
  body: string | null;
  status: string;
  moderationReasons: string[];
  replyCount: number;
  replies?: CommentJson[];
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

export class Api {
  constructor(private readonly t: TestApp) {}

  private as<T extends { set(name: string, value: string): T }>(req: T, token?: string): T {
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  }

  // ---- articles -------------------------------------------------------------------------------

  async createArticle(mod: string, extra: Record<string, unknown> = {}): Promise<{ id: string }> {
    const res = await this.as(this.t.http().post('/api/articles'), mod).send({
      url: `https://news.example/${unique('article')}`,
      title: 'An article',
      ...extra,
    });
    expectStatus(res, 201);
    return res.body;
  }

  patchArticle(mod: string, id: string, patch: Record<string, unknown>) {
    return this.as(this.t.http().patch(`/api/articles/${id}`), mod).send(patch);
  }

  closeArticle(mod: string, id: string, message?: string) {
    return this.as(this.t.http().post(`/api/articles/${id}/close`), mod).send(message ? { message } : {});
  }

  getArticle(id: string, token?: string) {
    return this.as(this.t.http().get(`/api/articles/${id}`), token);
  }

  // ---- comments -------------------------------------------------------------------------------

  post(token: string | undefined, articleId: string, payload: Record<string, unknown>, idempotencyKey?: string) {
    let req = this.as(this.t.http().post(`/api/articles/${articleId}/comments`), token);
    if (idempotencyKey !== undefined) req = req.set('Idempotency-Key', idempotencyKey);
    return req.send(payload);
  }

  /** Posts and insists on 201; returns the comment. */
  async comment(token: string, articleId: string, body: string, parentId?: string): Promise<CommentJson> {
    const res = await this.post(token, articleId, parentId ? { body, parentId } : { body });
    expectStatus(res, 201);
    return res.body;
  }

  thread(articleId: string, query: Query = {}, token?: string) {
    return this.as(this.t.http().get(`/api/articles/${articleId}/comments`).query(query), token);
  }

  replies(commentId: string, query: Query = {}, token?: string) {
    return this.as(this.t.http().get(`/api/comments/${commentId}/replies`).query(query), token);
  }

  getComment(id: string, token?: string) {
    return this.as(this.t.http().get(`/api/comments/${id}`), token);
  }

  edit(token: string | undefined, id: string, body: unknown) {
    return this.as(this.t.http().patch(`/api/comments/${id}`), token).send({ body });
  }

  remove(token: string | undefined, id: string) {
    return this.as(this.t.http().delete(`/api/comments/${id}`), token);
  }

  report(token: string, id: string, reason = 'spam', note?: string) {
    return this.as(this.t.http().post(`/api/comments/${id}/reports`), token).send({
      reason,
      ...(note ? { note } : {}),
    });
  }

  /** Every page of a thread; fails on a non-200 page. */
  async walkThread(articleId: string, sort: Sort, limit: number, token?: string) {
    const items: CommentJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Query = { sort, limit, ...(cursor ? { cursor } : {}) };
      const res = await this.thread(articleId, query, token);
      expectStatus(res, 200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (++pages > 1000) throw new Error('the thread never ends');
    } while (cursor);
    return { items, ids: items.map((c) => c.id), pages };
  }

  /** Every page of a comment's direct replies. */
  async walkReplies(commentId: string, limit: number, token?: string) {
    const items: CommentJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await this.replies(commentId, { limit, ...(cursor ? { cursor } : {}) }, token);
      expectStatus(res, 200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (++pages > 1000) throw new Error('the replies never end');
    } while (cursor);
    return { items, ids: items.map((c) => c.id), pages };
  }

  // ---- moderation -----------------------------------------------------------------------------

  approve(mod: string, id: string, body: Record<string, unknown> = {}) {
    return this.as(this.t.http().post(`/api/moderation/comments/${id}/approve`), mod).send(body);
  }

  reject(mod: string, id: string, body: Record<string, unknown> = {}) {
    return this.as(this.t.http().post(`/api/moderation/comments/${id}/reject`), mod).send(body);
  }

  ban(mod: string, userId: string, body: Record<string, unknown>) {
    return this.as(this.t.http().post(`/api/moderation/users/${encodeURIComponent(userId)}/ban`), mod).send(body);
  }

  unban(mod: string, userId: string) {
    return this.as(this.t.http().post(`/api/moderation/users/${encodeURIComponent(userId)}/unban`), mod).send({});
  }

  log(mod: string, query: Query) {
    return this.as(this.t.http().get('/api/moderation/log').query(query), mod);
  }

  putSettings(admin: string, patch: Record<string, unknown>) {
    return this.as(this.t.http().put('/api/moderation/settings'), admin).send(patch);
  }

  /** Changes settings for the duration of `work`, then puts the defaults back. */
  async withSettings<T>(
    admin: string,
    patch: Record<string, unknown>,
    restore: Record<string, unknown>,
    work: () => Promise<T>,
  ) {
    expectStatus(await this.putSettings(admin, patch), 200);
    try {
      return await work();
    } finally {
      expectStatus(await this.putSettings(admin, restore), 200);
    }
  }
}

// ---- direct database access -------------------------------------------------------------------

/** Inserts a user row (needed as author_id of comments inserted directly). */
export async function insertUser(t: TestApp, id: string): Promise<void> {
  await t.db.query(`INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [id, `${id} name`]);
}

/**
 * Inserts comments straight into the table, all with one created_at (counts are not maintained:
 * use an article of their own). Returns their ids, in the order of `statuses`.
 */
export async function insertComments(
  t: TestApp,
  rows: { articleId: string; authorId: string; createdAt: Date; statuses: string[]; parentId?: string },
): Promise<string[]> {
  const ids = rows.statuses.map(() => randomUUID());
  for (let i = 0; i < ids.length; i++) {
    await t.db.query(
      `INSERT INTO comments (id, article_id, parent_id, author_id, body, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        ids[i],
        rows.articleId,
        rows.parentId ?? null,
        rows.authorId,
        `inserted comment ${i}`,
        rows.statuses[i],
        rows.createdAt,
      ],
    );
  }
  return ids;
}

/** Moves a comment's created_at back, as if it had been posted `seconds` ago. */
export async function ageComment(t: TestApp, id: string, seconds: number): Promise<void> {
  await t.db.query(`UPDATE comments SET created_at = now() - make_interval(secs => $2) WHERE id = $1`, [id, seconds]);
}

/** Gives comments distinct, increasing created_at values in the given order (oldest first), seconds apart. */
export async function spreadInTime(t: TestApp, ids: string[], base = new Date(Date.now() - 3600_000)): Promise<void> {
  for (let i = 0; i < ids.length; i++) {
    await t.db.query(`UPDATE comments SET created_at = $2 WHERE id = $1`, [
      ids[i],
      new Date(base.getTime() + i * 1000),
    ]);
  }
}

export type { ArticleCounts } from './recount';
export { storedAndRecountedArticleCounts, storedAndRecountedReplyCounts } from './recount';

/** Base64url JSON, shaped like (or unlike) the service's cursors. */
export const forgeCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const noDuplicates = (ids: string[]) => expect(new Set(ids).size).toBe(ids.length);
