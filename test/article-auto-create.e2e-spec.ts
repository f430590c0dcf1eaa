import { Api, expectProblem, expectStatus, unique } from './support/comments-helpers';
import { DataSource } from 'typeorm';
import { ArticleUrls1796170005000 } from '../migrations/1796170005000-ArticleUrls';
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

  describe('URLs in their normalized form', () => {
    const BLOG = 'https://news.example/blog/';
    const count = async (fragment: string) =>
      (await t.db.query('SELECT count(*)::int AS n FROM articles WHERE url LIKE $1', [`%${fragment}%`])).rows[0].n;

    beforeAll(() => setPrefixes([BLOG]));

    it('stores an article under its normalized URL', async () => {
      const slug = unique('a');
      const created = await resolve({ url: `${BLOG}./${slug}/?utm_source=x#frag`, title: 'One article' });
      expectStatus(created, 201);
      expect(created.body.url).toBe(`${BLOG}${slug}`);
    });

    it.each([
      ['a fragment', (slug: string) => `${BLOG}${slug}#frag`],
      ['a tracking parameter', (slug: string) => `${BLOG}${slug}?utm_source=x`],
      ['a trailing slash', (slug: string) => `${BLOG}${slug}/`],
      ['a dot segment', (slug: string) => `${BLOG}./${slug}`],
      ['an encoded letter', (slug: string) => `${BLOG}%61${slug.slice(1)}`],
      ['capitals, the default port and a double slash', (slug: string) => `HTTPS://NEWS.EXAMPLE:443/blog//${slug}`],
      ['a dot-dot segment', (slug: string) => `https://news.example/blog/x/../${slug}`],
    ])('finds the article, not a new one, at its URL with %s', async (_what, variant) => {
      const slug = unique('a');
      const created = await resolve({ url: `${BLOG}${slug}`, title: 'One article' });
      expectStatus(created, 201);
      const url = variant(slug);
      const found = await resolve({ url, title: 'Another title' });
      expectStatus(found, 200);
      expect(found.body.id).toBe(created.body.id);
      const listed = await t.http().get('/api/articles').query({ url });
      expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([created.body.id]);
      expect(await count(slug)).toBe(1);
    });

    it.each([
      ['https://news.example/blog/../admin/secret', 404],
      ['https://news.example/blog/%2e%2e/admin/secret', 404],
      [`${BLOG}@evil.example/`, 404],
      [`${BLOG}%2F%2Fevil.example`, 404],
      [`${BLOG}%5c%5cevil.example`, 404],
      [BLOG, 404],
      ['https://news.example@evil.example/blog/a', 400],
      ['https://user:pw@news.example/blog/a', 400],
    ])('creates no article at %s (%d)', async (url, status) => {
      const before = (await t.db.query('SELECT count(*)::int AS n FROM articles')).rows[0].n;
      const res = await resolve({ url, title: 'T' });
      if (status === 404) expectProblem(res, 404, 'NOT_FOUND');
      else expect(JSON.stringify(expectProblem(res, 400, 'VALIDATION_FAILED').errors)).toContain('user name');
      expect((await t.db.query('SELECT count(*)::int AS n FROM articles')).rows[0].n).toBe(before);
    });

    it('makes a moderator’s article one with the embed’s: another form of a known URL is a 409', async () => {
      const slug = unique('made');
      const made = await t
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${mod}`)
        .send({ url: `${BLOG}${slug}/?fbclid=1#top`, title: 'Made by hand' });
      expectStatus(made, 201);
      expect(made.body.url).toBe(`${BLOG}${slug}`);
      const again = await t
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${mod}`)
        .send({ url: `${BLOG}${slug}#other`, title: 'Twice' });
      expectProblem(again, 409, 'CONFLICT');
      expect((await resolve({ url: `${BLOG}%2e/${slug}`, title: 'T' })).body.id).toBe(made.body.id);
      const userinfo = await t
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${mod}`)
        .send({ url: 'https://news.example@evil.example/x', title: 'T' });
      expectProblem(userinfo, 400, 'VALIDATION_FAILED');
    });

    it('finds an article stored before URLs were normalized by its URL as stored', async () => {
      const url = `${BLOG}${unique('legacy')}/?utm_campaign=old#c`;
      const { rows } = await t.db.query(
        `INSERT INTO articles (url, title, moderation_mode, disclaimer_text) VALUES ($1, 'Old', 'post', 'd') RETURNING id`,
        [url],
      );
      expect((await t.http().get('/api/articles').query({ url })).body.items).toEqual([
        expect.objectContaining({ id: rows[0].id, url }),
      ]);
      expectStatus(await resolve({ url, title: 'T' }), 200);
    });

    it('keeps the query parameters and trailing slashes that the settings say name an article', async () => {
      const settings = await t.http().get('/api/moderation/settings').set('Authorization', `Bearer ${mod}`);
      expect(settings.body).toMatchObject({
        articleUrlQueryParams: [],
        articleUrlTrailingSlash: 'strip',
        articleCreationsPerHour: 100,
      });
      await api.withSettings(
        admin,
        { articleUrlQueryParams: ['p'], articleUrlTrailingSlash: 'keep' },
        { articleUrlQueryParams: [], articleUrlTrailingSlash: 'strip' },
        async () => {
          const page = `${BLOG}${unique('item')}`;
          const one = await resolve({ url: `${page}?p=1&utm_source=x`, title: 'One' });
          const two = await resolve({ url: `${page}?p=2`, title: 'Two' });
          const slash = await resolve({ url: `${page}/?p=1`, title: 'Slash' });
          expect([one.status, two.status, slash.status]).toEqual([201, 201, 201]);
          expect([one.body.url, two.body.url, slash.body.url]).toEqual([`${page}?p=1`, `${page}?p=2`, `${page}/?p=1`]);
          expect((await resolve({ url: `${page}?ref=tw&p=1#c`, title: 'T' })).body.id).toBe(one.body.id);
        },
      );
      const slug = unique('add');
      await api.withSettings(
        admin,
        { articleUrlTrailingSlash: 'add' },
        { articleUrlTrailingSlash: 'strip' },
        async () => {
          const created = await resolve({ url: `${BLOG}${slug}`, title: 'T' });
          expect(created.body.url).toBe(`${BLOG}${slug}/`);
        },
      );
      // an article stored under another trailing-slash policy is still found
      expect((await resolve({ url: `${BLOG}${slug}`, title: 'T' })).status).toBe(200);
    });

    it('refuses bad URL settings with 400 naming the field', async () => {
      for (const patch of [
        { articleUrlQueryParams: ['a b'] },
        { articleUrlQueryParams: ['p=1'] },
        { articleUrlQueryParams: 'p' },
        { articleUrlTrailingSlash: 'sometimes' },
        { articleCreationsPerHour: 0 },
        { articleCreationsPerHour: 1.5 },
        { articleAutoCreatePrefixes: ['https://user@news.example/'] },
        { articleAutoCreatePrefixes: ['https://news.example/blog/?x=1'] },
      ]) {
        const problem = expectProblem(await api.putSettings(admin, patch), 400, 'VALIDATION_FAILED');
        expect(JSON.stringify(problem.errors)).toContain(Object.keys(patch)[0]);
      }
    });
  });

  describe('limits', () => {
    const LIMITS = {
      post: { limit: 3, perSeconds: 9 },
      edit: { limit: 5, perSeconds: 60 },
      report: { limit: 10, perSeconds: 60 },
      address: { limit: 600, perSeconds: 60 },
    };
    let limited: TestApp;

    beforeAll(async () => {
      limited = await createTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'loopback' }, t.databaseUrl);
      process.env.RATE_LIMITS = 'off';
      await setPrefixes([PREFIX]);
    });
    afterAll(() => limited.close());
    beforeEach(() => t.db.query('DELETE FROM rate_limit_buckets'));

    const from = (address: string, url: string) =>
      limited.http().post('/api/articles/resolve').set('X-Forwarded-For', address).send({ url, title: 'T' });

    it('counts creations per client address, not lookups, with Retry-After', async () => {
      expectStatus(
        await api.putSettings(admin, { rateLimits: { ...LIMITS, createArticle: { limit: 2, perSeconds: 600 } } }),
        200,
      );
      const known = `${PREFIX}${unique('known')}`;
      expectStatus(await from('198.51.100.1', known), 201);
      for (let i = 0; i < 12; i++) expectStatus(await from('198.51.100.1', `${known}#${i}`), 200);
      expectStatus(await from('198.51.100.1', `${PREFIX}${unique('second')}`), 201);
      const refused = await from('198.51.100.1', `${PREFIX}${unique('third')}`);
      expectProblem(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(200); // one creation every 300 s
      expectStatus(await from('198.51.100.1', known), 200); // lookups go on
      expectStatus(await from('198.51.100.2', `${PREFIX}${unique('elsewhere')}`), 201);
    });

    it('caps creations per hour for the whole site, whatever the number of addresses', async () => {
      expectStatus(
        await api.putSettings(admin, {
          rateLimits: { ...LIMITS, createArticle: { limit: 10, perSeconds: 600 } },
          articleCreationsPerHour: 3,
        }),
        200,
      );
      try {
        const urls = Array.from({ length: 5 }, () => `${PREFIX}${unique('capped')}`);
        const statuses: number[] = [];
        for (const [i, url] of urls.entries()) statuses.push((await from(`203.0.113.${i + 1}`, url)).status);
        expect(statuses).toEqual([201, 201, 201, 429, 429]);
        const refused = await from('203.0.113.99', `${PREFIX}${unique('capped')}`);
        expectProblem(refused, 429, 'RATE_LIMITED');
        expect(refused.body.detail).toContain('on this site');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(1000); // one every 1200 s
        const { rows } = await t.db.query('SELECT count(*)::int AS n FROM articles WHERE url = ANY($1)', [urls]);
        expect(rows[0].n).toBe(3);
        expectStatus(await from('203.0.113.99', urls[0]), 200);
      } finally {
        expectStatus(await api.putSettings(admin, { articleCreationsPerHour: 100 }), 200);
      }
    });
  });

  it('normalizes the stored URLs when it can, and keeps the query parameters that told articles apart', async () => {
    const own = await createTestApp();
    try {
      const stored = [
        'https://news.example/x/?utm_source=a#f',
        'https://news.example/item?p=5',
        'https://news.example/item?utm_medium=m&p=6',
        'https://news.example/dup',
        'https://news.example/dup/',
        'https://news.example/c?ref=tw',
      ];
      for (const url of stored)
        await own.db.query(
          `INSERT INTO articles (url, title, moderation_mode, disclaimer_text) VALUES ($1, 'T', 'post', 'd')`,
          [url],
        );
      const runner = own.app.get(DataSource).createQueryRunner();
      const migration = new ArticleUrls1796170005000();
      try {
        await migration.down(runner);
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      const { rows } = await own.db.query('SELECT url FROM articles ORDER BY url');
      expect(rows.map((r) => r.url)).toEqual([
        'https://news.example/c',
        'https://news.example/dup',
        'https://news.example/dup/', // its normalized form is another article's: left as it was
        'https://news.example/item?p=5',
        'https://news.example/item?p=6',
        'https://news.example/x',
      ]);
      const settings = await own.db.query('SELECT article_url_query_params FROM moderation_settings');
      expect(settings.rows[0].article_url_query_params).toEqual(['p']);
    } finally {
      await own.close();
    }
  });
});
