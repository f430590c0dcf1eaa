import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { exportCli } from '../src/exports/export-cli';
import { Api, expectStatus } from './support/comments-helpers';
import { expectCountsRecounted, fixture, runImportCli, uploadImport, finishedJob } from './support/imports';
import { until } from './support/expect';
import { createTestApp, TestApp } from './support/test-app';

/** `npm run export -- FILE` against an app's database. */
async function exportTo(t: TestApp, file: string) {
  process.env.DATABASE_URL = t.databaseUrl;
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (c) => (stderr += c));
  const code = await exportCli([file], { out: new PassThrough(), err });
  return { code, stderr };
}

describe('exports (e2e)', () => {
  let source: TestApp;
  let target: TestApp;
  let api: Api;
  let admin: string;
  let mod: string;
  const readers = ['ex-reader-1', 'ex-reader-2', 'ex-reader-3'];
  let articleIds: string[] = [];
  let exported: string;
  let file: string;
  let importJobId: string;

  beforeAll(async () => {
    source = await createTestApp();
    api = new Api(source);
    admin = source.token('ex-admin', 'admin');
    mod = source.token('ex-mod', 'moderator');
    const [r1, r2, r3] = readers.map((id) => source.token(id));
    expectStatus(await api.putSettings(admin, { maxLinks: 3, suspectWords: ['hmm'] }), 200);
    const a = await api.createArticle(mod);
    const b = await api.createArticle(mod, { moderationMode: 'pre', externalId: 'cms-4711' });
    const c = await api.createArticle(mod);
    expectStatus(await api.patchArticle(mod, a.id, { disclaimer: { text: 'Our own disclaimer' } }), 200);
    const c1 = await api.comment(r1, a.id, 'First, and plain.');
    const c2 = await api.comment(r2, a.id, 'A reply to the first.', c1.id);
    await api.comment(r1, a.id, 'A reply to the reply.', c2.id);
    const c4 = await api.comment(r3, a.id, 'Before an edit');
    expectStatus(await api.edit(r3, c4.id, 'After an edit'), 200);
    const c5 = await api.comment(r2, a.id, 'To be deleted by its author');
    await api.comment(r1, a.id, 'Replying before the deletion', c5.id);
    expectStatus(await api.remove(r2, c5.id), 204);
    // What COPY would escape or quote, and the bytes the export's lines are delimited with.
    await api.comment(r2, b.id, 'Quotes " and \\ backslashes,\ta tab,\r\nlines, \u0001\u0002 controls and \\. alone');
    const c7 = await api.comment(r3, a.id, 'Reported twice');
    expectStatus(await api.report(r1, c7.id), 201);
    expectStatus(
      await source
        .http()
        .post(`/api/comments/${c7.id}/reports`)
        .set('Authorization', `Bearer ${r2}`)
        .send({ reason: 'abuse', note: 'Not nice' }),
      201,
    );
    const c8 = await api.comment(r2, a.id, 'To be rejected');
    expectStatus(await api.reject(mod, c8.id, { reason: 'off topic' }), 200);
    await api.comment(r1, a.id, 'hmm, held for a suspect word');
    const held = await api.comment(r1, b.id, 'Held by pre-moderation');
    await api.comment(r2, b.id, 'Also held');
    expectStatus(await api.approve(mod, held.id), 200);
    await api.comment(r3, c.id, 'On the article that closes');
    expectStatus(await api.closeArticle(mod, c.id, 'Closed for the night'), 200);
    expectStatus(await api.ban(mod, 'ex-reader-3', { reason: 'Repeated abuse' }), 200);
    expectStatus(
      await source
        .http()
        .post('/api/moderation/users/ex-reader-2/premod')
        .set('Authorization', `Bearer ${mod}`)
        .send({ enabled: true }),
      200,
    );
    const disqus = await uploadImport(source, admin, 'disqus.xml', { format: 'disqus', fileName: 'disqus.xml' });
    expect((await finishedJob(source, admin, expectStatus(disqus, 202).id)).status).toBe('succeeded');
    articleIds = (await source.db.query(`SELECT id FROM articles ORDER BY id`)).rows.map((r) => r.id);

    const res = await source.http().get('/api/admin/export').set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    exported = res.text;
    file = join(folder(), 'export.ndjson');
    writeFileSync(file, exported);

    // Into an empty database, before the app there has answered anything.
    target = await createTestApp();
    const imported = await runImportCli(target, ['--format', 'comment-desk', file]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    importJobId = /^Import ([0-9a-f-]{36}) succeeded/.exec(imported.stdout)![1];
  });
  const folders: string[] = [];
  /** A temporary folder, removed after the tests. */
  const folder = () => {
    folders.push(mkdtempSync(join(tmpdir(), 'comment-desk-export-')));
    return folders[folders.length - 1];
  };
  afterAll(async () => {
    await source?.close();
    await target?.close();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  it('streams NDJSON: a header, then settings, users, articles, comments with revisions, reports and the log', () => {
    const lines = exported
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'header', format: 'comment-desk', version: 1 });
    const types = lines.slice(1).map((l) => l.type);
    expect([...new Set(types)]).toEqual(['settings', 'user', 'article', 'comment', 'report', 'log']);
    expect(types.filter((t) => t === 'article')).toHaveLength(articleIds.length);
    const edited = lines.find((l) => l.type === 'comment' && l.data.body === 'After an edit');
    expect(edited.revisions).toEqual([expect.objectContaining({ body: 'Before an edit' })]);
    expect(lines.find((l) => l.type === 'comment' && l.data.source_id === '9223372036854775800')).toBeDefined();
  });

  it('npm run export writes the same lines to a file', async () => {
    const out = join(folder(), 'cli.ndjson');
    const { code, stderr } = await exportTo(source, out);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Exported 21 comments to .*cli\.ndjson in [\d.]+ s/);
    const withoutHeader = (text: string) => text.split('\n').slice(1);
    expect(withoutHeader(readFileSync(out, 'utf8'))).toEqual(withoutHeader(exported));
  });

  it('imported elsewhere, gives the same answers from every read endpoint', async () => {
    const tokens = {
      anonymous: undefined,
      moderator: source.token('ex-mod', 'moderator'),
      reader: source.token('ex-reader-1'),
    };
    const paths: string[] = ['/api/articles?limit=100', '/api/articles?closed=true', '/api/moderation/settings'];
    const { rows: comments } = await source.db.query(`SELECT id FROM comments ORDER BY id`);
    const { rows: users } = await source.db.query(`SELECT id, url FROM articles ORDER BY id`);
    for (const id of articleIds) {
      paths.push(`/api/articles/${id}`);
      for (const sort of ['oldest', 'newest']) {
        paths.push(`/api/articles/${id}/comments?sort=${sort}`, `/api/articles/${id}/comments?sort=${sort}&limit=2`);
      }
    }
    for (const { url } of users) paths.push(`/api/articles?url=${encodeURIComponent(url)}`);
    for (const { id } of comments) paths.push(`/api/comments/${id}`, `/api/comments/${id}/replies`);
    for (const q of ['pending', 'reported', 'unmoderated', 'approved', 'rejected'])
      paths.push(`/api/moderation/queue/${q}?limit=100`);
    const { rows: userIds } = await source.db.query(`SELECT id FROM users ORDER BY id`);
    for (const { id } of userIds) paths.push(`/api/moderation/users/${encodeURIComponent(id)}`);

    let compared = 0;
    for (const path of paths) {
      for (const [who, token] of Object.entries(tokens)) {
        const ask = (t: TestApp) => {
          const req = t.http().get(path);
          return token ? req.set('Authorization', `Bearer ${token}`) : req;
        };
        const [a, b] = await Promise.all([ask(source), ask(target)]);
        expect({ who, path, status: b.status, body: b.body }).toEqual({ who, path, status: a.status, body: a.body });
        if (a.status === 200) compared++;
      }
    }
    expect(compared).toBeGreaterThan(150);

    // The log: the same entries, in the same order, and one more for the import itself.
    const log = async (t: TestApp) =>
      expectStatus(
        await t.http().get('/api/moderation/log?limit=100').set('Authorization', `Bearer ${tokens.moderator}`),
        200,
      ).items;
    const [before, after] = await Promise.all([log(source), log(target)]);
    expect(after[0]).toMatchObject({ action: 'import', targetId: importJobId, actor: null });
    expect(after.slice(1)).toEqual(before);

    for (const id of readers) {
      const data = async (t: TestApp) => {
        const body = expectStatus(
          await t
            .http()
            .get('/api/me/data')
            .set('Authorization', `Bearer ${source.token(id)}`),
          200,
        );
        return { ...body, exportedAt: undefined };
      };
      expect(await data(target)).toEqual(await data(source));
    }
    await expectCountsRecounted(target);
  });

  it('imports nothing twice when the export is imported again', async () => {
    const again = await runImportCli(target, ['--format', 'comment-desk', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/comments imported\s+0\n/);
    expect(again.stdout).toMatch(/already imported\s+21\n/);
    const n = async (t: TestApp, table: string) =>
      Number((await t.db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
    for (const table of ['comments', 'articles', 'users', 'comment_revisions', 'reports'])
      expect(await n(target, table)).toBe(await n(source, table));
    expect(await n(target, 'moderation_log')).toBe((await n(source, 'moderation_log')) + 2);
    await expectCountsRecounted(target);
  });

  it('refuses a file that is not one of its exports, naming the line', async () => {
    const bad = join(folder(), 'bad.ndjson');
    writeFileSync(bad, `${exported.split('\n')[0]}\n{"type":"user","data":{"id":"x"}}\n{"type": "user", oops}\n`);
    const res = await runImportCli(target, ['--format', 'comment-desk', bad]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/failed: line 3, column \d+: not a JSON object\n$/);
    const notOurs = await runImportCli(target, ['--format', 'comment-desk', fixture('disqus.xml')]);
    expect(notOurs.stderr).toMatch(/failed: line 1, column \d+: not a JSON object/);
  });

  it('ends its work in the database when the reader goes away mid-stream', async () => {
    // Ten megabytes of users: more than the sockets between PostgreSQL and the reader can hold.
    await source.db.query(
      `INSERT INTO users (id, name) SELECT 'ex-bulk-' || i, repeat('n', 1000) FROM generate_series(1, 10000) i`,
    );
    const exporting = () =>
      source.db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND query LIKE 'COPY (%'`,
      );
    // The reader takes the first bytes, then stops reading (PostgreSQL's COPY then waits on it), then leaves.
    let response!: Readable;
    await new Promise<void>((firstBytes) => {
      source
        .http()
        .get('/api/admin/export')
        .set('Authorization', `Bearer ${admin}`)
        .buffer(true)
        .parse((res, done) => {
          response = res as unknown as Readable;
          response.once('data', () => {
            response.pause();
            firstBytes();
          });
          response.once('close', () => done(null, null));
        })
        .catch(() => undefined);
    });
    try {
      await until('the COPY to run', 10_000, async () => (await exporting()).rows[0].n === 1);
    } finally {
      response.destroy();
    }
    await until('the COPY to end', 10_000, async () => (await exporting()).rows[0].n === 0);
  });
});
