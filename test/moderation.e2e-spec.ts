import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import {
  allPages,
  byCreatedThenId,
  call,
  commentAsModerator,
  createArticle,
  decide,
  expectProblem,
  expectStatus,
  logEntries,
  Method,
  postComment,
  queue,
  recount,
  report,
  uid,
} from './support/moderation-helpers';
import { createTestApp, Role, TEST_JWT_SECRET, TestApp } from './support/test-app';
import { DEFAULT_SETTINGS } from './support/expect';
import { storedAndRecountedArticleCounts } from './support/recount';

const QUEUES = ['pending', 'reported', 'unmoderated', 'approved', 'rejected'] as const;

describe('moderation (e2e)', () => {
  let t: TestApp;
  /** Long-lived actors; tests that filter the log by actor make their own. */
  let admin: string;
  let mod: string;
  let mod2: string;
  const as = (sub: string, role: Role = 'commenter') => t.token(sub, role);

  /** An article (post mode unless told) with comments from fresh commenters. */
  async function articleWithComments(n: number, mode: 'post' | 'pre' = 'post') {
    const article = await createArticle(t, mod, { moderationMode: mode });
    const comments: any[] = [];
    for (let i = 0; i < n; i++) comments.push(await postComment(t, as(uid('author')), article.id, `comment ${i}`));
    return { article, comments };
  }

  const logFor = (commentId: string) => logEntries(t, mod, { commentId });
  const articleAsModerator = async (id: string) => expectStatus(await call(t, 'get', `/api/articles/${id}`, mod), 200);

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.token('admin-1', 'admin');
    mod = t.token('mod-1', 'moderator');
    mod2 = t.token('mod-2', 'moderator');
  });
  afterAll(() => t.close());

  // ---------------------------------------------------------------------------------------------
  describe('settings', () => {
    it('a moderator reads the defaults of a new installation', async () => {
      const body = expectStatus(await call(t, 'get', '/api/moderation/settings', mod), 200);
      expect(body).toMatchObject(DEFAULT_SETTINGS);
    });

    it('only an admin may change them: 403 for a moderator, 200 for an admin', async () => {
      expectProblem(await call(t, 'put', '/api/moderation/settings', mod, { maxLinks: 6 }), 403, 'FORBIDDEN');
      expect((await call(t, 'get', '/api/moderation/settings', mod)).body.maxLinks).toBe(5);

      const res = await call(t, 'put', '/api/moderation/settings', admin, { maxLinks: 5 });
      expect(expectStatus(res, 200)).toMatchObject(DEFAULT_SETTINGS);
    });

    it.each([
      ['a negative maxLinks', { maxLinks: -1 }, 'maxLinks'],
      ['an unknown field', { notASetting: true }, 'notASetting'],
      ['an unknown moderation mode', { defaultModerationMode: 'x' }, 'defaultModerationMode'],
    ])('refuses %s with 400 VALIDATION_FAILED and changes nothing', async (_, patch, field) => {
      const logBefore = (await logEntries(t, mod)).filter((e) => e.targetType === 'settings').length;
      const problem = expectProblem(
        await call(t, 'put', '/api/moderation/settings', admin, patch),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));

      expect((await call(t, 'get', '/api/moderation/settings', mod)).body).toMatchObject(DEFAULT_SETTINGS);
      expect((await logEntries(t, mod)).filter((e) => e.targetType === 'settings')).toHaveLength(logBefore);
    });

    it('a change is logged and applies at once', async () => {
      try {
        const res = await call(t, 'put', '/api/moderation/settings', admin, { defaultModerationMode: 'pre' });
        expect(expectStatus(res, 200).defaultModerationMode).toBe('pre');

        const [entry] = expectStatus(
          await call(t, 'get', '/api/moderation/log?actorId=admin-1&limit=1', mod),
          200,
        ).items;
        expect(entry).toMatchObject({
          action: 'update_settings',
          targetType: 'settings',
          actor: { id: 'admin-1', name: 'admin-1 name' },
        });

        const article = expectStatus(
          await call(t, 'post', '/api/articles', mod, {
            url: `https://news.example/${uid('pre')}`,
            title: 'Pre by default',
          }),
          201,
        );
        expect(article.moderationMode).toBe('pre');
        const comment = await postComment(t, as(uid('reader')), article.id, 'held by the new default');
        expect(comment.status).toBe('pending');
        expect(comment.moderationReasons.length).toBeGreaterThan(0);
      } finally {
        await call(t, 'put', '/api/moderation/settings', admin, { defaultModerationMode: 'post' });
      }
      const after = expectStatus(await call(t, 'get', '/api/moderation/settings', mod), 200);
      expect(after.defaultModerationMode).toBe('post');
      const article = expectStatus(
        await call(t, 'post', '/api/articles', mod, {
          url: `https://news.example/${uid('post')}`,
          title: 'Post again',
        }),
        201,
      );
      expect(article.moderationMode).toBe('post');
    });

    it('a maxCommentLength change applies at once to new comments', async () => {
      const { article } = await articleWithComments(0);
      const reader = as(uid('reader'));
      try {
        expectStatus(await call(t, 'put', '/api/moderation/settings', admin, { maxCommentLength: 20 }), 200);
        const tooLong = await call(t, 'post', `/api/articles/${article.id}/comments`, reader, { body: 'x'.repeat(21) });
        expectProblem(tooLong, 400, 'VALIDATION_FAILED');
        expect((await postComment(t, reader, article.id, 'x'.repeat(20))).status).toBe('published');
      } finally {
        await call(t, 'put', '/api/moderation/settings', admin, { maxCommentLength: 5000 });
      }
      expect((await postComment(t, reader, article.id, 'y'.repeat(21))).status).toBe('published');
    });

    it('changes to reportThreshold, premodNewCommenters and bannedWords apply at once', async () => {
      const {
        article,
        comments: [reported],
      } = await articleWithComments(1);
      const newbie = uid('newbie');
      try {
        expectStatus(
          await call(t, 'put', '/api/moderation/settings', admin, {
            reportThreshold: 1,
            premodNewCommenters: 1,
            bannedWords: ['frobnicate'],
          }),
          200,
        );
        expectStatus(await report(t, as(uid('r')), reported.id, 'spam'), 201);
        expect((await commentAsModerator(t, mod, reported.id)).status).toBe('pending');

        const first = await postComment(t, as(newbie), article.id, 'my very first');
        expect(first.status).toBe('pending');
        expect(first.moderationReasons).toEqual([expect.stringContaining('new commenter')]);
        expectStatus(await decide(t, mod, first.id, 'approve'), 200);
        expect((await postComment(t, as(newbie), article.id, 'trusted now')).status).toBe('published');

        const banned = await postComment(t, as(uid('rude')), article.id, 'I will frobnicate you');
        expect(banned.status).toBe('rejected');
        expect((await queue(t, mod, 'rejected', { articleId: article.id })).map((i) => i.id)).toEqual([banned.id]);
        expect((await logFor(banned.id))[0]).toMatchObject({ actor: null, toStatus: 'rejected' });
      } finally {
        await call(t, 'put', '/api/moderation/settings', admin, {
          reportThreshold: 3,
          premodNewCommenters: 0,
          bannedWords: [],
        });
      }
      expect(expectStatus(await call(t, 'get', '/api/moderation/settings', mod), 200)).toMatchObject(DEFAULT_SETTINGS);
    });

    it('PUT answers with the whole settings after a change, as GET does', async () => {
      try {
        const first = expectStatus(
          await call(t, 'put', '/api/moderation/settings', admin, { autoCloseAfterDays: 30 }),
          200,
        );
        const stored = expectStatus(await call(t, 'get', '/api/moderation/settings', mod), 200);
        expect(stored).toMatchObject({ ...DEFAULT_SETTINGS, autoCloseAfterDays: 30 });
        const second = expectStatus(await call(t, 'put', '/api/moderation/settings', admin, { maxLinks: 4 }), 200);
        const storedAfter = expectStatus(await call(t, 'get', '/api/moderation/settings', mod), 200);
        expect(storedAfter).toMatchObject({ ...DEFAULT_SETTINGS, autoCloseAfterDays: 30, maxLinks: 4 });

        expect(first).toEqual(stored);
        expect(second).toEqual(storedAfter);
      } finally {
        await call(t, 'put', '/api/moderation/settings', admin, { autoCloseAfterDays: null, maxLinks: 5 });
      }
      expect(expectStatus(await call(t, 'get', '/api/moderation/settings', mod), 200)).toMatchObject(DEFAULT_SETTINGS);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('access', () => {
    const anyId = randomUUID();
    // [method, path, body]: every row has three entries, so that jest does not pass a `done` callback
    const routes: [Method, string, unknown][] = [
      ...QUEUES.map((q): [Method, string, unknown] => ['get', `/api/moderation/queue/${q}`, undefined]),
      ['post', `/api/moderation/comments/${anyId}/approve`, {}],
      ['post', `/api/moderation/comments/${anyId}/reject`, {}],
      ['post', '/api/moderation/bulk', { action: 'approve', commentIds: [anyId] }],
      ['get', '/api/moderation/log', undefined],
      ['get', '/api/moderation/settings', undefined],
      ['put', '/api/moderation/settings', { maxLinks: 5 }],
      ['get', '/api/moderation/users/someone', undefined],
      ['post', '/api/moderation/users/someone/ban', { reason: 'spam' }],
      ['post', '/api/moderation/users/someone/unban', {}],
      ['post', '/api/moderation/users/someone/premod', { enabled: true }],
    ];

    it.each(routes)('%s %s: 401 without a token, 403 for a commenter', async (method, path, body) => {
      expectProblem(await call(t, method, path, undefined, body), 401, 'UNAUTHENTICATED');
      expectProblem(await call(t, method, path, as(uid('commenter')), body), 403, 'FORBIDDEN');
    });

    it('a moderator token that is expired or signed with another key is 401', async () => {
      const expired = jwt.sign(
        { sub: 'mod-1', role: 'moderator', exp: Math.floor(Date.now() / 1000) - 60 },
        TEST_JWT_SECRET,
        {
          algorithm: 'HS256',
        },
      );
      expectProblem(await call(t, 'get', '/api/moderation/queue/pending', expired), 401, 'UNAUTHENTICATED');
      const [header, payload] = mod.split('.');
      const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
      expectProblem(await call(t, 'get', '/api/moderation/queue/pending', forged), 401, 'UNAUTHENTICATED');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      expectProblem(await call(t, 'get', '/api/moderation/queue/pending', none), 401, 'UNAUTHENTICATED');
    });

    it.each(['moderator', 'admin'] as const)('every route works for a %s', async (role) => {
      const me = as(uid(role), role);
      const authorId = uid('author');
      const { article } = await articleWithComments(0);
      const [c1, c2, c3] = [
        await postComment(t, as(authorId), article.id, 'one'),
        await postComment(t, as(authorId), article.id, 'two'),
        await postComment(t, as(authorId), article.id, 'three'),
      ];
      for (const q of QUEUES)
        expectStatus(await call(t, 'get', `/api/moderation/queue/${q}?articleId=${article.id}`, me), 200);
      expect(expectStatus(await decide(t, me, c1.id, 'approve'), 200).status).toBe('approved');
      expect(expectStatus(await decide(t, me, c2.id, 'reject'), 200).status).toBe('rejected');
      const bulk = expectStatus(
        await call(t, 'post', '/api/moderation/bulk', me, { action: 'approve', commentIds: [c3.id] }),
        200,
      );
      expect(bulk.results).toEqual([{ id: c3.id, ok: true }]);
      expectStatus(await call(t, 'get', '/api/moderation/log', me), 200);
      expectStatus(await call(t, 'get', '/api/moderation/settings', me), 200);
      expectStatus(await call(t, 'get', `/api/moderation/users/${authorId}`, me), 200);
      expectStatus(await call(t, 'post', `/api/moderation/users/${authorId}/ban`, me, { reason: 'testing' }), 200);
      expectStatus(await call(t, 'post', `/api/moderation/users/${authorId}/unban`, me, {}), 200);
      expectStatus(await call(t, 'post', `/api/moderation/users/${authorId}/premod`, me, { enabled: true }), 200);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('queues', () => {
    it('each queue holds the comments in its state, oldest first, with their article and reports', async () => {
      const article = await createArticle(t, mod, { moderationMode: 'pre' });
      const post = async (text: string) => postComment(t, as(uid('author')), article.id, text);
      const c: any[] = [];
      for (let i = 0; i < 5; i++) c.push(await post(`held ${i}`));
      expect(c.map((x) => x.status)).toEqual(Array(5).fill('pending'));
      expectStatus(await decide(t, mod, c[0].id, 'approve'), 200);
      expectStatus(await decide(t, mod, c[1].id, 'reject'), 200);
      expectStatus(await call(t, 'patch', `/api/articles/${article.id}`, mod, { moderationMode: 'post' }), 200);
      c.push(await post('published 5'), await post('published 6'));
      expect(c[5].status).toBe('published');
      const reporter = uid('reporter');
      expectStatus(await report(t, as(reporter), c[6].id, 'abuse', 'rude'), 201);
      expectStatus(await report(t, as(reporter), c[0].id, 'spam'), 201);

      const ids = async (name: string) => (await queue(t, mod, name, { articleId: article.id })).map((i) => i.id);
      expect(await ids('pending')).toEqual([c[2].id, c[3].id, c[4].id]);
      expect(await ids('approved')).toEqual([c[0].id]);
      expect(await ids('rejected')).toEqual([c[1].id]);
      expect(await ids('unmoderated')).toEqual([c[5].id, c[6].id]);
      expect(await ids('reported')).toEqual([c[0].id, c[6].id]);

      const [pending] = await queue(t, mod, 'pending', { articleId: article.id });
      expect(pending).toMatchObject({
        id: c[2].id,
        article: { id: article.id, title: article.title, url: article.url },
        status: 'pending',
        moderationReasons: [expect.any(String)],
        openReportCount: 0,
        reports: [],
        body: 'held 2',
      });
      const reported = await queue(t, mod, 'reported', { articleId: article.id });
      expect(reported[0]).toMatchObject({
        id: c[0].id,
        status: 'approved',
        openReportCount: 1,
        reports: [{ reason: 'spam' }],
      });
      expect(reported[1]).toMatchObject({
        id: c[6].id,
        status: 'published',
        article: { id: article.id, title: article.title, url: article.url },
        openReportCount: 1,
        reports: [
          { commentId: c[6].id, reason: 'abuse', note: 'rude', reporter: { id: reporter, name: `${reporter} name` } },
        ],
      });
    });

    it('an unknown queue is 404', async () => {
      expectProblem(await call(t, 'get', '/api/moderation/queue/spam', mod), 404, 'NOT_FOUND');
    });

    it('without articleId a queue spans every article, oldest first', async () => {
      const a = await articleWithComments(2);
      const b = await articleWithComments(2);
      const items = await queue(t, mod, 'unmoderated');
      const ids = items.map((i) => i.id);
      for (const c of [...a.comments, ...b.comments]) expect(ids).toContain(c.id);
      expect(items.map((i) => i.article.id)).toEqual(expect.arrayContaining([a.article.id, b.article.id]));
      expect(items.every((i) => i.status === 'published')).toBe(true);
      expect(items).toEqual([...items].sort(byCreatedThenId));
      expect(ids.indexOf(a.comments[0].id)).toBeLessThan(ids.indexOf(b.comments[1].id));
    });

    it('pages with limit and nextCursor cover each item exactly once', async () => {
      const { article, comments } = await articleWithComments(7, 'pre');
      const { items, pageSizes } = await allPages(t, mod, '/api/moderation/queue/pending', {
        articleId: article.id,
        limit: 3,
      });
      expect(pageSizes).toEqual([3, 3, 1]);
      expect(items.map((i) => i.id)).toEqual(comments.map((c) => c.id));

      const exact = await allPages(t, mod, '/api/moderation/queue/pending', { articleId: article.id, limit: 7 });
      expect(exact.pageSizes).toEqual([7]);

      const across = await allPages(t, mod, '/api/moderation/queue/pending', { limit: 2 });
      const acrossIds = across.items.map((i) => i.id);
      expect(new Set(acrossIds).size).toBe(acrossIds.length);
      expect(acrossIds).toEqual((await queue(t, mod, 'pending')).map((i) => i.id));
      for (const c of comments) expect(acrossIds).toContain(c.id);
    });

    it('pages exactly once through comments posted in the same millisecond', async () => {
      const { article, comments } = await articleWithComments(5, 'pre');
      await t.db.query(`UPDATE comments SET created_at = '2025-01-01T00:00:00.000Z' WHERE article_id = $1`, [
        article.id,
      ]);
      const { items, pageSizes } = await allPages(t, mod, '/api/moderation/queue/pending', {
        articleId: article.id,
        limit: 2,
      });
      expect(pageSizes).toEqual([2, 2, 1]);
      expect(items.map((i) => i.id)).toEqual(comments.map((c) => c.id).sort());
    });

    it('refuses a bad limit or cursor with 400', async () => {
      expectProblem(await call(t, 'get', '/api/moderation/queue/pending?limit=0', mod), 400, 'VALIDATION_FAILED');
      expectProblem(await call(t, 'get', '/api/moderation/queue/pending?limit=101', mod), 400, 'VALIDATION_FAILED');
      expectProblem(
        await call(t, 'get', '/api/moderation/queue/pending?cursor=garbage', mod),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await call(t, 'get', '/api/moderation/queue/pending?articleId=nope', mod),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('approve and reject', () => {
    it('moves the status and writes a log entry', async () => {
      const {
        article,
        comments: [c],
      } = await articleWithComments(1);

      const approved = expectStatus(
        await decide(t, mod, c.id, 'approve', { reason: 'fine', expectedStatus: 'published' }),
        200,
      );
      expect(approved).toMatchObject({ id: c.id, articleId: article.id, status: 'approved', body: 'comment 0' });
      expect((await commentAsModerator(t, mod, c.id)).status).toBe('approved');

      const rejected = expectStatus(await decide(t, mod2, c.id, 'reject', { reason: 'on second thought' }), 200);
      expect(rejected).toMatchObject({ id: c.id, status: 'rejected' });
      expect((await commentAsModerator(t, mod, c.id)).status).toBe('rejected');

      const entries = await logFor(c.id);
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({
        action: 'reject',
        actor: { id: 'mod-2', name: 'mod-2 name' },
        targetType: 'comment',
        targetId: c.id,
        fromStatus: 'approved',
        toStatus: 'rejected',
        reason: 'on second thought',
        id: expect.any(String),
        createdAt: expect.any(String),
      });
      expect(entries[1]).toMatchObject({
        action: 'approve',
        actor: { id: 'mod-1', name: 'mod-1 name' },
        targetType: 'comment',
        targetId: c.id,
        fromStatus: 'published',
        toStatus: 'approved',
        reason: 'fine',
      });
    });

    it('rejecting hides a comment from readers; approving a held one shows it', async () => {
      const {
        article,
        comments: [c],
      } = await articleWithComments(1);
      const threadIds = async (id: string) =>
        expectStatus(await call(t, 'get', `/api/articles/${id}/comments`), 200).items.map((i: { id: string }) => i.id);
      expect(await threadIds(article.id)).toEqual([c.id]);
      expectStatus(await decide(t, mod, c.id, 'reject'), 200);
      expectProblem(await call(t, 'get', `/api/comments/${c.id}`), 404, 'NOT_FOUND');
      expect(await threadIds(article.id)).toEqual([]);
      expect((await articleAsModerator(article.id)).counts).toMatchObject({ visible: 0, published: 0, rejected: 1 });

      const pre = await articleWithComments(1, 'pre');
      const held = pre.comments[0];
      expectProblem(await call(t, 'get', `/api/comments/${held.id}`), 404, 'NOT_FOUND');
      expect(await threadIds(pre.article.id)).toEqual([]);
      expectStatus(await decide(t, mod, held.id, 'approve', { expectedStatus: 'pending' }), 200);
      expect(expectStatus(await call(t, 'get', `/api/comments/${held.id}`), 200).status).toBe('approved');
      expect(await threadIds(pre.article.id)).toEqual([held.id]);
      expect((await articleAsModerator(pre.article.id)).counts).toMatchObject({ visible: 1, pending: 0, approved: 1 });
    });

    it('works without a body', async () => {
      const {
        comments: [c],
      } = await articleWithComments(1);
      const res = await t.http().post(`/api/moderation/comments/${c.id}/approve`).set('Authorization', `Bearer ${mod}`);
      expect(expectStatus(res, 200).status).toBe('approved');
    });

    it('with a stale expectedStatus: 409 CONFLICT, nothing changes and nothing is logged', async () => {
      const {
        article,
        comments: [c],
      } = await articleWithComments(1);
      const countsBefore = (await articleAsModerator(article.id)).counts;

      expectProblem(await decide(t, mod, c.id, 'approve', { expectedStatus: 'pending' }), 409, 'CONFLICT');
      expectProblem(await decide(t, mod, c.id, 'reject', { expectedStatus: 'approved' }), 409, 'CONFLICT');

      expect((await commentAsModerator(t, mod, c.id)).status).toBe('published');
      expect(await logFor(c.id)).toEqual([]);
      expect((await articleAsModerator(article.id)).counts).toEqual(countsBefore);
    });

    it('an unknown id is 404, a malformed one 400, a bad expectedStatus 400', async () => {
      expectProblem(await decide(t, mod, randomUUID(), 'approve'), 404, 'NOT_FOUND');
      expectProblem(await decide(t, mod, randomUUID(), 'reject'), 404, 'NOT_FOUND');
      expectProblem(await decide(t, mod, 'not-a-uuid', 'approve'), 400, 'VALIDATION_FAILED');
      expectProblem(await decide(t, mod, 'not-a-uuid', 'reject'), 400, 'VALIDATION_FAILED');
      const {
        comments: [c],
      } = await articleWithComments(1);
      expectProblem(await decide(t, mod, c.id, 'approve', { expectedStatus: 'gone' }), 400, 'VALIDATION_FAILED');
      expectProblem(await decide(t, mod, c.id, 'approve', { extra: 1 } as object), 400, 'VALIDATION_FAILED');
      expect((await commentAsModerator(t, mod, c.id)).status).toBe('published');
    });

    it('a deleted comment is 404', async () => {
      const author = uid('author');
      const { article } = await articleWithComments(0);
      const c = await postComment(t, as(author), article.id, 'soon gone');
      expect((await call(t, 'delete', `/api/comments/${c.id}`, as(author))).status).toBe(204);
      expectProblem(await decide(t, mod, c.id, 'approve'), 404, 'NOT_FOUND');
    });

    it('RACE: two moderators deciding the same comment at once: one wins, the other gets 409', async () => {
      for (let round = 0; round < 8; round++) {
        const {
          comments: [c],
        } = await articleWithComments(1);
        const [a, b] = await Promise.all([
          decide(t, mod, c.id, 'approve', { expectedStatus: 'published' }),
          decide(t, mod2, c.id, 'reject', { expectedStatus: 'published' }),
        ]);
        expect([a.status, b.status].sort()).toEqual([200, 409]);
        const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
        expectProblem(loser, 409, 'CONFLICT');
        expect((await commentAsModerator(t, mod, c.id)).status).toBe(winner.body.status);

        const entries = await logFor(c.id);
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({ fromStatus: 'published', toStatus: winner.body.status });
      }
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('bulk', () => {
    it('decides each comment on its own and reports each result', async () => {
      const { comments } = await articleWithComments(3);
      const unknown = randomUUID();
      const res = await call(t, 'post', '/api/moderation/bulk', mod, {
        action: 'approve',
        commentIds: [comments[0].id, unknown, comments[1].id],
      });
      expect(expectStatus(res, 200).results).toEqual([
        { id: comments[0].id, ok: true },
        { id: unknown, ok: false, code: 'NOT_FOUND' },
        { id: comments[1].id, ok: true },
      ]);
      expect((await commentAsModerator(t, mod, comments[0].id)).status).toBe('approved');
      expect((await commentAsModerator(t, mod, comments[1].id)).status).toBe('approved');
      expect((await commentAsModerator(t, mod, comments[2].id)).status).toBe('published');
      expect((await logFor(comments[0].id)).map((e) => e.action)).toEqual(['approve']);

      const rejected = await call(t, 'post', '/api/moderation/bulk', mod, {
        action: 'reject',
        commentIds: [comments[1].id, comments[2].id],
      });
      expect(expectStatus(rejected, 200).results).toEqual([
        { id: comments[1].id, ok: true },
        { id: comments[2].id, ok: true },
      ]);
      expect((await commentAsModerator(t, mod, comments[2].id)).status).toBe('rejected');
      expect((await logFor(comments[1].id)).map((e) => e.action)).toEqual(['reject', 'approve']);
    });

    it.each([
      ['an empty list', { action: 'approve', commentIds: [] }],
      ['more than 100 ids', { action: 'approve', commentIds: Array.from({ length: 101 }, () => randomUUID()) }],
      ['an unknown action', { action: 'delete', commentIds: [randomUUID()] }],
      ['a malformed id', { action: 'reject', commentIds: ['nope'] }],
    ])('refuses %s with 400', async (_, body) => {
      expectProblem(await call(t, 'post', '/api/moderation/bulk', mod, body), 400, 'VALIDATION_FAILED');
    });

    it('accepts exactly 100 ids', async () => {
      const ids = Array.from({ length: 100 }, () => randomUUID());
      const res = await call(t, 'post', '/api/moderation/bulk', mod, { action: 'reject', commentIds: ids });
      const results = expectStatus(res, 200).results;
      expect(results).toHaveLength(100);
      expect(results.every((r: { ok: boolean; code: string }) => !r.ok && r.code === 'NOT_FOUND')).toBe(true);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('log', () => {
    it('is newest first and filters by comment, article and actor', async () => {
      const actorId = uid('logmod');
      const actor = as(actorId, 'moderator');
      const article = await createArticle(t, actor);
      const c1 = await postComment(t, as(uid('author')), article.id, 'first');
      const c2 = await postComment(t, as(uid('author')), article.id, 'second');
      expectStatus(await decide(t, actor, c1.id, 'approve'), 200);
      expectStatus(await decide(t, mod, c2.id, 'reject'), 200);
      expectStatus(await decide(t, actor, c2.id, 'approve', { reason: 'appeal' }), 200);

      const all = await logEntries(t, mod);
      expect(all.map((e) => e.createdAt)).toEqual([...all.map((e) => e.createdAt)].sort().reverse());

      const byArticle = await logEntries(t, mod, { articleId: article.id });
      expect(byArticle.map((e) => [e.action, e.targetId])).toEqual([
        ['approve', c2.id],
        ['reject', c2.id],
        ['approve', c1.id],
        ['create_article', article.id],
      ]);

      const byComment = await logEntries(t, mod, { commentId: c2.id });
      expect(byComment.map((e) => e.action)).toEqual(['approve', 'reject']);
      expect(byComment[0]).toMatchObject({ fromStatus: 'rejected', toStatus: 'approved', reason: 'appeal' });

      const byActor = await logEntries(t, mod, { actorId });
      expect(byActor.map((e) => [e.action, e.targetId])).toEqual([
        ['approve', c2.id],
        ['approve', c1.id],
        ['create_article', article.id],
      ]);
      expect(byActor.every((e) => e.actor.id === actorId)).toBe(true);

      const none = await logEntries(t, mod, { actorId: uid('nobody') });
      expect(none).toEqual([]);
    });

    it('pages with limit and nextCursor, each entry once', async () => {
      const { article, comments } = await articleWithComments(4);
      for (const c of comments) expectStatus(await decide(t, mod, c.id, 'approve'), 200);
      const full = await logEntries(t, mod, { articleId: article.id });
      expect(full).toHaveLength(5);
      const paged = await allPages(t, mod, '/api/moderation/log', { articleId: article.id, limit: 2 });
      expect(paged.pageSizes).toEqual([2, 2, 1]);
      expect(paged.items.map((e) => e.id)).toEqual(full.map((e) => e.id));
    });

    it('pages exactly once, newest first, through entries written in the same millisecond', async () => {
      const articleId = randomUUID();
      const written: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { rows } = await t.db.query(
          `INSERT INTO moderation_log (action, actor_id, target_type, target_id, article_id, created_at)
           VALUES ('close', 'mod-1', 'article', $1::text, $1::uuid, '2025-01-01T00:00:00.000Z') RETURNING id`,
          [articleId],
        );
        written.push(rows[0].id);
      }
      const { items, pageSizes } = await allPages(t, mod, '/api/moderation/log', { articleId, limit: 2 });
      expect(pageSizes).toEqual([2, 2, 1]);
      expect(items.map((e) => e.id)).toEqual(written.reverse());
    });

    it('refuses malformed filters with 400', async () => {
      expectProblem(await call(t, 'get', '/api/moderation/log?commentId=nope', mod), 400, 'VALIDATION_FAILED');
      expectProblem(await call(t, 'get', '/api/moderation/log?articleId=nope', mod), 400, 'VALIDATION_FAILED');
      expectProblem(await call(t, 'get', '/api/moderation/log?cursor=nope', mod), 400, 'VALIDATION_FAILED');
    });

    it('is append-only: the database refuses UPDATE and DELETE', async () => {
      await articleWithComments(1);
      const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM moderation_log`)).rows[0].n;
      const before = await count();
      expect(before).toBeGreaterThan(0);
      await expect(t.db.query(`UPDATE moderation_log SET reason = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`DELETE FROM moderation_log`)).rejects.toThrow(/append-only/);
      expect(await count()).toBe(before);
      const rewritten = await t.db.query(`SELECT 1 FROM moderation_log WHERE reason = 'rewritten'`);
      expect(rewritten.rowCount).toBe(0);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('users', () => {
    const userView = async (id: string) => call(t, 'get', `/api/moderation/users/${encodeURIComponent(id)}`, mod);

    it('a never-seen user is 404; after posting, the user with ban, premod, counts and recent comments', async () => {
      const id = uid('newbie');
      expectProblem(await userView(id), 404, 'NOT_FOUND');

      const { article } = await articleWithComments(0);
      const c1 = await postComment(t, as(id), article.id, 'my first');
      const c2 = await postComment(t, as(id), article.id, 'my second');
      expectStatus(await decide(t, mod, c2.id, 'reject'), 200);

      const view = expectStatus(await userView(id), 200);
      expect(view).toMatchObject({
        id,
        name: `${id} name`,
        ban: { banned: false },
        premod: false,
        counts: { published: 1, pending: 0, approved: 0, rejected: 1 },
      });
      expect(view.recentComments.map((c: { id: string }) => c.id)).toEqual([c2.id, c1.id]);
      expect(view.recentComments[0]).toMatchObject({ status: 'rejected', body: 'my second' });
    });

    it('ban stops posting with 403 USER_BANNED until unban; both are logged', async () => {
      const id = uid('troll');
      const { article } = await articleWithComments(0);
      await postComment(t, as(id), article.id, 'before');

      const banned = expectStatus(
        await call(t, 'post', `/api/moderation/users/${id}/ban`, mod, { reason: 'trolling' }),
        200,
      );
      expect(banned.ban).toMatchObject({ banned: true, reason: 'trolling', until: null });
      const refused = await call(t, 'post', `/api/articles/${article.id}/comments`, as(id), { body: 'while banned' });
      expectProblem(refused, 403, 'USER_BANNED');

      const unbanned = expectStatus(await call(t, 'post', `/api/moderation/users/${id}/unban`, mod2, {}), 200);
      expect(unbanned.ban).toMatchObject({ banned: false });
      expect((await postComment(t, as(id), article.id, 'after')).status).toBe('published');

      const entries = (await logEntries(t, mod)).filter((e) => e.targetType === 'user' && e.targetId === id);
      expect(entries).toEqual([
        expect.objectContaining({ action: 'unban', actor: { id: 'mod-2', name: 'mod-2 name' } }),
        expect.objectContaining({
          action: 'ban',
          actor: { id: 'mod-1', name: 'mod-1 name' },
          reason: expect.stringContaining('trolling'),
        }),
      ]);
    });

    it('ban until a future time; a time in the past or no reason is 400', async () => {
      const id = uid('timeout');
      const { article } = await articleWithComments(0);
      await postComment(t, as(id), article.id, 'hello');

      expectProblem(
        await call(t, 'post', `/api/moderation/users/${id}/ban`, mod, {
          reason: 'x',
          until: new Date(Date.now() - 60_000).toISOString(),
        }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await call(t, 'post', `/api/moderation/users/${id}/ban`, mod, {}), 400, 'VALIDATION_FAILED');
      expectProblem(
        await call(t, 'post', `/api/moderation/users/${id}/ban`, mod, { reason: 'x', until: 'tomorrow' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(expectStatus(await userView(id), 200).ban.banned).toBe(false);

      const until = new Date(Date.now() + 3_600_000).toISOString();
      const view = expectStatus(
        await call(t, 'post', `/api/moderation/users/${id}/ban`, mod, { reason: 'cool down', until }),
        200,
      );
      expect(view.ban).toMatchObject({ banned: true, until, reason: 'cool down' });
      const refused = await call(t, 'post', `/api/articles/${article.id}/comments`, as(id), { body: 'still banned' });
      expectProblem(refused, 403, 'USER_BANNED');
    });

    it('a user id that is too long is 400', async () => {
      expectProblem(await userView('u'.repeat(201)), 400, 'VALIDATION_FAILED');
    });

    it('a ban whose until has passed no longer stops posting', async () => {
      const id = uid('expiring');
      const { article } = await articleWithComments(0);
      const until = new Date(Date.now() + 3_600_000).toISOString();
      expectStatus(await call(t, 'post', `/api/moderation/users/${id}/ban`, mod, { reason: 'cool down', until }), 200);
      expectProblem(
        await call(t, 'post', `/api/articles/${article.id}/comments`, as(id), { body: 'no' }),
        403,
        'USER_BANNED',
      );

      await t.db.query(`UPDATE users SET ban_until = now() - interval '1 second' WHERE id = $1`, [id]);
      expect(expectStatus(await userView(id), 200).ban.banned).toBe(false);
      expect((await postComment(t, as(id), article.id, 'back')).status).toBe('published');
    });

    it('premod holds the user’s new comments until switched off; logged', async () => {
      const id = uid('watched');
      const { article } = await articleWithComments(0);
      expect((await postComment(t, as(id), article.id, 'free')).status).toBe('published');

      const on = expectStatus(await call(t, 'post', `/api/moderation/users/${id}/premod`, mod, { enabled: true }), 200);
      expect(on.premod).toBe(true);
      const held = await postComment(t, as(id), article.id, 'held');
      expect(held.status).toBe('pending');
      expect(held.moderationReasons).toEqual([expect.any(String)]);
      expect((await queue(t, mod, 'pending', { articleId: article.id })).map((i) => i.id)).toEqual([held.id]);
      const [hold] = await logFor(held.id);
      expect(hold).toMatchObject({ actor: null, targetType: 'comment', targetId: held.id, toStatus: 'pending' });

      const off = expectStatus(
        await call(t, 'post', `/api/moderation/users/${id}/premod`, mod, { enabled: false }),
        200,
      );
      expect(off.premod).toBe(false);
      expect((await postComment(t, as(id), article.id, 'free again')).status).toBe('published');

      const actions = (await logEntries(t, mod))
        .filter((e) => e.targetType === 'user' && e.targetId === id)
        .map((e) => e.action);
      expect(actions).toEqual(['premod_off', 'premod_on']);

      expectProblem(
        await call(t, 'post', `/api/moderation/users/${id}/premod`, mod, { enabled: 'yes' }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('reports', () => {
    it('a commenter reports once per comment; bad or unauthorised reports are refused', async () => {
      const authorId = uid('author');
      const { article } = await articleWithComments(0);
      const c = await postComment(t, as(authorId), article.id, 'controversial');
      const reporter = as(uid('reporter'));

      const created = expectStatus(await report(t, reporter, c.id, 'off_topic', 'not about the article'), 201);
      expect(created).toMatchObject({ commentId: c.id, reason: 'off_topic', note: 'not about the article' });
      expectProblem(await report(t, reporter, c.id, 'spam'), 409, 'CONFLICT');
      expectProblem(await report(t, as(uid('reporter')), c.id, 'boring'), 400, 'VALIDATION_FAILED');
      expectProblem(await report(t, undefined as unknown as string, c.id, 'spam'), 401, 'UNAUTHENTICATED');
      expectProblem(await report(t, as(authorId), c.id, 'spam'), 403, 'FORBIDDEN');
      expectProblem(await report(t, reporter, randomUUID(), 'spam'), 404, 'NOT_FOUND');

      const open = await t.db.query(`SELECT count(*)::int AS n FROM reports WHERE comment_id = $1`, [c.id]);
      expect(open.rows[0].n).toBe(1);
    });

    it.each(['approve', 'reject'] as const)(
      '%s resolves the open reports and clears counts.reported',
      async (decision) => {
        const {
          article,
          comments: [c, other],
        } = await articleWithComments(2);
        expectStatus(await report(t, as(uid('r')), c.id, 'spam', 'buy now'), 201);
        expectStatus(await report(t, as(uid('r')), c.id, 'abuse'), 201);
        expectStatus(await report(t, as(uid('r')), other.id, 'other'), 201);
        expect((await articleAsModerator(article.id)).counts.reported).toBe(2);

        const [item] = (await queue(t, mod, 'reported', { articleId: article.id })).filter((i) => i.id === c.id);
        expect(item.openReportCount).toBe(2);
        expect(item.reports).toEqual([
          expect.objectContaining({ reason: 'spam', note: 'buy now' }),
          expect.objectContaining({ reason: 'abuse', note: null }),
        ]);

        expectStatus(await decide(t, mod, c.id, decision, { expectedStatus: 'published' }), 200);
        expect((await queue(t, mod, 'reported', { articleId: article.id })).map((i) => i.id)).toEqual([other.id]);
        const reports = await t.db.query(`SELECT resolved_at FROM reports WHERE comment_id = $1`, [c.id]);
        expect(reports.rows).toHaveLength(2);
        expect(reports.rows.every((r) => r.resolved_at !== null)).toBe(true);
        expect((await articleAsModerator(article.id)).counts.reported).toBe(1);

        expectStatus(await decide(t, mod, other.id, decision), 200);
        expect(await queue(t, mod, 'reported', { articleId: article.id })).toEqual([]);
        expect((await articleAsModerator(article.id)).counts.reported).toBe(0);
        const [entry] = await logFor(c.id);
        expect(entry).toMatchObject({ action: decision, fromStatus: 'published' });
      },
    );

    it('RACE: one reader reporting twice at once gets 201 and 409; two readers at once are both counted', async () => {
      const {
        article,
        comments: [c, d],
      } = await articleWithComments(2);
      const reader = as(uid('r'));
      const twice = await Promise.all([report(t, reader, c.id, 'spam'), report(t, reader, c.id, 'abuse')]);
      expect(twice.map((r) => r.status).sort()).toEqual([201, 409]);
      expectProblem(
        twice.find((r) => r.status === 409)!,
        409,
        'CONFLICT',
      );

      const both = await Promise.all([report(t, as(uid('r')), d.id, 'other'), report(t, as(uid('r')), d.id, 'spam')]);
      expect(both.map((r) => r.status)).toEqual([201, 201]);

      const stored = await t.db.query(`SELECT id, open_report_count AS n FROM comments WHERE id = ANY($1::uuid[])`, [
        [c.id, d.id],
      ]);
      expect(Object.fromEntries(stored.rows.map((r) => [r.id, r.n]))).toEqual({ [c.id]: 1, [d.id]: 2 });
      expect((await articleAsModerator(article.id)).counts.reported).toBe(2);
      const items = await queue(t, mod, 'reported', { articleId: article.id });
      expect(items.map((i) => [i.id, i.openReportCount, i.reports.length])).toEqual([
        [c.id, 1, 1],
        [d.id, 2, 2],
      ]);
    });

    it('RACE: many readers at once: the comment is withheld at reportThreshold (3) reports and counted once', async () => {
      const {
        article,
        comments: [c],
      } = await articleWithComments(1);
      const many = await Promise.all(Array.from({ length: 6 }, () => report(t, as(uid('r')), c.id, 'abuse')));
      // once withheld, readers no longer see the comment, so later reports find nothing to report
      expect(many.map((r) => r.status).sort()).toEqual([201, 201, 201, 404, 404, 404]);

      const held = await commentAsModerator(t, mod, c.id);
      expect(held.status).toBe('pending');
      const [hold] = await logFor(c.id);
      expect(hold).toMatchObject({ actor: null, fromStatus: 'published', toStatus: 'pending' });
      expect((await queue(t, mod, 'pending', { articleId: article.id })).map((i) => i.id)).toEqual([c.id]);
      const [item] = await queue(t, mod, 'reported', { articleId: article.id });
      expect(item).toMatchObject({ id: c.id, openReportCount: 3 });
      expect(item.reports).toHaveLength(3);
      expect((await articleAsModerator(article.id)).counts).toMatchObject({
        visible: 0,
        pending: 1,
        published: 0,
        reported: 1,
      });

      expectStatus(await decide(t, mod, c.id, 'approve', { expectedStatus: 'pending' }), 200);
      expect((await articleAsModerator(article.id)).counts).toMatchObject({
        visible: 1,
        pending: 0,
        approved: 1,
        reported: 0,
      });
      const { stored, actual } = await recount(t.db, article.id);
      expect(stored).toEqual(actual);
    });

    it('an edit by its author does not release a comment withheld by reports', async () => {
      const authorId = uid('author');
      const { article } = await articleWithComments(0);
      const c = await postComment(t, as(authorId), article.id, 'provocative');
      for (let i = 0; i < 3; i++) expectStatus(await report(t, as(uid('r')), c.id, 'abuse'), 201);
      expect((await commentAsModerator(t, mod, c.id)).status).toBe('pending');

      const edited = expectStatus(
        await call(t, 'patch', `/api/comments/${c.id}`, as(authorId), { body: 'provocative, reworded' }),
        200,
      );
      // still held: only a moderator's decision may put it back in front of readers
      expect(edited.status).toBe('pending');
      expectProblem(await call(t, 'get', `/api/comments/${c.id}`), 404, 'NOT_FOUND');
      expect((await queue(t, mod, 'pending', { articleId: article.id })).map((i) => i.id)).toEqual([c.id]);
      expect((await articleAsModerator(article.id)).counts).toMatchObject({ visible: 0, pending: 1, reported: 1 });
    });

    it('approving an already approved comment still resolves its reports', async () => {
      const {
        article,
        comments: [c],
      } = await articleWithComments(1);
      expectStatus(await decide(t, mod, c.id, 'approve'), 200);
      expectStatus(await report(t, as(uid('r')), c.id, 'spam'), 201);
      expectStatus(await decide(t, mod, c.id, 'approve', { expectedStatus: 'approved' }), 200);
      expect(await queue(t, mod, 'reported', { articleId: article.id })).toEqual([]);
      expect((await articleAsModerator(article.id)).counts.reported).toBe(0);
    });

    it('taking a decision back opens again the reports it resolved, and leaves open the ones that came since', async () => {
      const {
        article,
        comments: [c],
      } = await articleWithComments(1);
      const restore = (token: string, body: Record<string, unknown>) =>
        call(t, 'post', `/api/moderation/comments/${c.id}/restore`, token, body);
      const openReports = async () =>
        (
          await t.db.query(`SELECT reason FROM reports WHERE comment_id = $1 AND resolved_at IS NULL ORDER BY reason`, [
            c.id,
          ])
        ).rows.map((r) => r.reason);
      // Resolved by the same moderator's decision before: stays resolved.
      expectStatus(await report(t, as(uid('r')), c.id, 'other'), 201);
      expectStatus(await decide(t, mod, c.id, 'approve'), 200);
      expectStatus(await report(t, as(uid('r')), c.id, 'spam'), 201);
      expectStatus(await report(t, as(uid('r')), c.id, 'abuse'), 201);
      expectStatus(await decide(t, mod, c.id, 'approve', { expectedStatus: 'approved' }), 200);
      expect((await articleAsModerator(article.id)).counts.reported).toBe(0);
      expectStatus(await report(t, as(uid('r')), c.id, 'off_topic'), 201); // after the decision

      const back = expectStatus(await restore(mod, { status: 'published', expectedStatus: 'approved' }), 200);
      expect(back.status).toBe('published');
      expect(await openReports()).toEqual(['abuse', 'off_topic', 'spam']);
      expect((await queue(t, mod, 'reported', { articleId: article.id })).map((i) => i.id)).toEqual([c.id]);
      expect((await articleAsModerator(article.id)).counts).toMatchObject({ reported: 1, visible: 1, approved: 0 });
      const [entry] = await logFor(c.id);
      expect(entry).toMatchObject({ action: 'restore', fromStatus: 'approved', toStatus: 'published' });
      expect(entry.reason).toBe('reopened 2 report(s)');
      const { stored, recounted } = await storedAndRecountedArticleCounts(t, [article.id]);
      expect(stored).toEqual(recounted);
    });

    it('reporting goes on on a closed article', async () => {
      const {
        article,
        comments: [c],
      } = await articleWithComments(1);
      expectStatus(await call(t, 'post', `/api/articles/${article.id}/close`, mod, {}), 200);
      expectStatus(await report(t, as(uid('r')), c.id, 'abuse'), 201);
      expect((await queue(t, mod, 'reported', { articleId: article.id })).map((i) => i.id)).toEqual([c.id]);
      expectStatus(await decide(t, mod, c.id, 'reject'), 200);
      expect((await articleAsModerator(article.id)).counts.reported).toBe(0);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('counts', () => {
    it('equal a recount after a mix of posts, replies, decisions, deletes, edits and reports', async () => {
      const article = await createArticle(t, mod, { moderationMode: 'post' });
      const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((n) => uid(n));
      const post = (who: string, text: string, parentId?: string) =>
        postComment(t, as(who), article.id, text, parentId);
      const del = async (token: string, id: string) =>
        expect((await call(t, 'delete', `/api/comments/${id}`, token)).status).toBe(204);

      const top1 = await post(alice, 'top 1');
      const top2 = await post(bob, 'top 2');
      const top3 = await post(carol, 'top 3');
      const byMod = await postComment(t, mod, article.id, 'moderator speaking');
      expect(byMod.status).toBe('approved');
      const r11 = await post(bob, 'reply 1.1', top1.id);
      const r12 = await post(carol, 'reply 1.2', top1.id);
      const r13 = await post(dave, 'reply 1.3', top1.id);
      const r111 = await post(alice, 'reply 1.1.1', r11.id);
      const r21 = await post(alice, 'reply 2.1', top2.id);

      expectStatus(await call(t, 'post', `/api/moderation/users/${dave}/premod`, mod, { enabled: true }), 200);
      const heldTop = await post(dave, 'held top');
      const heldReply = await post(dave, 'held reply', top2.id);
      expect([heldTop.status, heldReply.status]).toEqual(['pending', 'pending']);

      // reports, some on the same comment
      for (const [who, id] of [
        [carol, r11.id],
        [dave, r11.id],
        [alice, top2.id],
        [bob, top3.id],
        [alice, r12.id],
        [bob, r21.id],
      ]) {
        expectStatus(await report(t, as(who), id, 'spam'), 201);
      }
      // decisions: from published, from pending, on reported comments, on replies
      expectStatus(await decide(t, mod, r11.id, 'reject'), 200);
      expectStatus(await decide(t, mod, top2.id, 'approve'), 200);
      expectStatus(await decide(t, mod2, heldReply.id, 'approve'), 200);
      expectStatus(await decide(t, mod, r13.id, 'reject'), 200);
      expectStatus(await decide(t, mod, r13.id, 'approve'), 200);
      expect(
        expectStatus(
          await call(t, 'post', '/api/moderation/bulk', mod, { action: 'reject', commentIds: [heldTop.id, r12.id] }),
          200,
        ).results,
      ).toEqual([
        { id: heldTop.id, ok: true },
        { id: r12.id, ok: true },
      ]);
      // a moderator reports a rejected comment; a reported comment is deleted
      expectStatus(await report(t, mod2, r12.id, 'other'), 201);
      await del(as(carol), top3.id);
      // deletes: a parent with replies (tombstone), a reply by a moderator, a pending-then-approved reply
      await del(as(alice), top1.id);
      await del(mod, r111.id);
      await del(as(dave), heldReply.id);
      // an edit re-moderates an approved comment
      expect(
        expectStatus(await call(t, 'patch', `/api/comments/${top2.id}`, as(bob), { body: 'top 2, edited' }), 200)
          .status,
      ).toBe('published');
      const late = await post(carol, 'late reply', top2.id);
      expectStatus(await report(t, as(alice), late.id, 'abuse'), 201);
      expectStatus(await decide(t, mod, late.id, 'approve'), 200);

      const { stored, actual, replyCounts, openReports } = await recount(t.db, article.id);
      expect(stored).toEqual(actual);
      expect(replyCounts.filter((r) => r.stored !== r.actual)).toEqual([]);
      expect(openReports.filter((r) => r.stored !== r.actual)).toEqual([]);
      expect((await articleAsModerator(article.id)).counts).toEqual(actual);
      expect(expectStatus(await call(t, 'get', `/api/articles/${article.id}`), 200).counts).toEqual({
        visible: actual.visible,
      });

      // a sanity check that the mix really touched every count
      expect(actual).toEqual({ visible: 5, pending: 0, published: 2, approved: 3, rejected: 3, reported: 2 });
    });

    it('equal a recount after edits and deletes of held, rejected, reported and tombstoned comments', async () => {
      const article = await createArticle(t, mod, { moderationMode: 'pre' });
      const [p1a, p2a, p3a, p4a] = ['p1', 'p2', 'p3', 'p4'].map((n) => uid(n));
      const post = (who: string, text: string, parentId?: string) =>
        postComment(t, as(who), article.id, text, parentId);
      const del = async (token: string, id: string) =>
        expect((await call(t, 'delete', `/api/comments/${id}`, token)).status).toBe(204);
      const [p1, p2, p3, p4] = [
        await post(p1a, 'p1'),
        await post(p2a, 'p2'),
        await post(p3a, 'p3'),
        await post(p4a, 'p4'),
      ];

      expectStatus(await report(t, mod2, p1.id, 'spam'), 201); // a moderator may report a held comment
      expect(
        expectStatus(await call(t, 'patch', `/api/comments/${p2.id}`, as(p2a), { body: 'p2 edited' }), 200).status,
      ).toBe('pending');
      await del(as(p3a), p3.id);
      expectStatus(await decide(t, mod, p4.id, 'reject'), 200);
      await del(as(p4a), p4.id);
      expectStatus(await decide(t, mod, p1.id, 'approve'), 200);
      const r1 = await post(p2a, 'reply to p1', p1.id);
      expectStatus(await decide(t, mod, r1.id, 'approve', { expectedStatus: 'pending' }), 200);
      expect((await commentAsModerator(t, mod, p1.id)).replyCount).toBe(1);
      expectStatus(await decide(t, mod, p1.id, 'reject'), 200);
      await del(mod, r1.id);
      expect((await commentAsModerator(t, mod, p1.id)).replyCount).toBe(0);
      // a deleted reply with a live reply of its own stays listed (a tombstone) under its parent
      const top = await postComment(t, mod, article.id, 'top by a moderator');
      const mid = await post(p3a, 'mid', top.id);
      expectStatus(await decide(t, mod, mid.id, 'approve'), 200);
      const leaf = await post(p4a, 'leaf', mid.id);
      expectStatus(await decide(t, mod, leaf.id, 'approve'), 200);
      await del(as(p3a), mid.id);
      expect((await commentAsModerator(t, mod, top.id)).replyCount).toBe(1);
      expectStatus(await decide(t, mod, leaf.id, 'reject'), 200);
      expect((await commentAsModerator(t, mod, top.id)).replyCount).toBe(0);
      expectStatus(await decide(t, mod, leaf.id, 'approve'), 200);
      expect((await commentAsModerator(t, mod, top.id)).replyCount).toBe(1);
      const m1 = await postComment(t, mod, article.id, 'moderator note');
      expectStatus(await report(t, as(p3a), m1.id, 'off_topic'), 201);
      await del(mod2, m1.id);

      const { stored, actual, replyCounts, openReports } = await recount(t.db, article.id);
      expect(stored).toEqual(actual);
      expect(replyCounts.filter((r) => r.stored !== r.actual)).toEqual([]);
      expect(openReports.filter((r) => r.stored !== r.actual)).toEqual([]);
      expect(actual).toEqual({ visible: 2, pending: 1, published: 0, approved: 2, rejected: 1, reported: 0 });
    });

    it('equal a recount after many actions at once', async () => {
      const article = await createArticle(t, mod, { moderationMode: 'post' });
      const authors = Array.from({ length: 6 }, (_, i) => uid(`a${i}`));
      const tops: any[] = [];
      for (const a of authors) tops.push(await postComment(t, as(a), article.id, `top by ${a}`));
      const replies: any[] = [];
      for (let i = 0; i < tops.length; i++)
        replies.push(await postComment(t, as(authors[(i + 1) % 6]), article.id, 'reply', tops[i].id));

      const actions: Promise<{ status: number }>[] = [];
      tops.forEach((top, i) => {
        const reply = replies[i];
        for (let k = 0; k < 3; k++)
          actions.push(report(t, as(uid('rep')), top.id, 'spam'), report(t, as(uid('rep')), reply.id, 'abuse'));
        if (i % 3 === 0) actions.push(decide(t, mod, top.id, 'approve'));
        if (i % 3 === 1) actions.push(decide(t, mod2, top.id, 'reject'));
        if (i % 3 === 2) actions.push(decide(t, mod, reply.id, 'reject'));
        if (i % 2 === 0) actions.push(call(t, 'delete', `/api/comments/${reply.id}`, as(authors[(i + 1) % 6])));
        if (i % 2 === 1) actions.push(call(t, 'delete', `/api/comments/${top.id}`, mod2));
        actions.push(
          call(t, 'post', `/api/articles/${article.id}/comments`, as(uid('late')), { body: 'late', parentId: top.id }),
        );
        actions.push(decide(t, admin, reply.id, 'approve'));
      });
      actions.push(
        call(t, 'post', '/api/moderation/bulk', admin, { action: 'reject', commentIds: replies.map((r) => r.id) }),
      );

      const statuses = (await Promise.all(actions)).map((r) => r.status);
      expect(statuses.filter((s) => ![200, 201, 204, 404, 409].includes(s))).toEqual([]);

      const { stored, actual, replyCounts, openReports } = await recount(t.db, article.id);
      expect(stored).toEqual(actual);
      expect(replyCounts.filter((r) => r.stored !== r.actual)).toEqual([]);
      expect(openReports.filter((r) => r.stored !== r.actual)).toEqual([]);
    });
  });
});
