import { Api, expectProblem, expectStatus, unique } from './support/comments-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * POST /api/articles/resolve: how an embed finds its thread on a first read, creating the article
 * only under the settings' articleAutoCreatePrefixes, once per URL, within a per-address limit.
 */
describe("articles created on an embed's first read (e2e)", () => {
  let t: TestApp;
  let api: Api;
  let admin: string;
  let mod: string;
  const PREFIX = 'https://news.example/auto/';

  beforeAll(async () => {
    t = await createTestApp();
    api = new Api(t);
    admin = t.token('chief', 'admin');
    mod = t.token('desk', 'moderator');
  });
  afterAll(() => t.close());

  const resolve = (body: object, token?: string) => {
    const req = t.http().post('/api/articles/resolve');
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
  };
  const setPrefixes = async (prefixes: string[]) =>
    expectStatus(await api.putSettings(admin, { articleAutoCreatePrefixes: prefixes }), 200);

  it('is off by default: a missing article is 404, an existing one is found', async () => {
    const settings = await t.http().get('/api/moderation/settings').set('Authorization', `Bearer ${mod}`);
    expect(settings.body.articleAutoCreatePrefixes).toEqual([]);
    expect(settings.body.rateLimits.createArticle).toEqual({ limit: 10, perSeconds: 600 });
    expectProblem(await resolve({ url: `${PREFIX}${unique('x')}`, title: 'T' }), 404, 'NOT_FOUND');
    const existing = await api.createArticle(mod);
    const { url } = (await api.getArticle(existing.id)).body;
    const found = await resolve({ url, title: 'Whatever the title' });
    expectStatus(found, 200);
    expect(found.body).toMatchObject({ id: existing.id, title: 'An article' });
  });

  it('creates the article under an allowed prefix, with the title, the default mode and a log entry by the system', async () => {
    await setPrefixes([PREFIX, 'https://other.example/news/']);
    const url = `${PREFIX}${unique('first-read')}`;
    const created = await resolve({ url, title: 'The budget, explained' });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({
      url,
      title: 'The budget, explained',
      moderationMode: 'post',
      closed: false,
      disclaimer: { show: true },
      counts: { visible: 0 },
    });
    expect(created.body.counts.pending).toBeUndefined(); // a reader's view
    const again = await resolve({ url, title: 'Another title' });
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ id: created.body.id, title: 'The budget, explained' });
    const log = await api.log(mod, { articleId: created.body.id });
    expect(log.body.items).toEqual([
      expect.objectContaining({ action: 'create_article', actor: null, targetId: created.body.id }),
    ]);
    // and comments go to it as to any article
    await api.comment(t.token('reader'), created.body.id, 'First!');
  });

  it('creates one article per URL, whatever the number of first readers at once', async () => {
    await setPrefixes([PREFIX]);
    const url = `${PREFIX}${unique('rush')}`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => resolve({ url, title: 'Rush' })));
    expect(answers.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM articles WHERE url = $1', [url]);
    expect(rows[0].n).toBe(1);
  });

  it('matches prefixes exactly: no other host, no other path', async () => {
    await setPrefixes(['https://news.example/politics/']);
    for (const url of [
      'https://news.example.evil/politics/x',
      'https://news.example/sport/x',
      'http://news.example/politics/x',
      'https://evil.example/https://news.example/politics/x',
    ])
      expectProblem(await resolve({ url, title: 'T' }), 404, 'NOT_FOUND');
    expectStatus(await resolve({ url: `https://news.example/politics/${unique('ok')}`, title: 'T' }), 201);
  });

  it('refuses bad prefixes and bad bodies with 400 naming the field', async () => {
    for (const prefixes of [['https://news.example'], ['ftp://news.example/'], ['news.example/'], [''], 'x', [42]]) {
      const res = await api.putSettings(admin, { articleAutoCreatePrefixes: prefixes });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(problem.errors)).toContain('articleAutoCreatePrefixes');
    }
    for (const body of [{}, { url: 'not a url', title: 'T' }, { url: `${PREFIX}x` }, { url: `${PREFIX}x`, title: '' }])
      expectProblem(await resolve(body), 400, 'VALIDATION_FAILED');
  });

  it('keeps the createArticle limit when a client sends rateLimits without it', async () => {
    const limits = {
      post: { limit: 3, perSeconds: 9 },
      edit: { limit: 5, perSeconds: 60 },
      report: { limit: 10, perSeconds: 60 },
      address: { limit: 600, perSeconds: 60 },
    };
    const res = await api.putSettings(admin, { rateLimits: limits });
    expectStatus(res, 200);
    expect(res.body.rateLimits).toEqual({ ...limits, createArticle: { limit: 10, perSeconds: 600 } });
  });

  it('limits creations per client address, with Retry-After', async () => {
    const limited = await createTestApp({ RATE_LIMITS: 'on' }, t.databaseUrl);
    try {
      await setPrefixes([PREFIX]);
      expectStatus(
        await api.putSettings(admin, {
          rateLimits: {
            post: { limit: 3, perSeconds: 9 },
            edit: { limit: 5, perSeconds: 60 },
            report: { limit: 10, perSeconds: 60 },
            address: { limit: 600, perSeconds: 60 },
            createArticle: { limit: 2, perSeconds: 600 },
          },
        }),
        200,
      );
      // the settings cache of the limited app lives a second: wait until it applies the new limit
      const send = () =>
        limited
          .http()
          .post('/api/articles/resolve')
          .send({ url: `${PREFIX}${unique('lim')}`, title: 'T' });
      const statuses: number[] = [];
      const deadline = Date.now() + 5000;
      let last;
      do {
        last = await send();
        statuses.push(last.status);
      } while (last.status !== 429 && Date.now() < deadline);
      expectProblem(last, 429, 'RATE_LIMITED');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(10);
    } finally {
      await limited.close();
      process.env.RATE_LIMITS = 'off';
    }
  });
});
