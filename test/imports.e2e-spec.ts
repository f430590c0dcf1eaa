import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { NamesWithoutBidiControls1796170000040 } from '../migrations/1796170000040-NamesWithoutBidiControls';
import { runImport } from '../src/imports/import-runner';
import { databaseDump } from './support/database-dump';
import { expectProblem, expectStatus } from './support/expect';
import { expectCountsRecounted, finishedJob, fixture, runImportCli, uploadImport } from './support/imports';
import { createTestApp, TestApp } from './support/test-app';

const BUDGET_URL = 'https://news.example/2019/03/the-budget-explained';
const MARKETS_URL = 'http://news.example/2018/12/christmas-markets';
const TRAM_URL = 'https://daily.example/2021/06/tram-line/';

async function articleByUrl(t: TestApp, url: string) {
  const res = await t.http().get('/api/articles').query({ url });
  return expectStatus(res, 200).items[0];
}

async function threadOldestFirst(t: TestApp, articleId: string) {
  return expectStatus(await t.http().get(`/api/articles/${articleId}/comments`).query({ sort: 'oldest' }), 200).items;
}

async function commentsBySource(t: TestApp, source: string) {
  const { rows } = await t.db.query(
    `SELECT c.source_id, c.parent_id, p.source_id AS parent_source_id, c.author_id, u.name AS author_name, c.body,
            c.status, c.created_at, c.deleted_at IS NOT NULL AS deleted
     FROM comments c JOIN users u ON u.id = c.author_id LEFT JOIN comments p ON p.id = c.parent_id
     WHERE c.source = $1 ORDER BY c.source_id`,
    [source],
  );
  return Object.fromEntries(rows.map((r) => [r.source_id, r]));
}

const count = async (t: TestApp, table: string, where = 'true') =>
  Number((await t.db.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0].n);

describe('imports (e2e)', () => {
  describe('a Disqus export through the admin API', () => {
    let t: TestApp;
    let admin: string;
    let job: any;

    beforeAll(async () => {
      t = await createTestApp();
      admin = t.token('import-admin', 'admin');
      const res = await uploadImport(t, admin, 'disqus.xml', { format: 'disqus', fileName: 'disqus.xml' });
      const started = expectStatus(res, 202);
      expect(started).toMatchObject({
        format: 'disqus',
        fileName: 'disqus.xml',
        dryRun: false,
        actorId: 'import-admin',
      });
      expect(started.bytesTotal).toBeGreaterThan(1000);
      job = await finishedJob(t, admin, started.id);
    });
    afterAll(() => t.close());

    it('succeeds and counts what it read, imported and skipped', () => {
      expect(job.status).toBe('succeeded');
      expect(job.error).toBeNull();
      expect(job.bytesRead).toBe(job.bytesTotal);
      expect(job.counts).toEqual({
        threads: { read: 4, skippedDeleted: 1, skippedNoUrl: 1, articlesCreated: 2, articlesMatched: 0 },
        comments: {
          read: 11,
          imported: 8,
          alreadyImported: 0,
          approved: 5,
          pending: 1,
          rejected: 1,
          tombstones: 1,
          madeTopLevel: 1,
          skipped: {
            spam: 0,
            trash: 0,
            notComment: 0,
            empty: 0,
            invalid: 0,
            deleted: 1,
            threadSkipped: 2,
            duplicate: 0,
          },
        },
        users: { created: 7 },
      });
    });

    it('creates articles by URL, with their titles, closed as they were', async () => {
      const budget = await articleByUrl(t, BUDGET_URL);
      expect(budget).toMatchObject({ title: 'The budget, explained', closed: false });
      const markets = await articleByUrl(t, MARKETS_URL);
      expect(markets).toMatchObject({ title: 'Christmas markets & more', closed: true });
      expect(await count(t, 'articles')).toBe(2);
    });

    it('links replies to parents that come after them, by dsq:id, and keeps 19-digit ids as strings', async () => {
      const budget = await articleByUrl(t, BUDGET_URL);
      const thread = await threadOldestFirst(t, budget.id);
      expect(thread.map((c: any) => [c.body, c.replyCount, c.deleted])).toEqual([
        [
          'Finally a clear explanation. Café owners & shopkeepers will want to read this.\n\nSecond paragraph\nwith a line break.',
          1,
          false,
        ],
        ['Replying to something that is no longer there.', 0, false],
        [null, 1, true],
      ]);
      expect(thread[0].replies.map((r: any) => r.body)).toEqual([
        'Agreed — and the deficit figures (https://stats.example/deficit?year=2019&unit=bn) back you up.',
      ]);
      const bySource = await commentsBySource(t, 'disqus');
      expect(bySource['9223372036854775801'].parent_source_id).toBe('9223372036854775800');
      expect(Object.keys(bySource).sort()).toEqual(
        [
          '5000000000000000002',
          '5000000000000000003',
          '9223372036854775800',
          '9223372036854775801',
          '9223372036854775802',
          '9223372036854775803',
          '9223372036854775804',
          '9223372036854775805',
        ].sort(),
      );
    });

    it('imports a reply whose parent is missing as a top-level comment', async () => {
      const bySource = await commentsBySource(t, 'disqus');
      expect(bySource['9223372036854775802'].parent_id).toBeNull();
    });

    it('keeps a deleted comment with replies as a tombstone without its text, and drops the one without', async () => {
      const bySource = await commentsBySource(t, 'disqus');
      expect(bySource['9223372036854775804']).toMatchObject({ deleted: true, body: '' });
      expect(bySource['9223372036854775805'].parent_source_id).toBe('9223372036854775804');
      expect(bySource['9223372036854775806']).toBeUndefined();
      const budget = await articleByUrl(t, BUDGET_URL);
      const tombstone = (await threadOldestFirst(t, budget.id))[2];
      expect(tombstone.author).toBeNull();
      expect(tombstone.replies.map((r: any) => r.body)).toEqual(["A guest's reply to a comment that was deleted."]);
    });

    it('maps states: approved, pending (isApproved false) and spam to rejected', async () => {
      const bySource = await commentsBySource(t, 'disqus');
      expect(bySource['9223372036854775800'].status).toBe('approved');
      expect(bySource['5000000000000000002'].status).toBe('pending');
      expect(bySource['9223372036854775803'].status).toBe('rejected');
      const mod = t.token('import-mod', 'moderator');
      const pending = expectStatus(
        await t.http().get('/api/moderation/queue/pending').set('Authorization', `Bearer ${mod}`),
        200,
      );
      expect(pending.items.map((c: any) => c.body)).toEqual(['Awaiting approval.']);
    });

    it('reads createdAt as UTC, with or without its Z', async () => {
      const bySource = await commentsBySource(t, 'disqus');
      expect(bySource['9223372036854775801'].created_at.toISOString()).toBe('2019-03-04T10:15:00.000Z');
      expect(bySource['9223372036854775800'].created_at.toISOString()).toBe('2019-03-04T09:30:00.000Z');
      expect(bySource['5000000000000000003'].created_at.toISOString()).toBe('2018-12-24T18:00:00.000Z');
    });

    it('makes users SOURCE:username, guests a stable hash, with display names', async () => {
      const bySource = await commentsBySource(t, 'disqus');
      expect(bySource['9223372036854775800']).toMatchObject({
        author_id: 'disqus:alice',
        author_name: 'Alice Example',
      });
      expect(bySource['9223372036854775805'].author_id).toMatch(/^disqus:guest-[0-9a-f]{16}$/);
      expect(bySource['9223372036854775805'].author_name).toBe('Guest Greta');
    });

    it('stores no email or IP address, and no text of deleted comments', async () => {
      const dump = await databaseDump(t);
      expect(dump).toContain('Alice Example');
      for (const secret of [
        'alice@mail.example',
        'greta@mail.example',
        'mail.example',
        '198.51.100.7',
        '198.51.100.10',
        'deleted by its author',
        'Deleted, and nobody replied',
      ]) {
        expect(dump).not.toContain(secret);
      }
    });

    it('leaves every count and reply count equal to a recount', async () => {
      await expectCountsRecounted(t);
      const budget = await articleByUrl(t, BUDGET_URL);
      const mod = t.token('import-mod', 'moderator');
      const article = expectStatus(
        await t.http().get(`/api/articles/${budget.id}`).set('Authorization', `Bearer ${mod}`),
        200,
      );
      expect(article.counts).toEqual({ visible: 4, pending: 1, published: 0, approved: 4, rejected: 1, reported: 0 });
    });

    it('records one entry in the moderation log: who, which file, what was imported and skipped', async () => {
      const mod = t.token('import-mod', 'moderator');
      const log = expectStatus(await t.http().get('/api/moderation/log').set('Authorization', `Bearer ${mod}`), 200);
      const entries = log.items.filter((e: any) => e.action === 'import');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ targetType: 'import', targetId: job.id, actor: { id: 'import-admin' } });
      expect(entries[0].reason).toContain('disqus file "disqus.xml": 8 comments imported');
      expect(entries[0].reason).toContain('3 skipped (deleted 1, threadSkipped 2)');
    });

    it('creates nothing twice when the same file is imported again', async () => {
      const before = await count(t, 'comments');
      const res = await uploadImport(t, admin, 'disqus.xml', { format: 'disqus' });
      const again = await finishedJob(t, admin, expectStatus(res, 202).id);
      expect(again.status).toBe('succeeded');
      expect(again.counts.comments).toMatchObject({ imported: 0, alreadyImported: 8 });
      expect(again.counts.threads).toMatchObject({ articlesCreated: 0, articlesMatched: 2 });
      expect(again.counts.users.created).toBe(0);
      expect(await count(t, 'comments')).toBe(before);
      await expectCountsRecounted(t);
    });
  });

  describe('WordPress exports from the command line', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('imports WXR 1.2 declared with https: states, types, dates and bodies', async () => {
      const { code, stdout, stderr } = await runImportCli(t, [
        '--format',
        'wordpress',
        fixture('wordpress-1.2-https.xml'),
      ]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Import [0-9a-f-]{36} succeeded\./);
      expect(stdout).toMatch(/comments imported\s+5\n/);
      expect(stdout).toMatch(/ {2}notComment\s+3\n/);

      const bySource = await commentsBySource(t, 'wordpress');
      expect(Object.keys(bySource).sort()).toEqual(['101', '102', '103', '104', '106']);
      expect(bySource['101']).toMatchObject({
        author_id: 'wordpress:editor',
        author_name: 'The Editor',
        status: 'approved',
        parent_id: null,
        body: 'Line one\nline two\n\nNew paragraph & a link to the plan (https://transit.example/plan).',
      });
      // comment_date_gmt, not the local comment_date
      expect(bySource['101'].created_at.toISOString()).toBe('2021-06-01T08:30:00.000Z');
      expect(bySource['102'].parent_source_id).toBe('101');
      expect(bySource['102'].author_id).toMatch(/^wordpress:guest-[0-9a-f]{16}$/);
      expect(bySource['103'].status).toBe('pending');
      expect(bySource['104'].status).toBe('rejected');
      expect(bySource['106'].parent_id).toBeNull(); // its parent was trashed

      const job = (await t.db.query(`SELECT * FROM import_jobs ORDER BY created_at DESC LIMIT 1`)).rows[0];
      expect(job.counts.comments).toMatchObject({
        read: 10,
        imported: 5,
        approved: 3,
        pending: 1,
        rejected: 1,
        madeTopLevel: 1,
        skipped: { trash: 1, notComment: 3, threadSkipped: 1 },
      });
      expect(job.counts.threads).toMatchObject({ read: 3, skippedDeleted: 1, articlesCreated: 1 });
      expect(job.actor_id).toBeNull();
      const log = (await t.db.query(`SELECT * FROM moderation_log WHERE action = 'import'`)).rows;
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ actor_id: null, target_type: 'import', target_id: job.id });

      const tram = await articleByUrl(t, TRAM_URL);
      expect(tram.title).toBe('Council approves the new tram line');
      await expectCountsRecounted(t);
      const dump = await databaseDump(t);
      expect(dump).not.toContain('harriet@mail.example');
      expect(dump).not.toContain('198.51.100.50');
      expect(dump).not.toContain('the tram line [');
    });

    it('imports WXR 1.0 declared with http, under another prefix', async () => {
      const { code, stderr } = await runImportCli(t, ['--format', 'wordpress', fixture('wordpress-1.0-http.xml')]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const bySource = await commentsBySource(t, 'wordpress');
      expect(bySource['3']).toMatchObject({ body: 'The river rose twice last winter.', author_name: 'Lena' });
      expect(bySource['3'].created_at.toISOString()).toBe('2010-02-01T11:00:00.000Z');
      expect(bySource['4'].parent_source_id).toBe('3');
      expect(bySource['4'].author_id).toBe(bySource['3'].author_id); // the same guest, by email
      expect((await articleByUrl(t, 'http://gazette.example/?p=7')).title).toBe('Flood defences');
      await expectCountsRecounted(t);
    });

    it('says what is wrong with its arguments', async () => {
      const unknown = await runImportCli(t, ['--format', 'livefyre', fixture('disqus.xml')]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('Unknown format "livefyre"');
      const missing = await runImportCli(t, ['--format', 'disqus', fixture('nothing-here.xml')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('Cannot read');
    });
  });

  describe('Commento and Remark42 exports', () => {
    let t: TestApp;
    let admin: string;

    beforeAll(async () => {
      t = await createTestApp();
      admin = t.token('import-admin', 'admin');
    });
    afterAll(() => t.close());

    it('imports a Commento export sent as JSON, its paths under --url-prefix, names from its commenters', async () => {
      const res = await uploadImport(
        t,
        admin,
        'commento.json',
        { format: 'commento', urlPrefix: 'https://www.blog.example/' },
        'application/json',
      );
      const job = await finishedJob(t, admin, expectStatus(res, 202).id);
      expect(job.status).toBe('succeeded');
      expect(job.counts.comments).toMatchObject({
        read: 5,
        imported: 5,
        approved: 2,
        pending: 2,
        tombstones: 1,
        madeTopLevel: 0,
      });
      expect(job.counts.users.created).toBe(3);
      const gardens = await articleByUrl(t, 'https://www.blog.example/2020/05/gardens');
      expect(gardens.title).toBe('https://www.blog.example/2020/05/gardens');
      const thread = await threadOldestFirst(t, gardens.id);
      expect(thread.map((c: any) => [c.body, c.author.name])).toEqual([
        ['Lovely gardens & a map (https://parks.example/map)', 'Mia Gardener'],
      ]);
      expect(thread[0].replies.map((c: any) => [c.body, c.author.name, c.createdAt])).toEqual([
        ['A reply, listed before the comment it answers.', 'Noah Builder', '2020-05-02T10:00:00.123Z'],
      ]);
      const bySource = await commentsBySource(t, 'commento');
      expect(bySource['b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf']).toMatchObject({
        status: 'pending',
        author_id: 'commento:anonymous',
      });
      expect(bySource['d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef']).toMatchObject({
        deleted: true,
        body: '',
      });
      expect(bySource['e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff'].status).toBe('pending');
      const dump = await databaseDump(t);
      expect(dump).not.toContain('mia@mail.example');
      expect(dump).not.toContain('[deleted]');
      await expectCountsRecounted(t);
    });

    it('imports a Remark42 backup: metadata line, one comment a line, read-only posts closed', async () => {
      const { code, stdout, stderr } = await runImportCli(t, ['--format', 'remark42', fixture('remark42.ndjson')]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/comments imported\s+4\n/);
      const lateNight = await articleByUrl(t, 'https://radio.example/shows/late-night');
      expect(lateNight).toMatchObject({ title: 'Late Night Show', closed: true });
      expect((await articleByUrl(t, 'https://radio.example/shows/morning')).closed).toBe(false);
      const bySource = await commentsBySource(t, 'remark42');
      const reply = bySource['7f3c1e2a-0b4d-4e5f-8a9b-1c2d3e4f5a6b'];
      expect(reply).toMatchObject({
        parent_source_id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
        author_id: 'remark42:google_a1b2c3',
        author_name: 'Olga',
        status: 'approved',
        body: 'Reply first, parent second — the playlist (https://radio.example/playlist)',
      });
      expect(reply.created_at.toISOString()).toBe('2021-01-10T21:05:00.000Z');
      expect(bySource['1a2b3c4d-0000-4000-8000-000000000001']).toMatchObject({ deleted: true, body: '' });
      expect(bySource['1a2b3c4d-0000-4000-8000-000000000002'].parent_source_id).toBe(
        '1a2b3c4d-0000-4000-8000-000000000001',
      );
      expect(await databaseDump(t)).not.toContain('5a2f0c9b8e7d');
      await expectCountsRecounted(t);
    });

    it('names the line and column of a Commento export that is not JSON', async () => {
      const res = await uploadImport(t, admin, 'disqus.xml', { format: 'commento' }, 'application/json');
      const job = await finishedJob(t, admin, expectStatus(res, 202).id);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/^line 1, column 1: Unexpected "<"/);
    });
  });

  describe('rules of a run', () => {
    let t: TestApp;

    beforeEach(async () => {
      t = await createTestApp();
    });
    afterEach(() => t.close());

    /** The budget story's article, made by the desk before any import. */
    async function createBudgetArticle() {
      const res = await t
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${t.token('desk', 'moderator')}`)
        .send({ url: BUDGET_URL, title: 'Our own title' });
      return expectStatus(res, 201);
    }

    it('--dry-run reports what would be imported and changes nothing', async () => {
      const { code, stdout } = await runImportCli(t, ['--dry-run', '--format', 'disqus', fixture('disqus.xml')]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Dry run: nothing was changed\./);
      expect(stdout).toMatch(/comments to import\s+8\n/);
      expect(stdout).toMatch(/ {2}tombstones\s+1\n/);
      for (const table of ['comments', 'articles', 'users', 'moderation_log', 'import_jobs', 'import_staged_comments'])
        expect(await count(t, table)).toBe(0);
    });

    it('imports for real after a dry run on the same pool of connections', async () => {
      const dataSource = t.app.get(DataSource);
      const run = (dryRun: boolean) =>
        runImport(dataSource, createReadStream(fixture('disqus.xml')), {
          format: 'disqus',
          fileName: 'disqus.xml',
          dryRun,
        });
      expect((await run(true)).counts.comments.imported).toBe(8);
      expect((await run(false)).counts.comments.imported).toBe(8);
      expect(await count(t, 'comments')).toBe(8);
      await expectCountsRecounted(t);
    });

    it('--skip-spam leaves spam out instead of rejecting it', async () => {
      const { code, stdout } = await runImportCli(t, ['--skip-spam', '--format', 'disqus', fixture('disqus.xml')]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/comments imported\s+7\n/);
      expect(stdout).toMatch(/ {2}spam\s+1\n/);
      expect(await count(t, 'comments', `status = 'rejected'`)).toBe(0);
      expect(await count(t, 'comments', `source_id = '9223372036854775803'`)).toBe(0);
    });

    it('matches an existing article by URL instead of creating one', async () => {
      const existing = await createBudgetArticle();
      const { code, stdout } = await runImportCli(t, ['--format', 'disqus', fixture('disqus.xml')]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/articles created\s+1\n/);
      expect(stdout).toMatch(/articles matched by URL\s+1\n/);
      const budget = await articleByUrl(t, BUDGET_URL);
      expect(budget).toMatchObject({ id: existing.id, title: 'Our own title' });
      expect(budget.counts.visible).toBe(4);
      await expectCountsRecounted(t);
    });

    it('matches an article under the form of its URL that the API stores', async () => {
      const existing = await createBudgetArticle();
      const crafted = 'https://NEWS.example:443/2019/03/./the-budget-explained/?utm_source=feed#comments';
      const file = join(mkdtempSync(join(tmpdir(), 'import-urls-')), 'disqus.xml');
      writeFileSync(file, readFileSync(fixture('disqus.xml'), 'utf8').replaceAll(BUDGET_URL, crafted));
      const { code, stdout } = await runImportCli(t, ['--format', 'disqus', file]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/articles matched by URL\s+1\n/);
      expect(expectStatus(await t.http().get(`/api/articles/${existing.id}`), 200).counts.visible).toBe(4);
      const { rows } = await t.db.query(`SELECT url FROM articles WHERE url ILIKE '%budget%'`);
      expect(rows.map((r) => r.url)).toEqual([BUDGET_URL]);
    });

    it("stores authors' names without directional overrides, as it stores names from tokens", async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'import-names-')), 'disqus.xml');
      writeFileSync(
        file,
        readFileSync(fixture('disqus.xml'), 'utf8').replace(
          '<name>Bob Builder</name>',
          '<name>\u202Egnp.exe\u2066</name>',
        ),
      );
      const { code } = await runImportCli(t, ['--format', 'disqus', file]);
      expect(code).toBe(0);
      const { rows } = await t.db.query(`SELECT name FROM users WHERE name LIKE '%gnp%'`);
      expect(rows).toEqual([{ name: 'gnp.exe' }]);
    });

    it('leaves no directional override in a name stored before names were cleaned', async () => {
      await t.db.query(`INSERT INTO users (id, name) VALUES ('old-reader', $1)`, ['\u202Egnp.exe\u202C (old)']);
      const runner = t.app.get(DataSource).createQueryRunner();
      try {
        await new NamesWithoutBidiControls1796170000040().up(runner);
      } finally {
        await runner.release();
      }
      const { rows } = await t.db.query(`SELECT name FROM users WHERE id = 'old-reader'`);
      expect(rows).toEqual([{ name: 'gnp.exe (old)' }]);
    });

    it('resumes an import stopped halfway without creating anything twice', async () => {
      const abort = new AbortController();
      await expect(
        runImport(t.app.get(DataSource), createReadStream(fixture('disqus.xml')), {
          format: 'disqus',
          fileName: 'disqus.xml',
          batchSize: 1,
          signal: abort.signal,
          onProgress: (state) => {
            if (state.counts.comments.imported >= 3) abort.abort(new Error('stopped halfway'));
          },
        }),
      ).rejects.toThrow('stopped halfway');
      const halfway = await count(t, 'comments');
      expect(halfway).toBeGreaterThanOrEqual(3);
      expect(halfway).toBeLessThan(8);

      const { code, stdout } = await runImportCli(t, ['--format', 'disqus', fixture('disqus.xml')]);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`already imported\\s+${halfway}\\n`));
      expect(await count(t, 'comments')).toBe(8);
      const bySource = await commentsBySource(t, 'disqus');
      expect(bySource['9223372036854775801'].parent_source_id).toBe('9223372036854775800');
      expect(bySource['9223372036854775805'].parent_source_id).toBe('9223372036854775804');
      await expectCountsRecounted(t);
    });

    it('fails on a malformed file naming the line and column, and imports nothing of it', async () => {
      const admin = t.token('import-admin', 'admin');
      const res = await uploadImport(t, admin, 'disqus-malformed.xml', { format: 'disqus' });
      const job = await finishedJob(t, admin, expectStatus(res, 202).id);
      expect(job.status).toBe('failed');
      expect(job.error).toBe('line 17, column 62: unexpected close tag.');
      expect(job.finishedAt).not.toBeNull();
      expect(await count(t, 'comments')).toBe(0);
      expect(await count(t, 'articles')).toBe(0);
      expect(await count(t, 'moderation_log', `action = 'import'`)).toBe(0);
      expect(await count(t, 'import_staged_comments')).toBe(0);

      const cli = await runImportCli(t, ['--format', 'disqus', fixture('disqus-malformed.xml')]);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/disqus-malformed\.xml failed: line 17, column 62: unexpected close tag\.\n$/);
    });

    it('refuses a file of another format with a clear error', async () => {
      const cli = await runImportCli(t, ['--format', 'disqus', fixture('wordpress-1.0-http.xml')]);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('this is not a Disqus export: its root element is <rss>');
    });

    it('answers bad uploads with problems, and keeps other routes to JSON', async () => {
      const admin = t.token('import-admin', 'admin');
      expectProblem(await uploadImport(t, admin, 'disqus.xml', { format: 'livefyre' }), 400, 'VALIDATION_FAILED');
      expectProblem(await uploadImport(t, admin, 'disqus.xml', {}), 400, 'VALIDATION_FAILED');
      expectProblem(
        await uploadImport(t, admin, 'disqus.xml', { format: 'disqus' }, 'text/plain'),
        400,
        'VALIDATION_FAILED',
      );
      const empty = await t
        .http()
        .post('/api/admin/imports')
        .query({ format: 'disqus' })
        .set('Authorization', `Bearer ${admin}`)
        .set('Content-Type', 'application/xml')
        .send('');
      expectProblem(empty, 400, 'VALIDATION_FAILED');
      expectProblem(
        await uploadImport(t, t.token('import-mod', 'moderator'), 'disqus.xml', { format: 'disqus' }),
        403,
        'FORBIDDEN',
      );
      const xmlElsewhere = await t
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${t.token('desk', 'moderator')}`)
        .set('Content-Type', 'application/xml')
        .send('<article/>');
      expectProblem(xmlElsewhere, 400, 'VALIDATION_FAILED');
      const unknown = await t
        .http()
        .get('/api/admin/imports/00000000-0000-4000-8000-000000000000')
        .set('Authorization', `Bearer ${admin}`);
      expectProblem(unknown, 404, 'NOT_FOUND');
      expect(await count(t, 'import_jobs')).toBe(0);
    });
  });
});
