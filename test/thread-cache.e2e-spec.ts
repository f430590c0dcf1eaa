import { until } from './support/expect';
import { Api } from './support/comments-helpers';
import { createTestApp, TestApp } from './support/test-app';

describe('thread caching and ETags', () => {
  let a: TestApp;
  let b: TestApp;
  const mod = () => a.token('mod-cache', 'moderator');
  let seq = 0;

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({}, a.databaseUrl);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const article = async () => (await new Api(a).createArticle(mod())).id;
  const post = async (app: TestApp, articleId: string, user = `reader-${++seq}`, extra: object = {}) => {
    const res = await app
      .http()
      .post(`/api/articles/${articleId}/comments`)
      .set('Authorization', `Bearer ${app.token(user)}`)
      .send({ body: `comment ${++seq}`, ...extra });
    expect(res.status).toBe(201);
    return res.body;
  };
  const read = (app: TestApp, path: string, etag?: string, token?: string) => {
    const req = app.http().get(path);
    if (etag) req.set('If-None-Match', etag);
    if (token) req.set('Authorization', `Bearer ${token}`);
    return req;
  };

  it('answers 304 while the thread is unchanged, and the new page once it changes', async () => {
    const id = await article();
    await post(a, id);
    const first = await read(a, `/api/articles/${id}/comments`);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await read(a, `/api/articles/${id}/comments`, first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');

    const added = await post(a, id);
    const changed = await read(a, `/api/articles/${id}/comments`, first.headers.etag);
    expect(changed.status).toBe(200);
    expect(changed.body.items[0].id).toBe(added.id);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('sees every kind of change: moderation, edits, deletions, closing, a closeAt passing', async () => {
    const id = await article();
    const author = `author-${++seq}`;
    const c = await post(a, id, author);
    let etag = (await read(a, `/api/articles/${id}/comments`)).headers.etag;
    const changes: [string, () => Promise<unknown>][] = [
      [
        'edit',
        () =>
          a
            .http()
            .patch(`/api/comments/${c.id}`)
            .set('Authorization', `Bearer ${a.token(author)}`)
            .send({ body: 'edited text' })
            .expect(200),
      ],
      [
        'approve',
        () =>
          a
            .http()
            .post(`/api/moderation/comments/${c.id}/approve`)
            .set('Authorization', `Bearer ${mod()}`)
            .send({})
            .expect(200),
      ],
      [
        'disclaimer',
        () =>
          a
            .http()
            .patch(`/api/articles/${id}`)
            .set('Authorization', `Bearer ${mod()}`)
            .send({ disclaimer: { text: 'Read with care.' } })
            .expect(200),
      ],
      [
        'close',
        () => a.http().post(`/api/articles/${id}/close`).set('Authorization', `Bearer ${mod()}`).send({}).expect(200),
      ],
      [
        'reopen',
        () => a.http().post(`/api/articles/${id}/reopen`).set('Authorization', `Bearer ${mod()}`).send({}).expect(200),
      ],
      [
        'closeAt passing',
        () => a.db.query(`UPDATE articles SET close_at = now() - interval '1 second' WHERE id = $1`, [id]),
      ],
      [
        'delete',
        () =>
          a
            .http()
            .delete(`/api/comments/${c.id}`)
            .set('Authorization', `Bearer ${a.token(author)}`)
            .expect(204),
      ],
    ];
    for (const [what, change] of changes) {
      await change();
      const res = await read(a, `/api/articles/${id}/comments`, etag);
      expect({ what, status: res.status }).toEqual({ what, status: 200 });
      etag = res.headers.etag;
    }
    const final = await read(a, `/api/articles/${id}/comments`);
    expect(final.body.article).toMatchObject({ closed: true, disclaimer: { text: 'Read with care.' } });
    expect(final.body.items).toEqual([]);
  });

  it("keeps readers apart: an author's view with their held comment has its own ETag", async () => {
    const id = await article();
    await a
      .http()
      .patch(`/api/articles/${id}`)
      .set('Authorization', `Bearer ${mod()}`)
      .send({ moderationMode: 'pre' })
      .expect(200);
    const author = `held-${++seq}`;
    const held = await post(a, id, author);
    const anonymous = await read(a, `/api/articles/${id}/comments`);
    const own = await read(a, `/api/articles/${id}/comments`, anonymous.headers.etag, a.token(author));
    expect(own.status).toBe(200);
    expect(own.body.items.map((c: { id: string }) => c.id)).toEqual([held.id]);
    expect(anonymous.body.items).toEqual([]);
    expect(anonymous.headers.vary).toMatch(/Authorization/);
  });

  it("never serves one instance's stale page after a change through another instance", async () => {
    const id = await article();
    await post(a, id);
    const before = await read(b, `/api/articles/${id}/comments`);
    expect(before.body.items).toHaveLength(1);
    const added = await post(a, id);
    const after = await read(b, `/api/articles/${id}/comments`);
    expect(after.body.items.map((c: { id: string }) => c.id)).toContain(added.id);

    const parent = before.body.items[0].id;
    const replies = await read(b, `/api/comments/${parent}/replies`);
    expect(replies.body.items).toEqual([]);
    const reply = await post(a, id, undefined, { parentId: parent });
    const repliesAfter = await read(b, `/api/comments/${parent}/replies`, replies.headers.etag);
    expect(repliesAfter.status).toBe(200);
    expect(repliesAfter.body.items.map((c: { id: string }) => c.id)).toEqual([reply.id]);
  });

  it("shows an author's new name on every thread they wrote in, on every instance", async () => {
    const [here, there] = [await article(), await article()];
    const author = `renamed-${++seq}`;
    await post(a, here, author);
    await post(a, there, author);
    const path = `/api/articles/${there}/comments`;
    const cached = await read(b, path);
    expect(cached.body.items[0].author.name).toBe(`${author} name`);

    // The same name again changes nothing elsewhere: the other thread's page stays current.
    await post(a, here, author);
    expect((await read(b, path, cached.headers.etag)).status).toBe(304);

    // A token with a new display name, on the first thread only.
    const renamed = await a
      .http()
      .post(`/api/articles/${here}/comments`)
      .set('Authorization', `Bearer ${a.token(author, 'commenter', { name: 'Ada Lovelace' })}`)
      .send({ body: 'under my new name' });
    expect(renamed.status).toBe(201);
    const fresh = await until('the other thread to show the new name', 5_000, async () => {
      const res = await read(b, path, cached.headers.etag);
      return res.status === 200 && res;
    });
    expect(fresh.body.items.map((c: { author: { name: string } }) => c.author.name)).toEqual(['Ada Lovelace']);
    expect(fresh.headers.etag).not.toBe(cached.headers.etag);
  });
});
