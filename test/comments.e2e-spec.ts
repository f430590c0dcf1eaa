import type { Response } from 'supertest';
import {
  ageComment,
  Api,
  CommentJson,
  DEFAULT_CLOSED_MESSAGE,
  DEFAULT_DISCLAIMER,
  expectProblem,
  expectStatus,
  forgeCursor,
  insertComments,
  insertUser,
  ISO_RE,
  noDuplicates,
  spreadInTime,
  storedAndRecountedArticleCounts,
  storedAndRecountedReplyCounts,
  unique,
  UUID_RE,
} from './support/comments-helpers';
import { createTestApp, TestApp } from './support/test-app';

/** End-to-end tests of comments, per the HTTP contract (docs/openapi.json and the README). */
describe('comments (e2e)', () => {
  let t: TestApp;
  let api: Api;
  let mod: string;
  let admin: string;

  /** A commenter no other test uses: their id and a token. */
  const user = (name = 'reader') => {
    const id = unique(name);
    return { id, token: t.token(id) };
  };
  const idsOf = (items: CommentJson[]) => items.map((c) => c.id);
  const rowCount = async (sql: string, params: unknown[]) => Number((await t.db.query(sql, params)).rows[0].n);
  const commentsBy = (authorId: string) =>
    rowCount(`SELECT count(*) AS n FROM comments WHERE author_id = $1`, [authorId]);
  const commentsOn = (articleId: string) =>
    rowCount(`SELECT count(*) AS n FROM comments WHERE article_id = $1`, [articleId]);
  const visibleCount = async (articleId: string) => {
    const res = await api.getArticle(articleId);
    expectStatus(res, 200);
    return res.body.counts.visible as number;
  };
  const preArticle = async () => {
    const article = await api.createArticle(mod);
    expectStatus(await api.patchArticle(mod, article.id, { moderationMode: 'pre' }), 200);
    return article;
  };

  beforeAll(async () => {
    t = await createTestApp();
    api = new Api(t);
    mod = t.token('moderator-1', 'moderator');
    admin = t.token('admin-1', 'admin');
  });
  afterAll(() => t.close());

  // ------------------------------------------------------------------------------------------------
  describe('posting', () => {
    it('answers 201 with the comment', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const res = await api.post(alice.token, article.id, { body: 'Hello there' });
      expectStatus(res, 201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const expected = {
        id: expect.stringMatching(UUID_RE),
        articleId: article.id,
        parentId: null,
        author: { id: alice.id, name: `${alice.id} name` },
        body: 'Hello there',
        status: 'published',
        moderationReasons: [],
        replyCount: 0,
        createdAt: expect.stringMatching(ISO_RE),
        editedAt: null,
        deleted: false,
      };
      expect(res.body).toEqual(expect.objectContaining(expected));

      const read = await api.getComment(res.body.id);
      expectStatus(read, 200);
      expect(read.body).toEqual(
        expect.objectContaining({ ...expected, id: res.body.id, createdAt: res.body.createdAt }),
      );
    });

    it('trims the body and keeps inner whitespace', async () => {
      const article = await api.createArticle(mod);
      const c = await api.comment(user().token, article.id, ' \n\t  Hello,\n\n  world  \r\n ');
      expect(c.body).toBe('Hello,\n\n  world');
    });

    const EXACT_TEXTS: [string, string][] = [
      ['emoji with modifiers and ZWJ sequences', 'Nice 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇩🇪'],
      ['combining marks, not normalised', 'Cafe\u0301 man\u0303ana a\u0308\u0304 Z\u0351\u036b\u0343\u036a'],
      ['right-to-left text with direction marks', 'שלום עולם \u200fمرحبا بالعالم\u200e \u202eabc\u202c ok'],
      ['zero-width characters', 'zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffend'],
      ['a script tag, as text', '<script>alert(1)</script>'],
      ['entities, not decoded', '&lt;b&gt; &amp; &#x27; "double" \'single\' <b>bold</b>'],
      ['backslashes and escapes, literally', '{"a":1} \\n \\u0000 $1 %s ${x}'],
      ['astral and rare characters', '𝕳𝖊𝖑𝖑𝖔 𠜎 \u{10FFFD} \uFFFD'],
    ];

    it.each(EXACT_TEXTS)('stores and returns %s exactly', async (_label, text) => {
      const article = await api.createArticle(mod);
      const c = await api.comment(user().token, article.id, text);
      expect(c.body).toBe(text);
      const read = await api.getComment(c.id);
      expect(read.body.body).toBe(text);
      const thread = await api.thread(article.id);
      expect(thread.body.items.map((i: CommentJson) => i.body)).toEqual([text]);
      const { rows } = await t.db.query(`SELECT body FROM comments WHERE id = $1`, [c.id]);
      expect(rows[0].body).toBe(text);
    });

    it.each([
      ['empty', ''],
      ['spaces', '   '],
      ['mixed whitespace', ' \n\t\r '],
      ['Unicode spaces', '\u3000\u2003 '],
    ])('refuses a %s body with 400', async (_label, body) => {
      const article = await api.createArticle(mod);
      const res = await api.post(user().token, article.id, { body });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(await commentsOn(article.id)).toBe(0);
    });

    it.each([
      ['missing', {}],
      ['a number', { body: 42 }],
      ['null', { body: null }],
      ['an array', { body: ['x'] }],
      ['an object', { body: { text: 'x' } }],
    ])('refuses a body that is %s with 400', async (_label, payload) => {
      const article = await api.createArticle(mod);
      expectProblem(await api.post(user().token, article.id, payload), 400, 'VALIDATION_FAILED');
    });

    it('accepts maxCommentLength (5000 by default) characters after trimming, refuses one more', async () => {
      const article = await api.createArticle(mod);
      const who = user();
      const ok = await api.post(who.token, article.id, { body: `  ${'x'.repeat(5000)}\n ` });
      expectStatus(ok, 201);
      expect(ok.body.body).toHaveLength(5000);
      const tooLong = await api.post(who.token, article.id, { body: 'x'.repeat(5001) });
      expectProblem(tooLong, 400, 'VALIDATION_FAILED');
      expect(tooLong.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body' })]));
      expect(await commentsBy(who.id)).toBe(1);
    });

    it('applies a maxCommentLength changed by an admin at once', async () => {
      const article = await api.createArticle(mod);
      const who = user();
      const mine = await api.comment(who.token, article.id, 'short one');
      expectProblem(await api.putSettings(mod, { maxCommentLength: 10 }), 403, 'FORBIDDEN');
      await api.withSettings(admin, { maxCommentLength: 10 }, { maxCommentLength: 5000 }, async () => {
        expectStatus(await api.post(who.token, article.id, { body: '0123456789' }), 201);
        expectProblem(await api.post(who.token, article.id, { body: '0123456789A' }), 400, 'VALIDATION_FAILED');
        expectProblem(await api.edit(who.token, mine.id, '0123456789A'), 400, 'VALIDATION_FAILED');
      });
      expectStatus(await api.post(who.token, article.id, { body: '0123456789A' }), 201);
    });

    it('counts the length in characters, so an emoji is one character', async () => {
      // API.md: "1 to maxCommentLength characters after trimming". A 👍 is one character (two UTF-16 units).
      const article = await api.createArticle(mod);
      await api.withSettings(admin, { maxCommentLength: 10 }, { maxCommentLength: 5000 }, async () => {
        const res = await api.post(user().token, article.id, { body: '👍'.repeat(10) });
        expectStatus(res, 201);
        expectProblem(await api.post(user().token, article.id, { body: '👍'.repeat(11) }), 400, 'VALIDATION_FAILED');
      });
    });

    it.each([
      ['a NUL character', 'before\u0000after'],
      ['only a NUL character', '\u0000'],
      ['a lone high surrogate', '\ud800'],
      ['a lone low surrogate inside text', 'ab\udc00cd'],
      ['a reversed surrogate pair', 'x\udc00\ud800y'],
    ])('refuses a body with %s: 400 VALIDATION_FAILED, not 500', async (_label, body) => {
      const article = await api.createArticle(mod);
      const res = await api.post(user().token, article.id, { body });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(await commentsOn(article.id)).toBe(0);
    });

    it('refuses a body that is not JSON with a 4xx problem, not 500', async () => {
      const article = await api.createArticle(mod);
      const who = user();
      const url = `/api/articles/${article.id}/comments`;
      const auth = `Bearer ${who.token}`;
      const plain = await t.http().post(url).set('Authorization', auth).set('Content-Type', 'text/plain').send('hello');
      expect(plain.status).toBeGreaterThanOrEqual(400);
      expect(plain.status).toBeLessThan(500);
      expect(plain.headers['content-type']).toMatch(/^application\/problem\+json/);
      const broken = await t
        .http()
        .post(url)
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .send('{"body": "x"');
      expectProblem(broken, 400, 'VALIDATION_FAILED');
      const array = await t
        .http()
        .post(url)
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .send('["x"]');
      expectProblem(array, 400, 'VALIDATION_FAILED');
      expect(await commentsOn(article.id)).toBe(0);
    });

    it('needs a signed-in user: 401 without or with a bad token', async () => {
      const article = await api.createArticle(mod);
      expectProblem(await api.post(undefined, article.id, { body: 'hi' }), 401, 'UNAUTHENTICATED');
      expectProblem(await api.post('not.a.token', article.id, { body: 'hi' }), 401, 'UNAUTHENTICATED');
      expect(await commentsOn(article.id)).toBe(0);
    });

    it('answers 404 for an unknown article and 400 for a malformed article id', async () => {
      expectProblem(
        await api.post(user().token, '3f0c5c1e-6a43-4c47-9a59-0a4f3c1e2b7d', { body: 'hi' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(await api.post(user().token, 'not-a-uuid', { body: 'hi' }), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['an unknown field', { body: 'hi', colour: 'red' }],
      ['a status', { body: 'hi', status: 'approved' }],
      ['an author', { body: 'hi', authorId: 'someone-else' }],
      ['a malformed parentId', { body: 'hi', parentId: 'nope' }],
    ])('refuses %s with 400', async (_label, payload) => {
      const article = await api.createArticle(mod);
      expectProblem(await api.post(user().token, article.id, payload), 400, 'VALIDATION_FAILED');
      expect(await commentsOn(article.id)).toBe(0);
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('replies', () => {
    it('refuses a parent in another article (404) and an unknown parent (404)', async () => {
      const a1 = await api.createArticle(mod);
      const a2 = await api.createArticle(mod);
      const parent = await api.comment(user().token, a1.id, 'on a1');
      expectProblem(await api.post(user().token, a2.id, { body: 'reply', parentId: parent.id }), 404, 'NOT_FOUND');
      expectProblem(
        await api.post(user().token, a2.id, { body: 'reply', parentId: '0b7c3a52-2f4e-4d7b-8d8a-6a9b1d2e3f40' }),
        404,
        'NOT_FOUND',
      );
      expect(await commentsOn(a2.id)).toBe(0);
    });

    it('refuses replies to a rejected or a deleted comment with 409', async () => {
      const article = await api.createArticle(mod);
      const author = user();
      const rejected = await api.comment(author.token, article.id, 'to be rejected');
      const deleted = await api.comment(author.token, article.id, 'to be deleted');
      expectStatus(await api.reject(mod, rejected.id), 200);
      expectStatus(await api.remove(author.token, deleted.id), 204);
      const replier = user();
      expectProblem(await api.post(replier.token, article.id, { body: 'r', parentId: rejected.id }), 409, 'CONFLICT');
      expectProblem(await api.post(replier.token, article.id, { body: 'r', parentId: deleted.id }), 409, 'CONFLICT');
      expect(await commentsBy(replier.id)).toBe(0);
    });

    it('counts replies on the parent and shows the first three, oldest first, in the thread', async () => {
      const article = await api.createArticle(mod);
      const parent = await api.comment(user().token, article.id, 'parent');
      const replies: CommentJson[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await api.comment(user().token, article.id, `reply ${i}`, parent.id);
        expect(r.parentId).toBe(parent.id);
        replies.push(r);
      }
      await spreadInTime(t, [parent.id, ...idsOf(replies)]);

      expect((await api.getComment(parent.id)).body.replyCount).toBe(5);
      const thread = await api.thread(article.id);
      expectStatus(thread, 200);
      const [item] = thread.body.items;
      expect(item.id).toBe(parent.id);
      expect(item.replyCount).toBe(5);
      expect(idsOf(item.replies)).toEqual(idsOf(replies.slice(0, 3)));
      expect(item.replies[0]).toEqual(
        expect.objectContaining({ parentId: parent.id, body: 'reply 0', status: 'published' }),
      );
    });

    it('pages through all direct replies, oldest first, with cursors', async () => {
      const article = await api.createArticle(mod);
      const parent = await api.comment(user().token, article.id, 'parent');
      const replies: CommentJson[] = [];
      for (let i = 0; i < 7; i++) replies.push(await api.comment(user().token, article.id, `reply ${i}`, parent.id));
      const nested = await api.comment(user().token, article.id, 'a reply to a reply', replies[0].id);
      const hidden = await api.comment(user().token, article.id, 'rejected reply', parent.id);
      expectStatus(await api.reject(mod, hidden.id), 200);
      await spreadInTime(t, [parent.id, ...idsOf(replies), nested.id, hidden.id]);

      const walk = await api.walkReplies(parent.id, 2);
      expect(walk.ids).toEqual(idsOf(replies));
      expect(walk.pages).toBe(4);
      const all = await api.replies(parent.id, { limit: 100 });
      expect(idsOf(all.body.items)).toEqual(idsOf(replies));
      expect(all.body.nextCursor).toBeNull();
      expect(idsOf((await api.replies(replies[0].id)).body.items)).toEqual([nested.id]);
    });

    it('pages through replies posted at the same instant exactly once', async () => {
      const article = await api.createArticle(mod);
      const parent = await api.comment(user().token, article.id, 'parent');
      const authorId = unique('tied-replier');
      await insertUser(t, authorId);
      const ids = await insertComments(t, {
        articleId: article.id,
        parentId: parent.id,
        authorId,
        createdAt: new Date('2025-03-01T12:00:00.123Z'),
        statuses: Array(11).fill('published'),
      });
      const walk = await api.walkReplies(parent.id, 3);
      noDuplicates(walk.ids);
      expect([...walk.ids].sort()).toEqual([...ids].sort());
    });

    it('answers 404 for the replies of an unknown comment, 400 for a bad limit or cursor', async () => {
      expectProblem(await api.replies('0b7c3a52-2f4e-4d7b-8d8a-6a9b1d2e3f40'), 404, 'NOT_FOUND');
      const article = await api.createArticle(mod);
      const parent = await api.comment(user().token, article.id, 'parent');
      expectProblem(await api.replies(parent.id, { limit: 0 }), 400, 'VALIDATION_FAILED');
      expectProblem(await api.replies(parent.id, { cursor: 'forged' }), 400, 'VALIDATION_FAILED');
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('thread', () => {
    /** An article with `n` top-level comments, oldest first and seconds apart. */
    const articleWith = async (n: number) => {
      const article = await api.createArticle(mod);
      const comments: CommentJson[] = [];
      for (let i = 0; i < n; i++) comments.push(await api.comment(user().token, article.id, `comment ${i}`));
      await spreadInTime(t, idsOf(comments));
      return { article, ids: idsOf(comments) };
    };

    it('lists newest first by default, oldest first on request, top-level comments only', async () => {
      const { article, ids } = await articleWith(3);
      await api.comment(user().token, article.id, 'a reply', ids[0]);
      const byDefault = await api.thread(article.id);
      expectStatus(byDefault, 200);
      expect(idsOf(byDefault.body.items)).toEqual([...ids].reverse());
      expect(byDefault.body.nextCursor).toBeNull();
      expect(idsOf((await api.thread(article.id, { sort: 'newest' })).body.items)).toEqual([...ids].reverse());
      expect(idsOf((await api.thread(article.id, { sort: 'oldest' })).body.items)).toEqual(ids);
    });

    it('pages with limit and nextCursor over every visible top-level comment exactly once', async () => {
      const { article, ids } = await articleWith(11);
      expectStatus(await api.reject(mod, ids[3]), 200);
      const owner = await t.db.query(`SELECT author_id FROM comments WHERE id = $1`, [ids[7]]);
      expectStatus(await api.remove(t.token(owner.rows[0].author_id), ids[7]), 204);
      const visible = ids.filter((_, i) => i !== 3 && i !== 7);

      const oldest = await api.walkThread(article.id, 'oldest', 4);
      expect(oldest.ids).toEqual(visible);
      expect(oldest.pages).toBe(3);
      const newest = await api.walkThread(article.id, 'newest', 4);
      expect(newest.ids).toEqual([...visible].reverse());
      const signedIn = await api.walkThread(article.id, 'newest', 4, user().token);
      expect(signedIn.ids).toEqual([...visible].reverse());
      const exact = await api.walkThread(article.id, 'oldest', 9);
      expect(exact.pages).toBe(1);
    });

    describe('with many comments at the same created_at', () => {
      let articleId: string;
      let tiedVisible: string[];
      let before: string[];
      let after: string[];
      let heldAuthor: string;
      let heldTied: string[];

      beforeAll(async () => {
        articleId = (await api.createArticle(mod)).id;
        const authorId = unique('tie-author');
        heldAuthor = unique('tie-held-author');
        await insertUser(t, authorId);
        await insertUser(t, heldAuthor);
        const instant = new Date('2025-06-01T10:00:00.500Z');
        const at = (ms: number) => new Date(instant.getTime() + ms);
        tiedVisible = [
          ...(await insertComments(t, {
            articleId,
            authorId,
            createdAt: instant,
            statuses: Array(25).fill('published'),
          })),
          ...(await insertComments(t, { articleId, authorId, createdAt: instant, statuses: ['approved', 'approved'] })),
        ];
        await insertComments(t, {
          articleId,
          authorId,
          createdAt: instant,
          statuses: ['rejected', 'rejected', 'rejected'],
        });
        heldTied = await insertComments(t, {
          articleId,
          authorId: heldAuthor,
          createdAt: instant,
          statuses: ['pending', 'pending'],
        });
        before = [
          ...(await insertComments(t, { articleId, authorId, createdAt: at(-2000), statuses: ['published'] })),
          ...(await insertComments(t, { articleId, authorId, createdAt: at(-1), statuses: ['published'] })),
        ];
        after = [
          ...(await insertComments(t, { articleId, authorId, createdAt: at(1), statuses: ['published'] })),
          ...(await insertComments(t, { articleId, authorId, createdAt: at(2000), statuses: ['published'] })),
        ];
      });

      it.each(['newest', 'oldest'] as const)(
        'walks sort=%s with limit=4, each visible comment exactly once',
        async (sort) => {
          const walk = await api.walkThread(articleId, sort, 4);
          noDuplicates(walk.ids);
          expect(walk.ids).toHaveLength(before.length + tiedVisible.length + after.length);
          const [first, last] = sort === 'newest' ? [after, before] : [before, after];
          expect(new Set(walk.ids.slice(0, 2))).toEqual(new Set(first));
          expect(new Set(walk.ids.slice(2, 2 + tiedVisible.length))).toEqual(new Set(tiedVisible));
          expect(new Set(walk.ids.slice(-2))).toEqual(new Set(last));
        },
      );

      it.each(['newest', 'oldest'] as const)('walks sort=%s as the author of held tied comments', async (sort) => {
        const walk = await api.walkThread(articleId, sort, 4, t.token(heldAuthor));
        noDuplicates(walk.ids);
        expect(new Set(walk.ids)).toEqual(new Set([...before, ...tiedVisible, ...heldTied, ...after]));
      });

      it.each([1, 3, 7])('walks with limit=%i without skipping or repeating', async (limit) => {
        for (const sort of ['newest', 'oldest'] as const) {
          const walk = await api.walkThread(articleId, sort, limit);
          noDuplicates(walk.ids);
          expect(new Set(walk.ids)).toEqual(new Set([...before, ...tiedVisible, ...after]));
        }
      });
    });

    it('refuses forged and foreign cursors with 400', async () => {
      const { article } = await articleWith(3);
      const page = await api.thread(article.id, { sort: 'oldest', limit: 1 });
      const oldestCursor: string = page.body.nextCursor;
      expect(typeof oldestCursor).toBe('string');
      const parent = await api.comment(user().token, article.id, 'parent');
      await api.comment(user().token, article.id, 'r1', parent.id);
      await api.comment(user().token, article.id, 'r2', parent.id);
      const repliesCursor: string = (await api.replies(parent.id, { limit: 1 })).body.nextCursor;
      expect(typeof repliesCursor).toBe('string');
      const id = '3f0c5c1e-6a43-4c47-9a59-0a4f3c1e2b7d';

      const forged = [
        'garbage',
        '!!!',
        'x'.repeat(201),
        forgeCursor(['thread:newest', 'not a date', id]),
        forgeCursor(['thread:newest', '2025-01-01T00:00:00.000Z', 'not-a-uuid']),
        forgeCursor(['thread:newest', '2025-01-01T00:00:00.000Z']),
        forgeCursor({ list: 'thread:newest', createdAt: '2025-01-01T00:00:00.000Z', id }),
        forgeCursor(['thread:newest', 12345, id]),
        forgeCursor(['thread:newest', '2025-01-01T00:00:00.000Z', id, 'extra']),
        forgeCursor(['thread:newest', '-271821-04-20T00:00:00.000Z', id]), // valid in JS, before PostgreSQL's range
        forgeCursor(['thread:newest', '', id]),
        forgeCursor(null),
        forgeCursor('thread:newest'),
        oldestCursor, // a cursor of sort=oldest ...
        repliesCursor, // ... and one of another list
      ];
      const answers = await Promise.all(forged.map((cursor) => api.thread(article.id, { sort: 'newest', cursor })));
      expect(answers.map((res, i) => [i, res.status, res.body.code])).toEqual(
        forged.map((_, i) => [i, 400, 'VALIDATION_FAILED']),
      );
      expectStatus(await api.thread(article.id, { sort: 'oldest', cursor: oldestCursor }), 200);
      expectProblem(await api.replies(parent.id, { cursor: oldestCursor }), 400, 'VALIDATION_FAILED');
    });

    it.each([['0'], ['101'], ['abc'], ['-1'], ['1.5'], ['']])('refuses limit=%s with 400', async (limit) => {
      const article = await api.createArticle(mod);
      expectProblem(await api.thread(article.id, { limit }), 400, 'VALIDATION_FAILED');
    });

    it('accepts limit=1 and limit=100, refuses an unknown sort', async () => {
      const { article } = await articleWith(2);
      expect((await api.thread(article.id, { limit: 1 })).body.items).toHaveLength(1);
      expect((await api.thread(article.id, { limit: 100 })).body.items).toHaveLength(2);
      expectProblem(await api.thread(article.id, { sort: 'sideways' }), 400, 'VALIDATION_FAILED');
    });

    it('answers 404 for an unknown article', async () => {
      expectProblem(await api.thread('3f0c5c1e-6a43-4c47-9a59-0a4f3c1e2b7d'), 404, 'NOT_FOUND');
    });

    it.each([
      ['a repeated limit', 'limit=4&limit=5'],
      ['a repeated cursor', 'cursor=a&cursor=b'],
      ['a repeated sort', 'sort=newest&sort=oldest'],
      ['an unknown parameter', 'colour=red'],
      ['a nested parameter', 'limit[a]=1'],
    ])('refuses %s in the query with 400, not 500', async (_label, qs) => {
      const article = await api.createArticle(mod);
      expectProblem(await t.http().get(`/api/articles/${article.id}/comments?${qs}`), 400, 'VALIDATION_FAILED');
    });

    describe('its article block', () => {
      it('shows the unmoderated-comments disclaimer in post mode', async () => {
        const article = await api.createArticle(mod);
        const res = await api.thread(article.id);
        expectStatus(res, 200);
        expect(res.body.article).toEqual(
          expect.objectContaining({
            id: article.id,
            closed: false,
            closedMessage: null,
            disclaimer: { show: true, text: DEFAULT_DISCLAIMER },
          }),
        );
        expect(res.body.items).toEqual([]);
        expect(res.body.nextCursor).toBeNull();
      });

      it('does not show it in pre mode', async () => {
        const article = await preArticle();
        const res = await api.thread(article.id);
        expect(res.body.article.disclaimer).toEqual({ show: false, text: DEFAULT_DISCLAIMER });
      });

      it('says when the article is closed, and with what message', async () => {
        const a1 = await api.createArticle(mod);
        expectStatus(await api.closeArticle(mod, a1.id), 200);
        expect((await api.thread(a1.id)).body.article).toEqual(
          expect.objectContaining({ id: a1.id, closed: true, closedMessage: DEFAULT_CLOSED_MESSAGE }),
        );
        const a2 = await api.createArticle(mod);
        expectStatus(await api.closeArticle(mod, a2.id, 'Closed for the night.'), 200);
        expect((await api.thread(a2.id)).body.article).toEqual(
          expect.objectContaining({ closed: true, closedMessage: 'Closed for the night.' }),
        );
      });
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('pre-moderation', () => {
    it('holds a commenter’s comment, shows it to its author and moderators only, and publishes it on approval', async () => {
      const article = await preArticle();
      const carol = user('carol');
      const other = user('other');

      const posted = await api.post(carol.token, article.id, { body: 'please approve me' });
      expectStatus(posted, 201);
      expect(posted.body.status).toBe('pending');
      expect(posted.body.moderationReasons.length).toBeGreaterThan(0);
      const id = posted.body.id;

      expect(idsOf((await api.thread(article.id)).body.items)).not.toContain(id);
      expect(idsOf((await api.thread(article.id, {}, other.token)).body.items)).not.toContain(id);
      const own = await api.thread(article.id, {}, carol.token);
      expect(idsOf(own.body.items)).toEqual([id]);
      expect(own.body.items[0].status).toBe('pending');

      expectProblem(await api.getComment(id), 404, 'NOT_FOUND');
      expectProblem(await api.getComment(id, other.token), 404, 'NOT_FOUND');
      expect((await api.getComment(id, carol.token)).body).toEqual(expect.objectContaining({ id, status: 'pending' }));
      const forMod = await api.getComment(id, mod);
      expectStatus(forMod, 200);
      expect(forMod.body.status).toBe('pending');
      expect(await visibleCount(article.id)).toBe(0);
      expect((await api.getArticle(article.id, mod)).body.counts).toEqual(
        expect.objectContaining({ visible: 0, pending: 1 }),
      );

      const approved = await api.approve(mod, id);
      expectStatus(approved, 200);
      expect(approved.body.status).toBe('approved');

      const thread = await api.thread(article.id);
      expect(idsOf(thread.body.items)).toEqual([id]);
      expect(thread.body.items[0].status).toBe('approved');
      expect(idsOf((await api.thread(article.id, {}, other.token)).body.items)).toEqual([id]);
      expect((await api.getComment(id)).body.status).toBe('approved');
      expect(await visibleCount(article.id)).toBe(1);
    });

    it('approves moderators’ own comments at once', async () => {
      const article = await preArticle();
      const res = await api.post(mod, article.id, { body: 'from the desk' });
      expectStatus(res, 201);
      expect(res.body.status).toBe('approved');
      expect(idsOf((await api.thread(article.id)).body.items)).toEqual([res.body.id]);
      const byAdmin = await api.post(admin, article.id, { body: 'from the admin' });
      expect(byAdmin.body.status).toBe('approved');
    });

    it('holds replies too: a held reply is seen by its author only and counted once approved', async () => {
      const article = await preArticle();
      const parent = await api.comment(mod, article.id, 'moderator comment');
      const dan = user('dan');
      const reply = await api.comment(dan.token, article.id, 'held reply', parent.id);
      expect(reply.status).toBe('pending');

      expect((await api.replies(parent.id)).body.items).toEqual([]);
      expect((await api.replies(parent.id, {}, user().token)).body.items).toEqual([]);
      expect(idsOf((await api.replies(parent.id, {}, dan.token)).body.items)).toEqual([reply.id]);
      expect((await api.thread(article.id)).body.items[0].replies).toEqual([]);
      expect(idsOf((await api.thread(article.id, {}, dan.token)).body.items[0].replies)).toEqual([reply.id]);
      expect((await api.getComment(parent.id)).body.replyCount).toBe(0);

      expectStatus(await api.approve(mod, reply.id), 200);
      expect(idsOf((await api.replies(parent.id)).body.items)).toEqual([reply.id]);
      expect((await api.getComment(parent.id)).body.replyCount).toBe(1);
      expect(idsOf((await api.thread(article.id)).body.items[0].replies)).toEqual([reply.id]);
    });

    it('holds every new comment of a user on pre-moderation, even in post mode', async () => {
      const article = await api.createArticle(mod);
      const gil = user('gil');
      expectStatus(
        await t
          .http()
          .post(`/api/moderation/users/${gil.id}/premod`)
          .set('Authorization', `Bearer ${mod}`)
          .send({ enabled: true }),
        200,
      );
      const held = await api.comment(gil.token, article.id, 'watched');
      expect(held.status).toBe('pending');
      expect(held.moderationReasons.length).toBeGreaterThan(0);
      expect((await api.thread(article.id)).body.items).toEqual([]);
      expect((await api.comment(user().token, article.id, 'not watched')).status).toBe('published');
    });

    it('hides rejected comments from everyone but moderators', async () => {
      const article = await preArticle();
      const erin = user('erin');
      const c = await api.comment(erin.token, article.id, 'will be rejected');
      const rejected = await api.reject(mod, c.id);
      expectStatus(rejected, 200);
      expect(rejected.body.status).toBe('rejected');
      expect((await api.thread(article.id, {}, erin.token)).body.items).toEqual([]);
      expectProblem(await api.getComment(c.id), 404, 'NOT_FOUND');
      expectStatus(await api.getComment(c.id, mod), 200);
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('editing', () => {
    const revisionsOf = async (id: string) =>
      (
        await t.db.query(`SELECT body FROM comment_revisions WHERE comment_id = $1 ORDER BY created_at, id`, [id])
      ).rows.map((r) => r.body as string);

    it('lets the author edit inside the window and keeps every earlier body', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const c = await api.comment(alice.token, article.id, 'first version');

      const res = await api.edit(alice.token, c.id, '  second version \n');
      expectStatus(res, 200);
      expect(res.body).toEqual(
        expect.objectContaining({
          id: c.id,
          body: 'second version',
          editedAt: expect.stringMatching(ISO_RE),
          status: 'published',
        }),
      );
      expect(await revisionsOf(c.id)).toEqual(['first version']);

      expectStatus(await api.edit(alice.token, c.id, 'third version'), 200);
      expect(await revisionsOf(c.id)).toEqual(['first version', 'second version']);
      const read = await api.getComment(c.id);
      expect(read.body).toEqual(
        expect.objectContaining({ body: 'third version', editedAt: expect.stringMatching(ISO_RE) }),
      );
      expect((await t.db.query(`SELECT body FROM comments WHERE id = $1`, [c.id])).rows[0].body).toBe('third version');
    });

    it('moderates an approved comment again: back to published in post mode, and logged', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const c = await api.comment(alice.token, article.id, 'good comment');
      expect((await api.approve(mod, c.id)).body.status).toBe('approved');

      const edited = await api.edit(alice.token, c.id, 'good comment, changed');
      expectStatus(edited, 200);
      expect(edited.body.status).toBe('published');
      expect((await api.getComment(c.id)).body.status).toBe('published');

      const log = await api.log(mod, { commentId: c.id });
      expectStatus(log, 200);
      // The author's edit, then the system's decision to review it again: one entry per status change.
      const [remoderation, edit] = log.body.items;
      expect(edit).toEqual(
        expect.objectContaining({
          action: 'edit',
          actor: expect.objectContaining({ id: alice.id }),
          targetType: 'comment',
          targetId: c.id,
        }),
      );
      expect(remoderation).toEqual(
        expect.objectContaining({
          action: 'publish',
          actor: null,
          targetId: c.id,
          fromStatus: 'approved',
          toStatus: 'published',
        }),
      );
      const counts = (await api.getArticle(article.id, mod)).body.counts;
      expect(counts).toEqual(expect.objectContaining({ visible: 1, published: 1, approved: 0 }));
    });

    it('holds an edited comment again in pre mode', async () => {
      const article = await preArticle();
      const alice = user('alice');
      const c = await api.comment(alice.token, article.id, 'approved soon');
      expectStatus(await api.approve(mod, c.id), 200);
      const edited = await api.edit(alice.token, c.id, 'sneaky change');
      expect(edited.body.status).toBe('pending');
      expect((await api.thread(article.id)).body.items).toEqual([]);
      expect(idsOf((await api.thread(article.id, {}, alice.token)).body.items)).toEqual([c.id]);
    });

    it('refuses anyone but the author, moderators included: 403', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const c = await api.comment(alice.token, article.id, 'mine');
      expectProblem(await api.edit(user('bob').token, c.id, 'hijacked'), 403, 'FORBIDDEN');
      expectProblem(await api.edit(mod, c.id, 'moderated text'), 403, 'FORBIDDEN');
      expectProblem(await api.edit(admin, c.id, 'admin text'), 403, 'FORBIDDEN');
      expectProblem(await api.edit(undefined, c.id, 'anon'), 401, 'UNAUTHENTICATED');
      expect((await api.getComment(c.id)).body).toEqual(expect.objectContaining({ body: 'mine', editedAt: null }));
      expect(await revisionsOf(c.id)).toEqual([]);
    });

    it('refuses edits after the edit window (600 s by default): 409', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const fresh = await api.comment(alice.token, article.id, 'still editable');
      await ageComment(t, fresh.id, 500);
      expectStatus(await api.edit(alice.token, fresh.id, 'edited in time'), 200);

      const old = await api.comment(alice.token, article.id, 'too old');
      await ageComment(t, old.id, 601);
      expectProblem(await api.edit(alice.token, old.id, 'too late'), 409, 'CONFLICT');
      expect((await api.getComment(old.id)).body.body).toBe('too old');
      expect(await revisionsOf(old.id)).toEqual([]);
    });

    it('applies an edit window changed by an admin', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const c = await api.comment(alice.token, article.id, 'short window');
      await ageComment(t, c.id, 1);
      await api.withSettings(admin, { editWindowSeconds: 0 }, { editWindowSeconds: 600 }, async () => {
        expectProblem(await api.edit(alice.token, c.id, 'too late'), 409, 'CONFLICT');
      });
      expectStatus(await api.edit(alice.token, c.id, 'back in the window'), 200);
    });

    it('refuses edits, posts and replies on a closed article with ARTICLE_CLOSED; reading goes on', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const c = await api.comment(alice.token, article.id, 'before closing');
      expectStatus(await api.closeArticle(mod, article.id, 'Closed for the night.'), 200);

      const edit = await api.edit(alice.token, c.id, 'after closing');
      expectProblem(edit, 409, 'ARTICLE_CLOSED');
      expect(edit.body.detail).toContain('Closed for the night.');
      expectProblem(await api.post(alice.token, article.id, { body: 'new' }), 409, 'ARTICLE_CLOSED');
      expectProblem(await api.post(user().token, article.id, { body: 'reply', parentId: c.id }), 409, 'ARTICLE_CLOSED');
      expect(idsOf((await api.thread(article.id)).body.items)).toEqual([c.id]);
      expect((await api.getComment(c.id)).body.body).toBe('before closing');
    });

    it('refuses unknown fields in an edit with 400', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const c = await api.comment(alice.token, article.id, 'original');
      const res = await t
        .http()
        .patch(`/api/comments/${c.id}`)
        .set('Authorization', `Bearer ${alice.token}`)
        .send({ body: 'x', status: 'approved' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect((await api.getComment(c.id)).body).toEqual(
        expect.objectContaining({ body: 'original', status: 'published' }),
      );
    });

    it.each([
      ['empty', '   '],
      ['with a NUL character', 'a\u0000b'],
      ['with a lone surrogate', '\ud800'],
      ['not a string', 7],
    ])('refuses an edited body that is %s with 400', async (_label, body) => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const c = await api.comment(alice.token, article.id, 'original');
      expectProblem(await api.edit(alice.token, c.id, body), 400, 'VALIDATION_FAILED');
      expect((await api.getComment(c.id)).body.body).toBe('original');
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('deleting', () => {
    it('lets the author delete: 204, gone from the thread, counts.visible goes down', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const keep = await api.comment(user().token, article.id, 'stays');
      const gone = await api.comment(alice.token, article.id, 'goes');
      expect(await visibleCount(article.id)).toBe(2);

      const res = await api.remove(alice.token, gone.id);
      expectStatus(res, 204);
      expect(res.text).toBe('');
      expect(idsOf((await api.thread(article.id)).body.items)).toEqual([keep.id]);
      expect(idsOf((await api.thread(article.id, {}, alice.token)).body.items)).toEqual([keep.id]);
      expectProblem(await api.getComment(gone.id), 404, 'NOT_FOUND');
      expect(await visibleCount(article.id)).toBe(1);
    });

    it('keeps a deleted comment with replies as a tombstone whose replies stay reachable', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const bob = user('bob');
      const carol = user('carol');
      const parent = await api.comment(alice.token, article.id, 'secret parent text');
      const r1 = await api.comment(bob.token, article.id, 'reply one', parent.id);
      const r2 = await api.comment(carol.token, article.id, 'reply two', parent.id);
      await spreadInTime(t, [parent.id, r1.id, r2.id]);
      expectStatus(await api.remove(alice.token, parent.id), 204);

      for (const viewer of [undefined, bob.token, alice.token]) {
        const thread = await api.thread(article.id, {}, viewer);
        expect(thread.body.items).toHaveLength(1);
        const tomb = thread.body.items[0];
        expect(tomb).toEqual(
          expect.objectContaining({ id: parent.id, deleted: true, body: null, author: null, replyCount: 2 }),
        );
        expect(idsOf(tomb.replies)).toEqual([r1.id, r2.id]);
      }
      expect(JSON.stringify((await api.thread(article.id)).body)).not.toContain('secret parent text');
      expect(idsOf((await api.replies(parent.id)).body.items)).toEqual([r1.id, r2.id]);
      expect((await api.getComment(r1.id)).body.body).toBe('reply one');
      const direct = await api.getComment(parent.id);
      if (direct.status === 200)
        expect(direct.body).toEqual(expect.objectContaining({ deleted: true, body: null, author: null }));
      else expectProblem(direct, 404, 'NOT_FOUND');
      expect(await visibleCount(article.id)).toBe(2);

      // Once its last reply is gone, so is the tombstone.
      expectStatus(await api.remove(bob.token, r1.id), 204);
      expect((await api.thread(article.id)).body.items[0].replyCount).toBe(1);
      expectStatus(await api.remove(carol.token, r2.id), 204);
      expect((await api.thread(article.id)).body.items).toEqual([]);
      expect(await visibleCount(article.id)).toBe(0);
    });

    it('keeps deleted ancestors as tombstones while a live reply hangs below them', async () => {
      // API.md: "in threads it stays as a tombstone while it has replies". R has a reply (G), so R stays;
      // P then has a reply (the tombstone R), so P stays, and G can still be reached from the thread.
      const article = await api.createArticle(mod);
      const [alice, bob, carol] = [user('alice'), user('bob'), user('carol')];
      const p = await api.comment(alice.token, article.id, 'P');
      const r = await api.comment(bob.token, article.id, 'R', p.id);
      const g = await api.comment(carol.token, article.id, 'G', r.id);
      expectStatus(await api.remove(bob.token, r.id), 204);
      expectStatus(await api.remove(alice.token, p.id), 204);

      const thread = await api.thread(article.id);
      expect(idsOf(thread.body.items)).toEqual([p.id]);
      expect(thread.body.items[0]).toEqual(expect.objectContaining({ deleted: true, body: null, author: null }));
      expect(idsOf(thread.body.items[0].replies)).toEqual([r.id]);
      expect(idsOf((await api.replies(p.id)).body.items)).toEqual([r.id]);
      expect(idsOf((await api.replies(r.id)).body.items)).toEqual([g.id]);
    });

    it('lets only one of several parallel deletes of a comment succeed, and counts it once', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const parent = await api.comment(user().token, article.id, 'parent');
      const c = await api.comment(alice.token, article.id, 'deleted by many', parent.id);
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => api.remove(alice.token, c.id)),
        ...Array.from({ length: 4 }, () => api.remove(mod, c.id)),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([204, 404, 404, 404, 404, 404, 404, 404]);
      expect(await visibleCount(article.id)).toBe(1);
      expect((await api.getComment(parent.id)).body.replyCount).toBe(0);
    });

    it('refuses another commenter (403), lets a moderator delete (204); a second delete is 404', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const c = await api.comment(alice.token, article.id, 'contested');
      expectProblem(await api.remove(user('bob').token, c.id), 403, 'FORBIDDEN');
      expectProblem(await api.remove(undefined, c.id), 401, 'UNAUTHENTICATED');
      expect(await visibleCount(article.id)).toBe(1);

      expectStatus(await api.remove(mod, c.id), 204);
      expect(await visibleCount(article.id)).toBe(0);
      expectProblem(await api.remove(mod, c.id), 404, 'NOT_FOUND');
      expectProblem(await api.remove(alice.token, c.id), 404, 'NOT_FOUND');

      const own = await api.comment(alice.token, article.id, 'mine to delete');
      expectStatus(await api.remove(alice.token, own.id), 204);
      expectProblem(await api.remove(alice.token, own.id), 404, 'NOT_FOUND');
      expectProblem(await api.remove(alice.token, '0b7c3a52-2f4e-4d7b-8d8a-6a9b1d2e3f40'), 404, 'NOT_FOUND');
      const log = await api.log(mod, { commentId: c.id });
      expect(log.body.items.map((e: { action: string }) => e.action)).toContain('delete');
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('banned users', () => {
    it('refuses a banned user with 403 USER_BANNED and lets them post again after unban', async () => {
      const article = await api.createArticle(mod);
      const dave = user('dave');
      await api.comment(dave.token, article.id, 'before the ban');
      expectProblem(await api.ban(user().token, dave.id, { reason: 'spam' }), 403, 'FORBIDDEN');

      const ban = await api.ban(mod, dave.id, { reason: 'spam' });
      expectStatus(ban, 200);
      const refused = await api.post(dave.token, article.id, { body: 'while banned' });
      expectProblem(refused, 403, 'USER_BANNED');
      expect(await commentsBy(dave.id)).toBe(1);

      expectStatus(await api.unban(mod, dave.id), 200);
      expectStatus(await api.post(dave.token, article.id, { body: 'after the unban' }), 201);
    });

    it('bans a user who was never seen before', async () => {
      const article = await api.createArticle(mod);
      const newcomer = user('newcomer');
      expectStatus(await api.ban(mod, newcomer.id, { reason: 'known troll' }), 200);
      expectProblem(await api.post(newcomer.token, article.id, { body: 'hi' }), 403, 'USER_BANNED');
    });

    it('refuses a ban that ends in the past (400) and enforces one that ends in the future', async () => {
      const article = await api.createArticle(mod);
      const eve = user('eve');
      const past = await api.ban(mod, eve.id, { reason: 'spam', until: new Date(Date.now() - 60_000).toISOString() });
      expectProblem(past, 400, 'VALIDATION_FAILED');
      expectStatus(await api.post(eve.token, article.id, { body: 'not banned' }), 201);

      expectProblem(await api.ban(mod, eve.id, { reason: 'spam', until: 'tomorrow-ish' }), 400, 'VALIDATION_FAILED');
      expectProblem(await api.ban(mod, eve.id, {}), 400, 'VALIDATION_FAILED');

      const future = await api.ban(mod, eve.id, {
        reason: 'cool down',
        until: new Date(Date.now() + 3600_000).toISOString(),
      });
      expectStatus(future, 200);
      expectProblem(await api.post(eve.token, article.id, { body: 'banned now' }), 403, 'USER_BANNED');

      // Once its end has passed, the ban no longer applies.
      await t.db.query(`UPDATE users SET ban_until = now() - interval '1 second' WHERE id = $1`, [eve.id]);
      expectStatus(await api.post(eve.token, article.id, { body: 'the ban is over' }), 201);
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('Idempotency-Key', () => {
    it('answers a retry with the first response and creates one comment', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const key = unique('key');
      const first = await api.post(alice.token, article.id, { body: 'only once' }, key);
      const second = await api.post(alice.token, article.id, { body: 'only once' }, key);
      expectStatus(first, 201);
      expect(second.status).toBeGreaterThanOrEqual(200);
      expect(second.status).toBeLessThan(300);
      expect(second.body.id).toBe(first.body.id);
      expect(second.body).toEqual(first.body);
      expect(await commentsBy(alice.id)).toBe(1);
      expect(await visibleCount(article.id)).toBe(1);
    });

    it('creates exactly one comment for 20 parallel requests with one key', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      const key = unique('parallel-key');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => api.post(alice.token, article.id, { body: 'double-clicked' }, key)),
      );
      for (const res of responses) {
        if (res.status < 200 || res.status >= 300) throw new Error(`got ${res.status}: ${JSON.stringify(res.body)}`);
      }
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(await commentsBy(alice.id)).toBe(1);
      expect(await visibleCount(article.id)).toBe(1);
    });

    it('keeps keys per user: the same key from another user creates another comment', async () => {
      const article = await api.createArticle(mod);
      const key = unique('shared-key');
      const a = await api.post(user().token, article.id, { body: 'same words' }, key);
      const b = await api.post(user().token, article.id, { body: 'same words' }, key);
      expectStatus(a, 201);
      expectStatus(b, 201);
      expect(b.body.id).not.toBe(a.body.id);
      expect(await commentsOn(article.id)).toBe(2);
    });

    it('posts without a key twice as two comments', async () => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      await api.comment(alice.token, article.id, 'once');
      await api.comment(alice.token, article.id, 'and again');
      expect(await commentsBy(alice.id)).toBe(2);
    });

    it.each([
      ['300 characters', 'k'.repeat(300)],
      ['a space', 'has space'],
      ['a non-ASCII character', 'caf\u00e9'],
    ])('refuses a key with %s: 400', async (_label, key) => {
      const article = await api.createArticle(mod);
      const alice = user('alice');
      expectProblem(await api.post(alice.token, article.id, { body: 'hi' }, key), 400, 'VALIDATION_FAILED');
      expect(await commentsBy(alice.id)).toBe(0);
    });

    it('accepts a key of 200 visible ASCII characters', async () => {
      const article = await api.createArticle(mod);
      expectStatus(await api.post(user().token, article.id, { body: 'hi' }, 'k'.repeat(199) + '~'), 201);
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('stored counts', () => {
    const expectCountsMatchRecount = async (articleIds: string[]) => {
      const articles = await storedAndRecountedArticleCounts(t, articleIds);
      expect(articles.stored).toEqual(articles.recounted);
      const replies = await storedAndRecountedReplyCounts(t, articleIds);
      expect(replies.stored).toEqual(replies.recounted);
      for (const id of articleIds) {
        const asMod = await api.getArticle(id, mod);
        expect(asMod.body.counts).toEqual(articles.recounted[id]);
        expect((await api.getArticle(id)).body.counts).toEqual({ visible: articles.recounted[id].visible });
      }
    };

    it('equal a recount after posts, replies, approvals, rejections, edits, reports and deletions', async () => {
      const [alice, bob, carol, dave, erin, frank] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((n) =>
        user(n),
      );
      const a = await api.createArticle(mod);
      const b = await preArticle();
      const ok = (res: Response, status = 200) => expectStatus(res, status);

      // Article A, post mode.
      const c1 = await api.comment(alice.token, a.id, 'c1');
      const c2 = await api.comment(bob.token, a.id, 'c2');
      const c3 = await api.comment(carol.token, a.id, 'c3');
      const r1 = await api.comment(bob.token, a.id, 'r1 on c1', c1.id);
      const r2 = await api.comment(carol.token, a.id, 'r2 on c1', c1.id);
      const r3 = await api.comment(alice.token, a.id, 'r3 on r1', r1.id);
      const m1 = await api.comment(mod, a.id, 'm1 by a moderator');
      const r4 = await api.comment(dave.token, a.id, 'r4 on c2', c2.id);
      ok(await api.approve(mod, c2.id));
      ok(await api.reject(mod, c3.id));
      ok(await api.reject(mod, r1.id)); // a rejected reply that has a reply of its own
      ok(await api.report(bob.token, c1.id, 'abuse'), 201);
      ok(await api.report(carol.token, c1.id, 'spam'), 201);
      ok(await api.report(dave.token, c1.id, 'off_topic'), 201);
      ok(await api.report(carol.token, c2.id), 201);
      ok(await api.approve(mod, c2.id)); // resolves the report on an approved comment
      ok(await api.report(dave.token, r2.id), 201);
      ok(await api.remove(carol.token, r2.id), 204); // a reported reply, deleted
      ok(await api.report(dave.token, r3.id), 201);
      ok(await api.edit(alice.token, r3.id, 'r3, edited')); // reported, edited: still reported
      ok(await api.edit(bob.token, c2.id, 'c2, edited')); // approved -> published
      ok(await api.report(alice.token, r4.id), 201);
      ok(await api.reject(mod, r4.id)); // reported and rejected
      ok(await api.remove(alice.token, c1.id), 204); // reported, with a rejected reply: deleted
      ok(await api.edit(mod, m1.id, 'm1, edited'));
      await expectCountsMatchRecount([a.id]);

      // Article B, pre mode.
      const e1 = await api.comment(erin.token, b.id, 'e1');
      const f1 = await api.comment(frank.token, b.id, 'f1');
      const bm = await api.comment(mod, b.id, 'bm by a moderator');
      const e2 = await api.comment(erin.token, b.id, 'e2 on bm', bm.id);
      const f2 = await api.comment(frank.token, b.id, 'f2 on bm', bm.id);
      ok(await api.approve(mod, e1.id));
      ok(await api.reject(mod, f1.id));
      ok(await api.approve(mod, e2.id));
      ok(await api.remove(frank.token, f2.id), 204); // held, deleted by its author
      ok(await api.report(frank.token, e1.id), 201);
      ok(await api.report(frank.token, bm.id), 201);
      ok(await api.report(frank.token, e2.id), 201);
      ok(await api.edit(erin.token, e2.id, 'e2, edited')); // reported, approved -> pending again
      ok(await api.remove(mod, e1.id), 204); // reported, approved, deleted by a moderator
      ok(await api.reject(mod, bm.id, { expectedStatus: 'approved' })); // with replies, reported
      await expectCountsMatchRecount([a.id, b.id]);
    });

    it('equal a recount after parallel posts, replies, reports and deletions', async () => {
      const article = await api.createArticle(mod);
      const parent = await api.comment(mod, article.id, 'parent');
      const people = Array.from({ length: 12 }, (_, i) => user(`crowd${i}`));
      const replies = await Promise.all(
        people.map((p) => api.post(p.token, article.id, { body: 'me too', parentId: parent.id })),
      );
      replies.forEach((r) => expectStatus(r, 201));
      const tops = await Promise.all(people.map((p) => api.post(p.token, article.id, { body: 'top' })));
      tops.forEach((r) => expectStatus(r, 201));
      // The third report (the default threshold) withholds the comment: later reporters no longer see it.
      const reports = await Promise.all(people.slice(1).map((p) => api.report(p.token, tops[0].body.id)));
      expect(reports.map((r) => r.status).sort()).toEqual([
        ...Array(3).fill(201),
        ...Array(reports.length - 3).fill(404),
      ]);
      const deletions = await Promise.all(people.slice(0, 6).map((p, i) => api.remove(p.token, replies[i].body.id)));
      deletions.forEach((r) => expectStatus(r, 204));
      const decisions = await Promise.all([
        api.reject(mod, tops[0].body.id),
        api.approve(mod, tops[1].body.id),
        api.reject(mod, replies[6].body.id),
        api.approve(mod, replies[7].body.id),
      ]);
      decisions.forEach((r) => expectStatus(r, 200));
      expect((await api.getComment(parent.id)).body.replyCount).toBe(5);
      await expectCountsMatchRecount([article.id]);
    });
  });
});
