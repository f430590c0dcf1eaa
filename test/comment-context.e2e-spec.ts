import { Api, expectProblem, expectStatus, unique } from './support/comments-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * `GET /api/comments/:id/context`: what a link to one comment opens. A viewer gets the comment with
 * the comments it answers only when the thread reads would have shown it to them, parents included.
 */
describe('a comment in its context', () => {
  let t: TestApp;
  let api: Api;
  let mod: string;

  beforeAll(async () => {
    t = await createTestApp();
    api = new Api(t);
    mod = t.token('context-desk', 'moderator');
  });
  afterAll(() => t.close());

  const context = (id: string, token?: string) => {
    const req = t.http().get(`/api/comments/${id}/context`);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('gives a reply deep down with its chain of parents, top-level first, and its thread header', async () => {
    const article = await api.createArticle(mod);
    const reader = t.token(unique('reader'));
    const root = await api.comment(reader, article.id, 'the top-level comment');
    const middle = await api.comment(reader, article.id, 'a reply', root.id);
    const deep = await api.comment(reader, article.id, 'a reply to the reply', middle.id);

    const body = expectStatus(await context(deep.id), 200);
    expect(body.comment).toMatchObject({ id: deep.id, parentId: middle.id, body: 'a reply to the reply' });
    expect(body.ancestors.map((c: { id: string }) => c.id)).toEqual([root.id, middle.id]);
    expect(body.ancestors[0]).toMatchObject({ body: 'the top-level comment', replyCount: 1 });
    const thread = expectStatus(await api.thread(article.id), 200);
    expect(body.article).toEqual(thread.article);
    // The same comment, field for field, as the single read gives it.
    expect(body.comment).toEqual(expectStatus(await api.getComment(deep.id), 200));

    const top = expectStatus(await context(root.id), 200);
    expect(top.ancestors).toEqual([]);
    expect(top.comment.id).toBe(root.id);
  });

  it('hides a held comment from everyone but its author and moderators', async () => {
    const article = await api.createArticle(mod, { moderationMode: 'pre' });
    const author = unique('author');
    const held = await api.comment(t.token(author), article.id, 'waiting for a moderator');
    expect(held.status).toBe('pending');

    expectProblem(await context(held.id), 404, 'NOT_FOUND');
    expectProblem(await context(held.id, t.token(unique('someone-else'))), 404, 'NOT_FOUND');
    expect(expectStatus(await context(held.id, t.token(author)), 200).comment).toMatchObject({ status: 'pending' });
    expect(expectStatus(await context(held.id, mod), 200).comment.id).toBe(held.id);
  });

  it('hides a reply whose parent was rejected, and a rejected comment, from readers', async () => {
    const article = await api.createArticle(mod);
    const reader = t.token(unique('reader'));
    const parent = await api.comment(reader, article.id, 'a comment that will be rejected');
    const reply = await api.comment(reader, article.id, 'an innocent reply', parent.id);
    expectStatus(await context(reply.id), 200);

    expectStatus(await api.reject(mod, parent.id), 200);
    expectProblem(await context(parent.id), 404, 'NOT_FOUND');
    expectProblem(await context(reply.id), 404, 'NOT_FOUND');
    expect(expectStatus(await context(reply.id, mod), 200).ancestors[0]).toMatchObject({
      id: parent.id,
      status: 'rejected',
    });
  });

  it('keeps a deleted parent with replies as a tombstone, and hides a deleted comment without any', async () => {
    const article = await api.createArticle(mod);
    const author = t.token(unique('author'));
    const parent = await api.comment(author, article.id, 'soon deleted');
    const reply = await api.comment(t.token(unique('other')), article.id, 'still here', parent.id);
    const lonely = await api.comment(author, article.id, 'deleted with no replies');
    expectStatus(await api.remove(author, parent.id), 204);
    expectStatus(await api.remove(author, lonely.id), 204);

    const body = expectStatus(await context(reply.id), 200);
    expect(body.ancestors[0]).toMatchObject({ id: parent.id, deleted: true, body: null, author: null });
    expectStatus(await context(parent.id), 200);
    expectProblem(await context(lonely.id), 404, 'NOT_FOUND');
    expectProblem(await context(lonely.id, author), 404, 'NOT_FOUND');
  });

  it('says not found for an unknown comment, and refuses what is not a comment id', async () => {
    expectProblem(await context('6f1c1f8e-2a8e-4f58-9d1e-6f7d7f1b2c3d'), 404, 'NOT_FOUND');
    expectProblem(await context('not-a-uuid'), 400, 'VALIDATION_FAILED');
  });
});
