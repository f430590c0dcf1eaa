import { Api, expectProblem } from './support/comments-helpers';
import { createTestApp, TestApp } from './support/test-app';

describe("moderators' notes about users (e2e)", () => {
  let t: TestApp;
  let api: Api;
  const mod = (sub = 'mod-notes') => t.token(sub, 'moderator', { name: `Desk ${sub}` });
  const notesOf = (user: string, query: Record<string, string | number> = {}) =>
    t
      .http()
      .get(`/api/moderation/users/${encodeURIComponent(user)}/notes`)
      .query(query)
      .set('Authorization', `Bearer ${mod()}`);
  const note = (user: string, body: unknown, token = mod()) =>
    t
      .http()
      .post(`/api/moderation/users/${encodeURIComponent(user)}/notes`)
      .set('Authorization', `Bearer ${token}`)
      .send({ body });

  beforeAll(async () => {
    t = await createTestApp();
    api = new Api(t);
    const article = await api.createArticle(mod());
    await api.comment(t.token('troll-9'), article.id, 'first words');
  });
  afterAll(() => t.close());

  it('appends notes, lists them newest first with their authors, and logs that a note was written (not its text)', async () => {
    const first = await note('troll-9', '  Warned by email on Monday.  ').expect(201);
    expect(first.body).toMatchObject({
      userId: 'troll-9',
      body: 'Warned by email on Monday.',
      author: { id: 'mod-notes' },
    });
    await note('troll-9', 'Second account suspected.', mod('mod-two')).expect(201);
    const list = await notesOf('troll-9').expect(200);
    expect(list.body.items.map((n: { body: string; author: { name: string } }) => [n.body, n.author.name])).toEqual([
      ['Second account suspected.', 'Desk mod-two'],
      ['Warned by email on Monday.', 'Desk mod-notes'],
    ]);
    const log = await api.log(mod(), { actorId: 'mod-two' }).expect(200);
    expect(log.body.items[0]).toMatchObject({ action: 'note', targetType: 'user', targetId: 'troll-9' });
    expect(JSON.stringify(log.body)).not.toContain('Second account');
  });

  it('pages newest first without repeats', async () => {
    for (let i = 0; i < 3; i++) await note('troll-9', `paged ${i}`).expect(201);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await notesOf('troll-9', { limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
      seen.push(...res.body.items.map((n: { id: string }) => n.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('is for moderators only, about known users, with a body of 1 to 2000 characters', async () => {
    expectProblem(await note('troll-9', 'sneaky', t.token('troll-9')), 403, 'FORBIDDEN');
    expectProblem(await notesOf('nobody-known'), 404, 'NOT_FOUND');
    expectProblem(await note('nobody-known', 'about no one'), 404, 'NOT_FOUND');
    expectProblem(await note('troll-9', '   '), 400, 'VALIDATION_FAILED');
    expectProblem(await note('troll-9', 'x'.repeat(2001)), 400, 'VALIDATION_FAILED');
    expectProblem(await note('troll-9', 42), 400, 'VALIDATION_FAILED');
  });

  it('never lets a note be edited, even by a statement sent directly', async () => {
    await expect(t.db.query(`UPDATE user_notes SET body = 'rewritten'`)).rejects.toThrow(/append-only/);
  });
  it("goes with the user's erasure", async () => {
    await note('troll-9', 'Lives in Flat 4, said so twice.').expect(201);
    await t
      .http()
      .post('/api/moderation/users/troll-9/erase')
      .set('Authorization', `Bearer ${t.token('adm-notes', 'admin')}`)
      .expect(200);
    expect((await notesOf('troll-9').expect(200)).body.items).toEqual([]);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM user_notes WHERE body LIKE '%Flat 4%'`);
    expect(rows[0].n).toBe(0);
  });
});
