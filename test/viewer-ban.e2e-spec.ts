import { call, createArticle, expectProblem, expectStatus, uid } from './support/moderation-helpers';
import { createTestApp, TestApp } from './support/test-app';

/** GET /api/me: the signed-in reader learns of their own ban before writing, and only what concerns them. */
describe('the viewer and their ban', () => {
  let t: TestApp;
  let mod: string;
  const me = async (token: string) => expectStatus(await call(t, 'get', '/api/me', token), 200);

  beforeAll(async () => {
    t = await createTestApp();
    mod = t.token('mod-viewer', 'moderator');
  });
  afterAll(() => t.close());

  it('needs a signed-in reader', async () => {
    expectProblem(await call(t, 'get', '/api/me'), 401, 'UNAUTHENTICATED');
  });

  it('a reader never seen before is not banned', async () => {
    const id = uid('new');
    expect(await me(t.token(id, 'commenter', { name: 'Newcomer' }))).toEqual({
      id,
      name: 'Newcomer',
      ban: { banned: false, until: null },
    });
  });

  it('a ban shows with its end but not its reason; lifted, it is gone', async () => {
    const id = uid('reader');
    const token = t.token(id);
    const article = await createArticle(t, mod);
    expectStatus(await call(t, 'post', `/api/articles/${article.id}/comments`, token, { body: 'hello' }), 201);
    const until = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expectStatus(
      await call(t, 'post', `/api/moderation/users/${id}/ban`, mod, { reason: 'secret reason', until }),
      200,
    );
    const banned = await me(token);
    expect(banned.ban).toEqual({ banned: true, until });
    expect(JSON.stringify(banned)).not.toContain('secret reason');

    expectStatus(await call(t, 'post', `/api/moderation/users/${id}/unban`, mod, {}), 200);
    expect((await me(token)).ban).toEqual({ banned: false, until: null });
  });

  it('a ban until unbanned has no end; one that ran out is no ban', async () => {
    const id = uid('reader');
    const token = t.token(id);
    expectStatus(await call(t, 'post', `/api/moderation/users/${id}/ban`, mod, { reason: 'for good' }), 200);
    expect((await me(token)).ban).toEqual({ banned: true, until: null });

    await t.db.query(`UPDATE users SET ban_until = now() - interval '1 minute' WHERE id = $1`, [id]);
    expect((await me(token)).ban).toEqual({ banned: false, until: null });
  });
});
