import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { runMigrationsLocked } from '../src/database/migrate';
import { createTestApp, createTestDatabase, Role, TEST_JWT_SECRET, TestApp } from './support/test-app';
import { appRoutes, Level, ROUTES, WEB_ROUTES, webRoutes } from './support/routes';
import { expectProblem } from './support/expect';

const RANK: Record<Level, number> = { public: 0, user: 1, moderator: 2, admin: 3 };
const ROLE_RANK: Record<Role, number> = { commenter: 1, moderator: 2, admin: 3 };

const concrete = (path: string) =>
  path
    .replace(':queue', 'pending')
    .replace(':id', path.includes('/users/') ? 'someone' : '00000000-0000-4000-8000-000000000000');

describe('the platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://news.example, https://other.example' });
  });
  afterAll(async () => {
    await t.close();
    delete process.env.CORS_ORIGINS;
  });

  describe('who may do what', () => {
    it('lists every route of the app in the access table', () => {
      expect(appRoutes(t).sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
    });

    it.each(ROUTES)('%s %s is for %s', async (method, path, level) => {
      const url = concrete(path);
      const call = (role?: Role) => {
        const req = t.http()[method.toLowerCase() as 'get'](url);
        // An event stream never ends: its status and headers are the answer.
        if (path.endsWith('/stream'))
          req.buffer(true).parse((res, done) => {
            let text = '';
            if (/^text\/event-stream/.test(res.headers['content-type'] ?? '')) {
              done(null, {});
              return (res as unknown as IncomingMessage).destroy();
            }
            res.on('data', (chunk: Buffer) => (text += chunk));
            res.on('end', () => done(null, text ? JSON.parse(text) : {}));
          });
        return role ? req.set('Authorization', `Bearer ${t.token(`${role}-1`, role)}`) : req;
      };
      const anonymous = await call();
      if (level === 'public') expect([401, 403]).not.toContain(anonymous.status);
      else expectProblem(anonymous, 401, 'UNAUTHENTICATED');
      for (const role of ['commenter', 'moderator', 'admin'] as Role[]) {
        const res = await call(role);
        if (ROLE_RANK[role] < RANK[level]) expectProblem(res, 403, 'FORBIDDEN');
        else expect([401, 403]).not.toContain(res.status);
        expect(res.status).toBeLessThan(500);
      }
    });
  });

  describe('tokens', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    /** Signed with the test secret, expiring in an hour unless the claims say otherwise. */
    const signed = (claims: object) => jwt.sign({ exp: now() + 3600, ...claims }, TEST_JWT_SECRET);
    const bad: [string, () => string, string][] = [
      [
        'alg none',
        () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'eve', role: 'admin', exp: now() + 3600 })}.`,
        'The bearer token is not valid',
      ],
      [
        'RS256 where HS256 is expected',
        () => jwt.sign({ sub: 'eve' }, privateKey, { algorithm: 'RS256', expiresIn: '1h' }),
        'The bearer token is not valid',
      ],
      [
        'a wrong key',
        () => jwt.sign({ sub: 'eve' }, 'another-secret-of-some-length', { expiresIn: '1h' }),
        'The bearer token is not valid',
      ],
      ['expired', () => signed({ sub: 'eve', exp: now() - 60 }), 'The bearer token has expired: sign in again'],
      ['not yet valid', () => signed({ sub: 'eve', nbf: now() + 3600 }), 'The bearer token is not valid yet (nbf)'],
      [
        'no exp',
        () => jwt.sign({ sub: 'eve', role: 'admin' }, TEST_JWT_SECRET),
        'The bearer token has no exp claim: tokens must say when they expire',
      ],
      [
        'an exp that is not a number',
        () => jwt.sign(JSON.stringify({ sub: 'eve', exp: 'never' }), TEST_JWT_SECRET),
        'The bearer token is not valid',
      ],
      ['no sub', () => signed({ name: 'eve' }), 'The token has no usable sub claim'],
      ['an empty sub', () => signed({ sub: '' }), 'The token has no usable sub claim'],
      ['a numeric sub', () => signed({ sub: 42 }), 'The token has no usable sub claim'],
      ['an absurdly long sub', () => signed({ sub: 'x'.repeat(5000) }), 'The token has no usable sub claim'],
      ['an unknown role', () => signed({ sub: 'eve', role: 'superuser' }), 'The token has an unknown role'],
      [
        'a name that is not text',
        () => signed({ sub: 'eve', name: { first: 'e' } }),
        'The token has an unusable name claim',
      ],
      ['garbage', () => 'not.a.token', 'The bearer token is not valid'],
    ];
    it.each(bad)('refuses %s with 401 saying why', async (_, make, detail) => {
      const res = await t
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${make()}`)
        .send({ url: 'https://e.example/x', title: 'x' });
      expect(expectProblem(res, 401, 'UNAUTHENTICATED').detail).toBe(detail);
    });

    it('refuses a bad token even on public routes, and malformed Authorization headers', async () => {
      expectProblem(
        await t.http().get('/api/health').set('Authorization', 'Bearer not.a.token'),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await t.http().get('/api/health').set('Authorization', 'Basic dXNlcjpwYXNz'),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('accepts the tokens that npm run token prints', async () => {
      const token = execFileSync(process.execPath, ['scripts/token.mjs', '--sub', 'cli-mod', '--role', 'moderator'], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, JWT_SECRET: TEST_JWT_SECRET },
      })
        .toString()
        .trim();
      const res = await t
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${token}`)
        .send({ url: 'https://e.example/cli', title: 'From the CLI' });
      expect(res.status).toBe(201);
    });

    it('ignores a role smuggled in a body field', async () => {
      const res = await t
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${t.token('mallory')}`)
        .send({ url: 'https://e.example/r', title: 'x', role: 'admin' });
      expect(res.status).toBe(403);
    });
  });

  describe('tokens with RS256, issuer and audience', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    let rs: TestApp;
    beforeAll(async () => {
      rs = await createTestApp({
        JWT_PUBLIC_KEY: pem,
        JWT_ISSUER: 'https://login.example',
        JWT_AUDIENCE: 'comment-desk',
      });
    });
    afterAll(async () => {
      await rs.close();
      for (const key of ['JWT_PUBLIC_KEY', 'JWT_ISSUER', 'JWT_AUDIENCE']) delete process.env[key];
    });
    const sign = (claims: object, options: jwt.SignOptions = {}) =>
      jwt.sign(claims, privateKey, {
        algorithm: 'RS256',
        expiresIn: '1h',
        issuer: 'https://login.example',
        audience: 'comment-desk',
        ...options,
      });
    const create = (token: string) =>
      rs
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${token}`)
        .send({ url: `https://e.example/${Math.random()}`, title: 'x' });

    it('accepts a token signed with the private key', async () => {
      expect((await create(sign({ sub: 'mod', role: 'moderator' }))).status).toBe(201);
    });
    it('refuses HS256 signed with the public key (key confusion), a wrong issuer and a wrong audience', async () => {
      expectProblem(
        await create(jwt.sign({ sub: 'mod', role: 'moderator' }, pem, { algorithm: 'HS256', expiresIn: '1h' })),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await create(sign({ sub: 'mod', role: 'moderator' }, { issuer: 'https://evil.example' })),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await create(sign({ sub: 'mod', role: 'moderator' }, { audience: 'other' })),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  describe('the embed and the demo pages', () => {
    it('serves the built embed and the demo pages beside the API, and nothing else outside /api', () => {
      expect(webRoutes(t).sort()).toEqual([...WEB_ROUTES].sort());
    });

    it('serves one icon, also to browsers that ask for /favicon.ico; / is a page only under npm start', async () => {
      const icon = await t.http().get('/favicon.svg');
      expect(icon.status).toBe(200);
      expect(icon.headers['content-type']).toBe('image/svg+xml');
      const ico = await t.http().get('/favicon.ico');
      expect([ico.status, ico.headers.location]).toEqual([301, '/favicon.svg']);
      expectProblem(await t.http().get('/'), 404, 'NOT_FOUND');
    });

    it("serves embed.js to other sites, compressed when the browser accepts it, with helmet's headers", async () => {
      const res = await t.http().get('/embed.js').set('Accept-Encoding', 'br');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^(application|text)\/javascript/);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      const plain = await t.http().get('/embed.js').set('Accept-Encoding', 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.text).toContain('comment-desk-thread');
    });

    it('serves the demo pages under a strict CSP: no inline script, no eval', async () => {
      for (const path of ['/demo', '/demo/', '/demo/index.html', '/demo/closed.html', '/demo/evening.html']) {
        const res = await t.http().get(path);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toMatch(/unsafe-(inline|eval)/);
        expect(res.text).toContain('<comment-desk-thread');
        expect(res.text).not.toMatch(/<script>|<script [^>]*>[^<]|<style|style=|\son\w+=/);
      }
      expectProblem(await t.http().get('/demo/nothing.html'), 404, 'NOT_FOUND');
    });

    it("lets the publishers' origins write, revalidate and read ETag and Retry-After across origins", async () => {
      const preflight = await t
        .http()
        .options('/api/comments/00000000-0000-4000-8000-000000000000')
        .set('Origin', 'https://news.example')
        .set('Access-Control-Request-Method', 'PATCH')
        .set('Access-Control-Request-Headers', 'authorization, content-type, if-none-match, last-event-id');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-methods']).toMatch(/PATCH/);
      expect(preflight.headers['access-control-allow-methods']).toMatch(/DELETE/);
      expect(preflight.headers['access-control-allow-headers']).toMatch(/If-None-Match/i);
      expect(preflight.headers['access-control-allow-headers']).toMatch(/Last-Event-ID/i);
      const read = await t.http().get('/api/health').set('Origin', 'https://news.example');
      expect(read.headers['access-control-expose-headers']).toMatch(/ETag/);
      expect(read.headers['access-control-expose-headers']).toMatch(/Retry-After/);
    });
  });

  describe('errors', () => {
    const postArticle = (raw: string) =>
      t
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${t.token('mod', 'moderator')}`)
        .set('Content-Type', 'application/json')
        .send(raw);
    it('answers unknown routes and methods with 404 problem+json', async () => {
      expectProblem(await t.http().get('/api/nothing-here'), 404, 'NOT_FOUND');
      expectProblem(await t.http().get('/elsewhere'), 404, 'NOT_FOUND');
    });
    it('answers malformed JSON with 400 and an oversized body with 413', async () => {
      expectProblem(await postArticle('{"url":'), 400, 'VALIDATION_FAILED');
      const huge = JSON.stringify({ url: 'https://e.example/big', title: 'x'.repeat(2 * 1024 * 1024) });
      expectProblem(await postArticle(huge), 413, 'PAYLOAD_TOO_LARGE');
    });
    it('answers a JSON body that is not an object with 400', async () => {
      for (const body of ['[]', '"text"', '42', 'null']) {
        expectProblem(await postArticle(body), 400, 'VALIDATION_FAILED');
      }
    });
    it.each([
      ['JSON that ends early', '{"url":', 'application/json', 'The body is not valid JSON: it ends too early'],
      [
        'JSON with a trailing comma',
        '{"url":"x",}',
        'application/json',
        'The body is not valid JSON: see character 12',
      ],
      ['JSON with NaN', '{"url":NaN}', 'application/json', 'The body is not valid JSON: "N" is unexpected'],
      [
        'a __proto__ key',
        '{"__proto__":{"x":1},"url":"https://e.example/p","title":"t"}',
        'application/json',
        'The body must not have "__proto__" or "constructor": {"prototype": …} keys',
      ],
      [
        'an array',
        '[{"url":"https://e.example/a","title":"t"}]',
        'application/json',
        'The body must be a JSON object, not an array',
      ],
      ['a string', '"text"', 'application/json', 'The body must be a JSON object, not a string'],
      [
        'text/plain',
        '{"url":"https://e.example/t","title":"t"}',
        'text/plain',
        'The body must be JSON, with Content-Type: application/json, not "text/plain"',
      ],
      [
        'an upload type',
        '{"url":"https://e.example/t","title":"t"}',
        'application/x-ndjson',
        'The body must be JSON, with Content-Type: application/json, not "application/x-ndjson"',
      ],
      ['an empty body', '', 'application/json', 'url: url is required; title: title is required'],
      ['a field left out', '{"url":"https://e.example/m"}', 'application/json', 'title: title is required'],
      [
        'a number for a text',
        '{"url":"https://e.example/n","title":5}',
        'application/json',
        'title: title must be a string',
      ],
      ['a number for a URL', '{"url":5,"title":"t"}', 'application/json', 'url: url must be a URL address'],
      [
        'an unknown field',
        '{"url":"https://e.example/u","title":"t","colour":"red"}',
        'application/json',
        'colour: property colour should not exist',
      ],
    ])('says what to fix in a 400 for %s', async (_, raw, type, detail) => {
      const res = await postArticle(raw).set('Content-Type', type);
      expect(expectProblem(res, 400, 'VALIDATION_FAILED').detail).toBe(detail);
    });
    it('says what to fix in a 400 for a text where a number goes, in a body or a query', async () => {
      const admin = `Bearer ${t.token('admin', 'admin')}`;
      const settings = await t
        .http()
        .put('/api/moderation/settings')
        .set('Authorization', admin)
        .send({ maxLinks: '5' });
      expect(expectProblem(settings, 400, 'VALIDATION_FAILED').detail).toBe(
        'maxLinks: maxLinks must be an integer number',
      );
      const page = await t
        .http()
        .get('/api/moderation/queue/pending?limit=abc')
        .set('Authorization', `Bearer ${t.token('mod', 'moderator')}`);
      expect(expectProblem(page, 400, 'VALIDATION_FAILED').detail).toBe('limit: limit must be an integer number');
      const upload = await t
        .http()
        .post('/api/admin/imports?format=disqus')
        .set('Authorization', admin)
        .set('Content-Type', 'text/plain')
        .send('<disqus/>');
      expect(expectProblem(upload, 400, 'VALIDATION_FAILED').detail).toBe(
        'The export file\'s Content-Type must be application/xml, text/xml, application/json, application/x-ndjson or application/octet-stream, not "text/plain"',
      );
    });
    it('reads bodies sent gzip, deflate or br, and refuses other codings with 400', async () => {
      const json = (n: number) => JSON.stringify({ url: `https://news.example/encoded-${n}`, title: 'Encoded' });
      const encoders = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };
      let n = 0;
      for (const [coding, encode] of Object.entries(encoders)) {
        const res = await t
          .http()
          .post('/api/articles')
          .set('Authorization', `Bearer ${t.token('mod', 'moderator')}`)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', coding)
          .serialize((bytes) => bytes) // as they are: supertest would turn a Buffer into JSON
          .send(encode(json(++n)));
        expect({ coding, status: res.status, url: res.body.url }).toEqual({
          coding,
          status: 201,
          url: `https://news.example/encoded-${n}`,
        });
      }
      const unknown = await postArticle(json(++n)).set('Content-Encoding', 'compress');
      expectProblem(unknown, 400, 'VALIDATION_FAILED');
      const corrupt = await postArticle('not gzip at all').set('Content-Encoding', 'gzip');
      expect(expectProblem(corrupt, 400, 'VALIDATION_FAILED').detail).toBe(
        'The body could not be decoded: it is not gzip as its Content-Encoding says',
      );
      // A coding named on a request without a body changes nothing.
      expect((await t.http().get('/api/health').set('Content-Encoding', 'compress')).status).toBe(200);
    });
    it('answers a bad UUID in the path with 400', async () => {
      expectProblem(await t.http().get('/api/articles/not-a-uuid'), 400, 'VALIDATION_FAILED');
      expectProblem(await t.http().get('/api/comments/123/replies'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('browsers', () => {
    it("allows the configured publishers' origins, and no others", async () => {
      const allowed = await t
        .http()
        .options('/api/articles')
        .set('Origin', 'https://news.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://news.example');
      const other = await t
        .http()
        .options('/api/articles')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
    it('sends security headers with JSON', async () => {
      const res = await t.http().get('/api/health');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('service', () => {
    it('reports health with a database ping', async () => {
      const res = await t.http().get('/api/health');
      expect(res.status).toBe(200);
      expect(res.body.info.database.status).toBe('up');
    });
    it('serves the OpenAPI document and the interactive docs', async () => {
      const doc = await t.http().get('/api/docs-json');
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/api/articles', '/api/articles/{id}/comments', '/api/moderation/bulk']),
      );
      const ui = await t.http().get('/api/docs/');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    });
  });

  describe('schema', () => {
    it('has entities that agree with the migrated schema', async () => {
      const dataSource = new DataSource(dataSourceOptions(t.databaseUrl));
      await dataSource.initialize();
      try {
        // Entities are found by their file names: an empty list would agree with any schema.
        expect(dataSource.entityMetadatas.map((m) => m.tableName).sort()).toEqual([
          'articles',
          'comment_revisions',
          'comments',
          'idempotency_keys',
          'import_jobs',
          'installation_keys',
          'moderation_events',
          'moderation_log',
          'moderation_settings',
          'rate_limit_buckets',
          'reports',
          'sessions',
          'sign_in_attempts',
          'site_members',
          'sites',
          'thread_events',
          'user_notes',
          'users',
        ]);
        const diff = await dataSource.driver.createSchemaBuilder().log();
        expect(diff.upQueries.map((q) => q.query)).toEqual([]);
      } finally {
        await dataSource.destroy();
      }
    });

    it('migrates one empty database from several instances at once', async () => {
      const url = await createTestDatabase();
      const admin = new DataSource(dataSourceOptions(url));
      await admin.initialize();
      await admin.query('DROP SCHEMA public CASCADE; DROP SCHEMA pgboss CASCADE; CREATE SCHEMA public');
      const instances = [0, 1, 2].map(() => new DataSource(dataSourceOptions(url)));
      try {
        await Promise.all(instances.map((d) => d.initialize()));
        const applied = await Promise.all(instances.map((d) => runMigrationsLocked(d)));
        // One instance applied every migration; the others, waiting on the lock, found none left.
        expect(applied.filter((names) => names.length > 0)).toHaveLength(1);
        expect(applied.flat()).toEqual(expect.arrayContaining(['InitialSchema1764316800000']));
        const [{ n }] = await admin.query('SELECT count(*)::int AS n FROM moderation_settings');
        expect(n).toBe(1);
      } finally {
        await Promise.all([admin, ...instances].map((d) => d.destroy()));
      }
    });

    it('keeps the moderation log append-only', async () => {
      await t.db.query(`INSERT INTO moderation_log (action, target_type, target_id) VALUES ('test', 'settings', '1')`);
      await expect(t.db.query(`UPDATE moderation_log SET reason = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`DELETE FROM moderation_log`)).rejects.toThrow(/append-only/);
    });
  });
});
