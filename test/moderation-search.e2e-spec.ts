import { Api, expectProblem, unique } from './support/comments-helpers';
import { createTestApp, TestApp } from './support/test-app';

describe("moderators' search (e2e)", () => {
  let t: TestApp;
  let api: Api;
  const mod = () => t.token('mod-search', 'moderator');
  const search = (query: Record<string, string | number>) =>
    t.http().get('/api/moderation/comments').query(query).set('Authorization', `Bearer ${mod()}`);
  const bodies = async (query: Record<string, string | number>) => {
    const res = await search(query).expect(200);
    return (res.body.items as { body: string }[]).map((c) => c.body);
  };

  let first: string;
  let second: string;
  const tag = unique('zq').replace(/\W/g, ''); // a word no other test writes

  beforeAll(async () => {
    t = await createTestApp();
    api = new Api(t);
    first = (await api.createArticle(mod(), { title: 'Budget' })).id;
    second = (await api.createArticle(mod(), { title: 'Bridge' })).id;
    await api.comment(t.token('ann', 'commenter', { name: 'Ann Archer' }), first, `The ${tag} budget is late again`);
    await api.comment(
      t.token('bob', 'commenter', { name: 'Bob Builder' }),
      first,
      `Nothing about ${tag} here, only roads`,
    );
    await api.comment(
      t.token('ann', 'commenter', { name: 'Ann Archer' }),
      second,
      `The bridge needs a ${tag}-proof deck`,
    );
    const held = await api.comment(t.token('cy', 'commenter', { name: 'Cy' }), second, `Rejected ${tag} 100% off_sale`);
    await api.reject(mod(), held.id).expect(200);
  });
  afterAll(() => t.close());

  it('finds comments by a word of their text across articles and statuses, newest first', async () => {
    expect(await bodies({ q: `${tag} budget` })).toEqual([`The ${tag} budget is late again`]);
    expect(await bodies({ q: tag })).toEqual([
      `Rejected ${tag} 100% off_sale`,
      `The bridge needs a ${tag}-proof deck`,
      `Nothing about ${tag} here, only roads`,
      `The ${tag} budget is late again`,
    ]);
    expect(await bodies({ q: `${tag} -budget -roads -bridge` })).toEqual([`Rejected ${tag} 100% off_sale`]);
  });

  it('finds a fragment inside words, and takes % and _ literally', async () => {
    expect(await bodies({ q: 'oof dec' })).toEqual([`The bridge needs a ${tag}-proof deck`]);
    expect(await bodies({ q: `100% off_s` })).toEqual([`Rejected ${tag} 100% off_sale`]);
    expect(await bodies({ q: `${tag} 1_0` })).toEqual([]);
  });

  it('filters by author (id or part of the name), article, status and time', async () => {
    expect(await bodies({ q: tag, author: 'ann' })).toHaveLength(2);
    expect(await bodies({ q: tag, author: 'Builder' })).toEqual([`Nothing about ${tag} here, only roads`]);
    expect(await bodies({ q: tag, articleId: second })).toHaveLength(2);
    expect(await bodies({ q: tag, status: 'rejected' })).toEqual([`Rejected ${tag} 100% off_sale`]);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect(await bodies({ q: tag, from: future })).toEqual([]);
    expect(await bodies({ q: tag, to: future })).toHaveLength(4);
  });

  it('takes an exact author id (not a fragment of names), and one comment by its id', async () => {
    expect(await bodies({ q: tag, authorId: 'ann' })).toHaveLength(2);
    expect(await bodies({ q: tag, authorId: 'an' })).toEqual([]);
    const [newest] = (await search({ q: tag, authorId: 'bob' }).expect(200)).body.items;
    expect(await bodies({ commentId: newest.id })).toEqual([newest.body]);
    expectProblem(await search({ commentId: 'not-a-uuid' }), 400, 'VALIDATION_FAILED');
  });

  it('pages with a cursor, with nothing repeated or skipped', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await search({ q: tag, limit: 1, ...(cursor ? { cursor } : {}) }).expect(200);
      seen.push(...res.body.items.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor ?? undefined;
      if (res.body.items.length > 0) expect(res.body.items[0].article).toHaveProperty('title');
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it('answers bad input with 400 problems', async () => {
    expectProblem(await search({ status: 'gone' }), 400, 'VALIDATION_FAILED');
    expectProblem(await search({ from: 'yesterday' }), 400, 'VALIDATION_FAILED');
    expectProblem(await search({ q: 'x'.repeat(201) }), 400, 'VALIDATION_FAILED');
    expectProblem(await search({ cursor: 'nonsense' }), 400, 'VALIDATION_FAILED');
  });

  it('finds articles by a fragment of their title or url, for moderators', async () => {
    const list = (q: string) =>
      t.http().get('/api/articles').query({ q }).set('Authorization', `Bearer ${mod()}`).expect(200);
    const titled = await api.createArticle(mod(), {
      title: `Harbour ${tag} works`,
      url: `https://news.example/${tag}/port`,
    });
    expect((await list(`bour ${tag}`)).body.items.map((a: { id: string }) => a.id)).toEqual([titled.id]);
    expect((await list(`${tag}/po`)).body.items.map((a: { id: string }) => a.id)).toEqual([titled.id]);
    expect((await list(`${tag}%`)).body.items).toEqual([]);
    expectProblem(
      await t
        .http()
        .get('/api/articles')
        .query({ q: 'bour' })
        .set('Authorization', `Bearer ${t.token('reader')}`),
      403,
      'FORBIDDEN',
    );
  });

  it('has indexes that its conditions can use', async () => {
    // The planner prefers a scan on this small table; with scans priced out, it shows what it can use.
    const plan = async (where: string, params: unknown[]) => {
      await t.db.query('BEGIN');
      try {
        await t.db.query('SET LOCAL enable_seqscan = off');
        const { rows } = await t.db.query(`EXPLAIN SELECT id FROM comments c WHERE ${where}`, params);
        return rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      } finally {
        await t.db.query('ROLLBACK');
      }
    };
    expect(await plan(`to_tsvector('simple', c.body) @@ websearch_to_tsquery('simple', $1)`, [tag])).toMatch(
      /IDX_comments_body_words/,
    );
    expect(await plan(`c.body ILIKE $1`, [`%oof dec%`])).toMatch(/IDX_comments_body_trgm/);
    // Newest first over every article: a common word walks this index and stops at a page.
    expect(await plan(`c.deleted_at IS NULL ORDER BY c.created_at DESC, c.id DESC LIMIT 26`, [])).toMatch(
      /IDX_comments_newest/,
    );
    expect(await plan(`c.author_id IN (SELECT id FROM users WHERE name ILIKE $1)`, ['%uilde%'])).toMatch(
      /IDX_users_name_trgm/,
    );
    expect(await plan(`c.article_id IN (SELECT id FROM articles WHERE title ILIKE $1)`, ['%bour%'])).toMatch(
      /IDX_articles_title_trgm/,
    );
  });
});
