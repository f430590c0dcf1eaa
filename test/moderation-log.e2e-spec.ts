import {
  call,
  createArticle,
  decide,
  expectProblem,
  expectStatus,
  logEntries,
  postComment,
  uid,
} from './support/moderation-helpers';
import { createTestApp, TestApp } from './support/test-app';

/** The log as a person reads it: words, titles and names instead of ids, and choosing by name. */
describe('moderation log, readable (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("names a comment by its words and its article's title, an article by its title, a user by their name", async () => {
    const modId = uid('mod');
    const mod = t.token(modId, 'moderator', { name: 'Morgan Reed' });
    const article = await createArticle(t, mod, { title: 'Harbour bridge to close for a year' });
    const readerId = uid('reader');
    const reader = t.token(readerId, 'commenter', { name: 'Rita Lowe' });
    const long = `${'Word '.repeat(40)}and the end`;
    const comment = await postComment(t, reader, article.id, long);
    expectStatus(await decide(t, mod, comment.id, 'reject', { reason: 'off topic' }), 200);
    expectStatus(await call(t, 'post', `/api/moderation/users/${readerId}/ban`, mod, { reason: 'spam' }), 200);

    const [ban, reject, created] = await logEntries(t, mod, { actorId: modId });
    expect(created).toMatchObject({
      action: 'create_article',
      targetType: 'article',
      articleTitle: 'Harbour bridge to close for a year',
      excerpt: null,
      targetName: null,
    });
    expect(reject).toMatchObject({
      action: 'reject',
      targetId: comment.id,
      articleId: article.id,
      articleTitle: 'Harbour bridge to close for a year',
      excerpt: long.slice(0, 140),
      targetName: null,
    });
    expect(ban).toMatchObject({ action: 'ban', targetId: readerId, targetName: 'Rita Lowe', articleTitle: null });

    // A deleted comment is not quoted any more; its article still names it.
    expectStatus(await call(t, 'delete', `/api/comments/${comment.id}`, reader), 204);
    const [deleted, ...earlier] = await logEntries(t, mod, { commentId: comment.id });
    expect(deleted).toMatchObject({ action: 'delete', excerpt: null, articleTitle: article.title });
    expect(earlier.map((e) => e.excerpt)).toEqual(earlier.map(() => null));
  });

  it('keeps a page of entries whose targets are gone or not ids', async () => {
    const mod = t.token(uid('mod'), 'moderator');
    await t.db.query(
      `INSERT INTO moderation_log (action, actor_id, target_type, target_id) VALUES
         ('approve', 'ghost-mod', 'comment', 'not-a-uuid'),
         ('ban', 'ghost-mod', 'user', 'nobody-here'),
         ('close', 'ghost-mod', 'article', '00000000-0000-4000-8000-000000000000')`,
    );
    const entries = await logEntries(t, mod, { actorId: 'ghost-mod' });
    expect(entries.map((e) => [e.action, e.excerpt, e.articleTitle, e.targetName, e.actor])).toEqual([
      ['close', null, null, null, { id: 'ghost-mod', name: null }],
      ['ban', null, null, null, { id: 'ghost-mod', name: null }],
      ['approve', null, null, null, { id: 'ghost-mod', name: null }],
    ]);
  });

  it('lists who has moderated, by name, and not readers who only edited or deleted their own comments', async () => {
    const modId = uid('mod');
    const mod = t.token(modId, 'moderator', { name: 'Zelda Quinn' });
    const article = await createArticle(t, mod);
    const readerId = uid('reader');
    const reader = t.token(readerId, 'commenter');
    const comment = await postComment(t, reader, article.id, 'first words');
    expectStatus(await call(t, 'patch', `/api/comments/${comment.id}`, reader, { body: 'second words' }), 200);
    expectStatus(await call(t, 'delete', `/api/comments/${comment.id}`, reader), 204);

    const { items } = expectStatus(await call(t, 'get', '/api/moderation/log/moderators', mod), 200);
    expect(items).toContainEqual({ id: modId, name: 'Zelda Quinn' });
    expect(items.map((p: { id: string }) => p.id)).not.toContain(readerId);
    // Named first; those whose names were erased after.
    const named = items.map((p: { name: string | null }) => p.name !== null);
    expect(named).toEqual([...named].sort((a, b) => Number(b) - Number(a)));
  });

  it('finds users by a fragment of their name or by id, for the user filter', async () => {
    const mod = t.token(uid('mod'), 'moderator');
    const article = await createArticle(t, mod);
    const id = uid('reader');
    const tag = uid('Pemberton').replace('-', '');
    await postComment(t, t.token(id, 'commenter', { name: `Ada ${tag}` }), article.id, 'hello');

    const byName = expectStatus(await call(t, 'get', `/api/moderation/log/users?q=${tag.slice(2, 12)}`, mod), 200);
    expect(byName.items).toEqual([{ id, name: `Ada ${tag}` }]);
    const byId = expectStatus(await call(t, 'get', `/api/moderation/log/users?q=${id}`, mod), 200);
    expect(byId.items[0]).toEqual({ id, name: `Ada ${tag}` });
    // Two characters find nothing by name (too many), and LIKE's wildcards are only characters.
    expect(expectStatus(await call(t, 'get', '/api/moderation/log/users?q=Ad', mod), 200).items).toEqual([]);
    expect(expectStatus(await call(t, 'get', '/api/moderation/log/users?q=%25%25%25', mod), 200).items).toEqual([]);

    expectProblem(await call(t, 'get', '/api/moderation/log/users', mod), 400, 'VALIDATION_FAILED');
    expectProblem(await call(t, 'get', '/api/moderation/log/users?q=', mod), 400, 'VALIDATION_FAILED');
    expectProblem(await call(t, 'get', '/api/moderation/log/users?q=ab', t.token(uid('c'))), 403, 'FORBIDDEN');
    expectProblem(await call(t, 'get', '/api/moderation/log/moderators', t.token(uid('c'))), 403, 'FORBIDDEN');
  });
});
