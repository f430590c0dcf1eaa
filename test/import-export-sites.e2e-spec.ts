import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { exportCli } from '../src/exports/export-cli';
import { expectProblem, expectStatus, until } from './support/expect';
import { expectCountsRecounted, fixture, runImportCli } from './support/imports';
import { addSite, siteToken } from './support/sites';
import { createTestApp, TestApp } from './support/test-app';

const BUDGET_URL = 'https://news.example/2019/03/the-budget-explained';
const SITE = 'Comment-Desk-Site';

/** A request as a site's user: the header names the site whose login signed the token. */
const as = (t: TestApp, token: string, site?: string) => ({
  get: (path: string) => {
    const req = t.http().get(path).set('Authorization', `Bearer ${token}`);
    return site ? req.set(SITE, site) : req;
  },
  upload: (name: string, query: Record<string, string>) => {
    const req = t
      .http()
      .post('/api/admin/imports')
      .query(query)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/xml');
    return (site ? req.set(SITE, site) : req).send(readFileSync(fixture(name), 'utf8'));
  },
});

function finished(t: TestApp, token: string, id: string, site?: string) {
  return until(`import ${id} finishes`, 20_000, async () => {
    const job = expectStatus(await as(t, token, site).get(`/api/admin/imports/${id}`), 200);
    return ['succeeded', 'failed'].includes(job.status) ? job : undefined;
  });
}

const lines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));

/** `npm run export -- ARGS` against an app's database. */
async function exportCliOf(t: TestApp, args: string[]) {
  process.env.DATABASE_URL = t.databaseUrl;
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (c) => (stderr += c));
  const code = await exportCli(args, { out: new PassThrough(), err });
  return { code, stderr };
}

describe('imports and exports of one site among several (e2e)', () => {
  let t: TestApp;
  let eveningId: number;
  const adminA = () => t.token('io-admin-a', 'admin');
  const adminB = siteToken('io-admin-b', 'admin');
  let jobA: any;
  let jobB: any;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'comment-desk-sites-'));
    t = await createTestApp();
    eveningId = await addSite(t, 'evening', 'The Evening Post');
    // Someone the first site knows, whose id is what the evening's login would make of alice.
    await t.db.query(`INSERT INTO users (id, name, site_id) VALUES ('evening:disqus:alice', 'Not Alice', 1)`);
    const a = expectStatus(
      await as(t, adminA()).upload('disqus.xml', { format: 'disqus', fileName: 'disqus.xml' }),
      202,
    );
    jobA = await finished(t, adminA(), a.id);
    const b = expectStatus(
      await as(t, adminB, 'evening').upload('disqus.xml', { format: 'disqus', fileName: 'disqus.xml' }),
      202,
    );
    jobB = await finished(t, adminB, b.id, 'evening');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('imports', () => {
    it('the same file imported into two sites makes each its own articles, comments and users', async () => {
      expect(jobA.status).toBe('succeeded');
      expect(jobB.status).toBe('succeeded');
      const { rows: jobs } = await t.db.query(`SELECT id, site_id FROM import_jobs ORDER BY created_at`);
      expect(jobs).toEqual([
        { id: jobA.id, site_id: 1 },
        { id: jobB.id, site_id: eveningId },
      ]);
      const { rows: articles } = await t.db.query(`SELECT site_id FROM articles WHERE url = $1 ORDER BY site_id`, [
        BUDGET_URL,
      ]);
      expect(articles).toEqual([{ site_id: 1 }, { site_id: eveningId }]);
      expect(jobB.counts.threads).toMatchObject({ articlesCreated: 2, articlesMatched: 0 });
      expect(jobA.counts.comments.imported).toBe(8);
      // alice's 2 imported comments are left out on the evening: her id there is another site's user's.
      expect(jobB.counts.comments).toMatchObject({ imported: 6, alreadyImported: 0 });
      expect(jobB.counts.comments.skipped.otherSiteUser).toBe(2);
      expect(jobA.counts.comments.skipped.otherSiteUser).toBeUndefined();
      expect(jobB.problems).toContainEqual({
        message: "user evening:disqus:alice is another site's user: their 2 comments are skipped",
      });
      const { rows: users } = await t.db.query(
        `SELECT u.id, u.site_id FROM users u JOIN comments c ON c.author_id = u.id JOIN articles a ON a.id = c.article_id
         WHERE a.site_id = $1 GROUP BY u.id ORDER BY u.id`,
        [eveningId],
      );
      expect(users.length).toBeGreaterThan(0);
      for (const u of users) expect(u).toEqual({ id: expect.stringMatching(/^evening:disqus:/), site_id: eveningId });
      const { rows: moved } = await t.db.query(`SELECT site_id, name FROM users WHERE id = 'evening:disqus:alice'`);
      expect(moved).toEqual([{ site_id: 1, name: 'Not Alice' }]);
      await expectCountsRecounted(t);
    });

    it('an evening commenter who signs in later is the imported user', async () => {
      const reader = siteToken('disqus:bob_b');
      const me = expectStatus(await as(t, reader, 'evening').get('/api/me/data'), 200);
      expect(me.comments.length).toBeGreaterThan(0);
    });

    it("another site's job is missing; another site's admin cannot import there", async () => {
      expectProblem(await as(t, adminB, 'evening').get(`/api/admin/imports/${jobA.id}`), 404, 'NOT_FOUND');
      expectProblem(await as(t, adminA()).get(`/api/admin/imports/${jobB.id}`), 404, 'NOT_FOUND');
      expectProblem(await as(t, adminA()).get(`/api/admin/imports/${jobB.id}?site=evening`), 404, 'NOT_FOUND');
      expectProblem(
        await as(t, adminB, 'evening').upload('disqus.xml', { format: 'disqus', site: 'default' }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await as(t, siteToken('io-mod-b', 'moderator'), 'evening').get(`/api/admin/imports/${jobB.id}`),
        403,
        'FORBIDDEN',
      );
    });

    it('the CLI imports into --site KEY, and refuses a key that is no site', async () => {
      const night = await runImportCli(t, [
        '--format',
        'wordpress',
        '--site',
        'evening',
        fixture('wordpress-1.2-https.xml'),
      ]);
      expect(night.stderr).toBe('');
      expect(night.code).toBe(0);
      const jobId = /^Import ([0-9a-f-]{36}) succeeded/.exec(night.stdout)![1];
      const { rows } = await t.db.query(
        `SELECT j.site_id, (SELECT array_agg(DISTINCT u.site_id) FROM comments c JOIN users u ON u.id = c.author_id
                            WHERE c.source = 'wordpress') AS user_sites,
                (SELECT array_agg(DISTINCT a.site_id) FROM comments c JOIN articles a ON a.id = c.article_id
                 WHERE c.source = 'wordpress') AS article_sites
         FROM import_jobs j WHERE j.id = $1`,
        [jobId],
      );
      expect(rows).toEqual([{ site_id: eveningId, user_sites: [eveningId], article_sites: [eveningId] }]);
      const dry = await runImportCli(t, [
        '--format',
        'disqus',
        '--site',
        'evening',
        '--dry-run',
        fixture('disqus.xml'),
      ]);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/comments to import\s+0\n/);
      const unknown = await runImportCli(t, ['--format', 'disqus', '--site', 'nowhere', fixture('disqus.xml')]);
      expect(unknown).toMatchObject({ code: 2, stdout: '' });
      expect(unknown.stderr).toBe('There is no site "nowhere": --site takes the key of a site\n');
    });
  });

  describe('exports', () => {
    let evening: any[];
    let first: any[];
    let file: string;
    let target: TestApp;

    beforeAll(async () => {
      // Something of the evening's own: a reader's comment, reported, and a note on the reader.
      const article = expectStatus(
        await t
          .http()
          .post('/api/articles')
          .set('Authorization', `Bearer ${adminB}`)
          .set(SITE, 'evening')
          .send({ url: 'https://evening.example/2026/12/late-edition', title: 'Late edition' }),
        201,
      );
      const nora = siteToken('nora');
      const comment = expectStatus(
        await t
          .http()
          .post(`/api/articles/${article.id}/comments`)
          .set('Authorization', `Bearer ${nora}`)
          .set(SITE, 'evening')
          .send({ body: 'Read it on the train home.' }),
        201,
      );
      expectStatus(
        await t
          .http()
          .post(`/api/comments/${comment.id}/reports`)
          .set('Authorization', `Bearer ${siteToken('disqus:bob_b')}`)
          .set(SITE, 'evening')
          .send({ reason: 'other' }),
        201,
      );
      await t.db.query(
        `INSERT INTO user_notes (user_id, author_id, body) VALUES ('evening:nora', 'evening:disqus:bob_b', 'Regular.')`,
      );
      const b = await as(t, adminB, 'evening').get('/api/admin/export');
      expect(b.status).toBe(200);
      evening = lines(b.text);
      file = join(folder, 'evening.ndjson');
      writeFileSync(file, b.text);
      const a = await as(t, adminA()).get('/api/admin/export');
      expect(a.status).toBe(200);
      first = lines(a.text);
    });
    afterAll(() => target?.close());

    it("holds the site's rows and nothing of another's", async () => {
      expect(evening[0]).toMatchObject({ type: 'header', site: { key: 'evening', first: false } });
      expect(first[0]).toMatchObject({ type: 'header', site: { key: 'default', first: true } });
      const of = (ls: any[], type: string) => ls.filter((l) => l.type === type).map((l) => l.data);
      expect(of(evening, 'settings').map((s) => s.id)).toEqual([eveningId]);
      expect(of(first, 'settings').map((s) => s.id)).toEqual([1]);
      for (const [ls, site] of [
        [evening, eveningId],
        [first, 1],
      ] as const) {
        for (const type of ['user', 'article', 'log']) {
          expect(of(ls, type).length).toBeGreaterThan(0);
          for (const row of of(ls, type)) expect({ type, site: row.site_id }).toEqual({ type, site });
        }
        const articles = new Set(of(ls, 'article').map((a) => a.id));
        for (const c of of(ls, 'comment')) expect(articles.has(c.article_id)).toBe(true);
        const comments = new Set(of(ls, 'comment').map((c) => c.id));
        for (const r of of(ls, 'report')) expect(comments.has(r.comment_id)).toBe(true);
        const users = new Set(of(ls, 'user').map((u) => u.id));
        for (const n of of(ls, 'note')) expect(users.has(n.user_id)).toBe(true);
      }
      expect(of(evening, 'report')).toHaveLength(1);
      expect(of(evening, 'note')).toEqual([expect.objectContaining({ user_id: 'evening:nora', body: 'Regular.' })]);
      expect(of(first, 'note')).toEqual([]);
      expect(JSON.stringify(first)).not.toContain('"evening:nora"');
      expect(JSON.stringify(first)).not.toContain(`"site_id":${eveningId}`);
      expect(JSON.stringify(first)).not.toContain('Read it on the train home.');
    });

    it("refuses another site's admin, and a moderator", async () => {
      expectProblem(await as(t, adminB, 'evening').get('/api/admin/export?site=default'), 403, 'FORBIDDEN');
      expectProblem(await as(t, adminA()).get('/api/admin/export?site=evening'), 403, 'FORBIDDEN');
      expectProblem(
        await as(t, siteToken('io-mod-b', 'moderator'), 'evening').get('/api/admin/export'),
        403,
        'FORBIDDEN',
      );
    });

    it('npm run export -- --site KEY writes the same lines; an unknown key is refused', async () => {
      const out = join(folder, 'cli.ndjson');
      const { code, stderr } = await exportCliOf(t, ['--site', 'evening', out]);
      expect(stderr).toMatch(/^Exported \d+ comments to .*cli\.ndjson/);
      expect(code).toBe(0);
      const withoutHeader = (text: string) => text.split('\n').slice(1);
      expect(withoutHeader(readFileSync(out, 'utf8'))).toEqual(withoutHeader(readFileSync(file, 'utf8')));
      expect(await exportCliOf(t, ['--site', 'nowhere', out])).toEqual({
        code: 2,
        stderr: 'There is no site "nowhere": --site takes the key of a site\n',
      });
    });

    it("imported into a fresh site elsewhere, gives the same threads, its users that site's", async () => {
      target = await createTestApp();
      const morningId = await addSite(target, 'morning', 'The Morning Post');
      const imported = await runImportCli(target, ['--format', 'comment-desk', '--site', 'morning', file]);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      const articleIds = evening.filter((l) => l.type === 'article').map((l) => l.data.id);
      expect(articleIds.length).toBeGreaterThan(1);
      const asMorning = (body: unknown) => JSON.parse(JSON.stringify(body).replace(/"evening:/g, '"morning:'));
      for (const id of articleIds) {
        for (const path of [`/api/articles/${id}`, `/api/articles/${id}/comments?sort=oldest`]) {
          const [a, b] = await Promise.all([t.http().get(path), target.http().get(path)]);
          expect({ path, status: b.status, body: b.body }).toEqual({ path, status: a.status, body: asMorning(a.body) });
        }
      }
      const { rows } = await target.db.query(
        `SELECT (SELECT array_agg(DISTINCT site_id) FROM users) AS users, (SELECT array_agg(DISTINCT site_id) FROM articles) AS articles,
                (SELECT array_agg(DISTINCT site_id) FROM moderation_log) AS log,
                (SELECT count(*)::int FROM users WHERE id LIKE 'evening:%') AS evening_ids,
                (SELECT count(*)::int FROM user_notes WHERE user_id = 'morning:nora') AS notes`,
      );
      expect(rows).toEqual([{ users: [morningId], articles: [morningId], log: [morningId], evening_ids: 0, notes: 1 }]);
      // The reader who signs in to the morning's site finds her comment.
      const me = expectStatus(
        await target
          .http()
          .get('/api/me/data')
          .set('Authorization', `Bearer ${siteToken('nora')}`)
          .set(SITE, 'morning'),
        200,
      );
      expect(me.comments.map((c: any) => c.body)).toEqual(['Read it on the train home.']);
      await expectCountsRecounted(target);
    });

    it("imported into another site of the same installation, moves nothing of the evening's", async () => {
      const before = await t.db.query(`SELECT id, site_id, count_visible FROM articles ORDER BY id`);
      const res = await runImportCli(t, ['--format', 'comment-desk', file]);
      expect(res.code).toBe(0);
      const articleIds = evening.filter((l) => l.type === 'article').map((l) => l.data.id);
      for (const id of articleIds) expect(res.stdout).toContain(`article ${id} is another site's`);
      expect(res.stdout).toMatch(/comments imported\s+0\n/);
      expect((await t.db.query(`SELECT id, site_id, count_visible FROM articles ORDER BY id`)).rows).toEqual(
        before.rows,
      );
      const { rows } = await t.db.query(`SELECT site_id FROM users WHERE id = 'evening:nora'`);
      expect(rows).toEqual([{ site_id: eveningId }]);
    });
  });
});
