import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { expectProblem, expectStatus } from './support/expect';
import { createTestApp, Role, TestApp } from './support/test-app';

const run = promisify(execFile);
const SECRET_B = 'site-b-secret-that-is-at-least-32-characters';
const SECRET_C = 'site-c-secret-that-is-at-least-32-characters';

/**
 * The admin API of sites (who makes and changes them, the roles granted on them, all of it in the
 * moderation log), the sites' origins (CORS for any site's, the refusal of another's), the sites
 * in /api/me, and `npm run token -- --site`.
 */
describe('sites through the admin API (e2e)', () => {
  let t: TestApp;
  const org = () => t.token('org-admin', 'admin');
  const tokenOf = (secret: string, sub: string, role: Role = 'commenter') =>
    jwt.sign({ sub, role, name: `${sub} name` }, secret, { algorithm: 'HS256', expiresIn: '1h' });
  const as = <T extends { set(name: string, value: string): T }>(req: T, token: string, site?: string) => {
    req.set('Authorization', `Bearer ${token}`);
    return site ? req.set('Comment-Desk-Site', site) : req;
  };
  const createSite = (body: object, token = org()) => as(t.http().post('/api/admin/sites'), token).send(body);
  const logOf = async (siteId: number) =>
    (
      await t.db.query(
        `SELECT action, actor_id, target_id, reason FROM moderation_log WHERE target_type = 'site' AND site_id = $1 ORDER BY seq`,
        [siteId],
      )
    ).rows;

  let b: { id: number; key: string };
  let c: { id: number; key: string };

  beforeAll(async () => {
    t = await createTestApp();
    b = expectStatus(
      await createSite({
        key: 'daily-b',
        name: 'The Daily B',
        origins: ['HTTPS://B.Example:443', 'http://localhost:8080'],
        identity: { secrets: [SECRET_B], audience: 'comment-desk' },
      }),
      201,
    );
    c = expectStatus(
      await createSite({
        key: 'weekly-c',
        name: 'The Weekly C',
        origins: ['https://c.example'],
        identity: { secrets: [SECRET_C] },
      }),
      201,
    );
  });
  afterAll(() => t.close());

  const tokenB = (sub: string, role: Role = 'commenter') =>
    jwt.sign({ sub, role, name: `${sub} name` }, SECRET_B, {
      algorithm: 'HS256',
      expiresIn: '1h',
      audience: 'comment-desk',
    });

  describe('sites', () => {
    it('makes a site with its settings row and a log entry, its origins normalized and its secrets never sent back', async () => {
      const res = await createSite({
        key: 'morning-post',
        name: 'Morning Post',
        origins: ['https://Morning.Example', 'http://127.0.0.1:5173'],
        identity: { secrets: ['m'.repeat(40)], issuer: 'https://login.morning.example/' },
      });
      const site = expectStatus(res, 201);
      expect(site).toEqual({
        id: expect.any(Number),
        key: 'morning-post',
        name: 'Morning Post',
        origins: ['https://morning.example', 'http://127.0.0.1:5173'],
        environmentOrigins: [],
        identity: {
          issuer: 'https://login.morning.example/',
          secretFingerprints: [expect.stringMatching(/^[0-9a-f]{12}$/)],
        },
        role: 'admin',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(res.text).not.toContain('m'.repeat(32));

      const settings = await t.db.query(
        `SELECT s.rate_limits = first.rate_limits AS same_limits, s.default_moderation_mode, s.version
         FROM moderation_settings s, moderation_settings first WHERE s.id = $1 AND first.id = 1`,
        [site.id],
      );
      expect(settings.rows).toEqual([{ same_limits: true, default_moderation_mode: 'post', version: 1 }]);
      expect(await logOf(site.id)).toEqual([
        { action: 'create_site', actor_id: 'org-admin', target_id: String(site.id), reason: 'created morning-post' },
      ]);
    });

    it('lists every site to an organisation admin, and to others the sites where they hold a role', async () => {
      const all = expectStatus(await as(t.http().get('/api/admin/sites'), org()), 200);
      expect(all.items.map((s: { key: string }) => s.key)).toEqual(
        expect.arrayContaining(['default', 'daily-b', 'weekly-c']),
      );
      expect(all.items.every((s: { role: string }) => s.role === 'admin')).toBe(true);
      expect(JSON.stringify(all)).not.toContain(SECRET_B);

      const own = expectStatus(
        await as(t.http().get('/api/admin/sites'), tokenB('b-editor', 'moderator'), 'daily-b'),
        200,
      );
      expect(own.items).toEqual([
        expect.objectContaining({
          key: 'daily-b',
          role: 'moderator',
          origins: ['https://b.example', 'http://localhost:8080'],
        }),
      ]);
      expectProblem(await as(t.http().get('/api/admin/sites'), tokenB('b-reader'), 'daily-b'), 403, 'FORBIDDEN');
      expectProblem(await t.http().get('/api/admin/sites'), 401, 'UNAUTHENTICATED');
    });

    it('reads one site for those who hold a role on it, and answers 404 for another', async () => {
      const site = expectStatus(
        await as(t.http().get('/api/admin/sites/daily-b'), tokenB('b-boss', 'admin'), 'daily-b'),
        200,
      );
      expect(site).toMatchObject({ key: 'daily-b', role: 'admin', identity: { audience: 'comment-desk' } });
      expect(site.identity.secretFingerprints).toHaveLength(1);
      expectProblem(
        await as(t.http().get('/api/admin/sites/default'), tokenB('b-boss', 'admin'), 'daily-b'),
        404,
        'NOT_FOUND',
      );
      expectProblem(await as(t.http().get('/api/admin/sites/nowhere'), org()), 404, 'NOT_FOUND');
      const first = expectStatus(await as(t.http().get('/api/admin/sites/default'), org()), 200);
      expect(first).toMatchObject({ id: 1, key: 'default', environmentOrigins: [] });
    });

    it("lets a site's admin change their own site only; the change bumps the version and is logged", async () => {
      const bossB = tokenB('b-boss', 'admin');
      const before = (await t.db.query(`SELECT version FROM sites WHERE id = $1`, [b.id])).rows[0].version;
      const changed = expectStatus(
        await as(t.http().patch('/api/admin/sites/daily-b'), bossB, 'daily-b').send({ name: 'The Daily B, renamed' }),
        200,
      );
      expect(changed).toMatchObject({ key: 'daily-b', name: 'The Daily B, renamed', role: 'admin' });
      expect((await t.db.query(`SELECT version FROM sites WHERE id = $1`, [b.id])).rows[0].version).toBe(before + 1);
      expect((await logOf(b.id)).at(-1)).toEqual({
        action: 'update_site',
        actor_id: 'daily-b:b-boss',
        target_id: String(b.id),
        reason: 'changed name',
      });

      // The same again changes nothing: no new version, no entry.
      await as(t.http().patch('/api/admin/sites/daily-b'), bossB, 'daily-b').send({ name: 'The Daily B, renamed' });
      expect((await t.db.query(`SELECT version FROM sites WHERE id = $1`, [b.id])).rows[0].version).toBe(before + 1);

      expectProblem(
        await as(t.http().patch('/api/admin/sites/weekly-c'), bossB, 'daily-b').send({ name: 'Taken over' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await as(t.http().patch('/api/admin/sites/daily-b'), tokenB('b-mod', 'moderator'), 'daily-b').send({
          name: 'No',
        }),
        403,
        'FORBIDDEN',
      );
    });

    it('keeps the stored secrets when a change of identity leaves them out, and never sends them back', async () => {
      const site = expectStatus(
        await createSite({
          key: 'keeps-secrets',
          name: 'Keeps',
          identity: { secrets: ['k'.repeat(32), 'l'.repeat(32)] },
        }),
        201,
      );
      const res = await as(t.http().patch('/api/admin/sites/keeps-secrets'), org()).send({
        identity: { issuer: 'https://login.keeps.example/' },
      });
      const changed = expectStatus(res, 200);
      expect(changed.identity).toEqual({
        issuer: 'https://login.keeps.example/',
        secretFingerprints: site.identity.secretFingerprints,
      });
      expect(res.text).not.toContain('k'.repeat(32));
      const removed = expectStatus(
        await as(t.http().patch('/api/admin/sites/keeps-secrets'), org()).send({ identity: { secrets: [] } }),
        200,
      );
      expect(removed.identity).toEqual({});
    });

    it('refuses what is not valid with problems naming the field', async () => {
      const refused = async (body: object, field: string) => {
        const problem = expectProblem(await createSite(body), 400, 'VALIDATION_FAILED');
        expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
      };
      await refused({ key: 'Bad_Key', name: 'X' }, 'key');
      await refused({ key: '-dash', name: 'X' }, 'key');
      await refused({ key: 'k'.repeat(41), name: 'X' }, 'key');
      await refused({ key: 'all', name: 'Every site' }, 'key');
      await refused({ key: 'no-name' }, 'name');
      await refused({ key: 'empty-name', name: '' }, 'name');
      await refused({ key: 'long-name', name: 'n'.repeat(101) }, 'name');
      await refused({ key: 'with-path', name: 'X', origins: ['https://a.example/news'] }, 'origins');
      await refused({ key: 'ftp', name: 'X', origins: ['ftp://a.example'] }, 'origins');
      await refused({ key: 'user', name: 'X', origins: ['https://me@a.example'] }, 'origins');
      await refused({ key: 'twice', name: 'X', origins: ['https://a.example', 'https://A.example'] }, 'origins');
      const many = Array.from({ length: 51 }, (_, i) => `https://s${i}.example`);
      await refused({ key: 'many', name: 'X', origins: many }, 'origins');
      await refused({ key: 'short', name: 'X', identity: { secrets: ['too short'] } }, 'identity.secrets');
      await refused(
        { key: 'six', name: 'X', identity: { secrets: ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => x.repeat(32)) } },
        'identity.secrets',
      );
      await refused(
        { key: 'sign-in', name: 'X', identity: { signIn: { clientSecret: 'x' } } },
        'identity.signIn.clientId',
      );
      await refused({ key: 'unknown', name: 'X', colour: 'red' }, 'colour');
      expectProblem(
        await as(t.http().patch('/api/admin/sites/daily-b'), org()).send({ key: 'renamed' }),
        400,
        'VALIDATION_FAILED',
      );
      const none = await t.db.query(
        `SELECT count(*)::int AS n FROM sites WHERE key IN ('no-name', 'with-path', 'many')`,
      );
      expect(none.rows[0].n).toBe(0);
    });

    it('answers 409 to a key taken, also when two creations of one key race', async () => {
      expectProblem(await createSite({ key: 'daily-b', name: 'Again' }), 409, 'CONFLICT');
      for (let round = 0; round < 3; round++) {
        const key = `race-${round}`;
        const both = await Promise.all([createSite({ key, name: 'One' }), createSite({ key, name: 'Two' })]);
        expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
        expectProblem(
          both.find((r) => r.status === 409)!,
          409,
          'CONFLICT',
        );
        const rows = await t.db.query(
          `SELECT (SELECT count(*)::int FROM sites WHERE key = $1) AS sites,
                  (SELECT count(*)::int FROM moderation_settings m JOIN sites s ON s.id = m.id WHERE s.key = $1) AS settings`,
          [key],
        );
        expect(rows.rows[0]).toEqual({ sites: 1, settings: 1 });
      }
    });

    it('lets only organisation admins make sites', async () => {
      const bAdmin = tokenB('b-boss', 'admin');
      expectProblem(
        await as(t.http().post('/api/admin/sites'), bAdmin, 'daily-b').send({ key: 'by-b', name: 'By B' }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await createSite({ key: 'by-mod', name: 'By a moderator' }, t.token('mod', 'moderator')),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('granted roles', () => {
    const settingsOf = (token: string, site: string, header?: string) =>
      as(t.http().get(`/api/moderation/settings?site=${site}`), token, header);

    it('grants a role to a user of another site, which holds from their next request, and revokes it; both logged', async () => {
      const mona = t.token('mona');
      expectProblem(await settingsOf(mona, 'daily-b'), 403, 'FORBIDDEN');
      const granted = expectStatus(
        await as(t.http().put('/api/admin/sites/daily-b/members'), org()).send({
          userSite: 'default',
          sub: 'mona',
          role: 'moderator',
        }),
        200,
      );
      expect(granted).toEqual({
        userId: 'mona',
        name: 'mona name', // seen by her first request
        userSite: 'default',
        role: 'moderator',
        grantedBy: 'org-admin',
        grantedAt: expect.any(String),
      });
      expectStatus(await settingsOf(mona, 'daily-b'), 200);
      const me = expectStatus(await as(t.http().get('/api/me'), mona), 200);
      expect(me.sites).toEqual([{ key: 'daily-b', name: expect.any(String), role: 'moderator' }]);

      const members = expectStatus(await as(t.http().get('/api/admin/sites/daily-b/members'), org()), 200);
      expect(members.items).toEqual([
        expect.objectContaining({ userId: 'mona', name: 'mona name', userSite: 'default' }),
      ]);

      expect(
        (await as(t.http().delete('/api/admin/sites/daily-b/members/mona'), tokenB('b-boss', 'admin'), 'daily-b'))
          .status,
      ).toBe(204);
      expectProblem(await settingsOf(mona, 'daily-b'), 403, 'FORBIDDEN');
      expect((await as(t.http().get('/api/me'), mona).then((r) => r.body)).sites).toBeUndefined();
      expectProblem(await as(t.http().delete('/api/admin/sites/daily-b/members/mona'), org()), 404, 'NOT_FOUND');

      expect((await logOf(b.id)).filter((e) => /_role$/.test(e.action))).toEqual([
        { action: 'grant_role', actor_id: 'org-admin', target_id: String(b.id), reason: 'moderator to mona' },
        { action: 'revoke_role', actor_id: 'daily-b:b-boss', target_id: String(b.id), reason: 'moderator from mona' },
      ]);
    });

    it("records a user not seen yet on their own site, and lets a site's admins only grant on it", async () => {
      const bossC = tokenOf(SECRET_C, 'c-boss', 'admin');
      const granted = expectStatus(
        await as(t.http().put('/api/admin/sites/daily-b/members'), tokenB('b-boss', 'admin'), 'daily-b').send({
          userSite: 'weekly-c',
          sub: 'zed',
          role: 'admin',
        }),
        200,
      );
      expect(granted).toMatchObject({ userId: 'weekly-c:zed', userSite: 'weekly-c', role: 'admin' });
      expect((await t.db.query(`SELECT site_id FROM users WHERE id = 'weekly-c:zed'`)).rows).toEqual([
        { site_id: c.id },
      ]);
      // zed, signing in with C's login, now administers B too.
      const zed = tokenOf(SECRET_C, 'zed');
      const me = expectStatus(await as(t.http().get('/api/me'), zed, 'weekly-c'), 200);
      expect(me.sites).toEqual([{ key: 'daily-b', name: expect.any(String), role: 'admin' }]);
      expect(granted.name).toBeNull();
      // Their first request as staff names them.
      expect(expectStatus(await as(t.http().get('/api/admin/sites'), zed, 'weekly-c'), 200).items).toEqual([
        expect.objectContaining({ key: 'daily-b', role: 'admin' }),
      ]);
      const members = expectStatus(await as(t.http().get('/api/admin/sites/daily-b/members'), org()), 200);
      expect(members.items).toContainEqual(expect.objectContaining({ userId: 'weekly-c:zed', name: 'zed name' }));

      const grant = (token: string, header: string | undefined, site: string) =>
        as(t.http().put(`/api/admin/sites/${site}/members`), token, header).send({
          userSite: 'default',
          sub: 'someone',
          role: 'moderator',
        });
      expectProblem(await grant(bossC, 'weekly-c', 'daily-b'), 404, 'NOT_FOUND');
      expectProblem(await grant(tokenB('b-mod', 'moderator'), 'daily-b', 'daily-b'), 403, 'FORBIDDEN');
      expectProblem(
        await as(t.http().get('/api/admin/sites/daily-b/members'), tokenB('b-mod', 'moderator'), 'daily-b'),
        403,
        'FORBIDDEN',
      );
      const problem = expectProblem(
        await as(t.http().put('/api/admin/sites/daily-b/members'), org()).send({
          userSite: 'nowhere',
          sub: 'x',
          role: 'admin',
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([{ field: 'userSite', messages: [expect.any(String)] }]);
      expectProblem(
        await as(t.http().put('/api/admin/sites/daily-b/members'), org()).send({
          userSite: 'default',
          sub: 'x',
          role: 'owner',
        }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it("names in /api/me the caller's own site's role and those granted", async () => {
      const me = expectStatus(await as(t.http().get('/api/me'), t.token('desk-admin', 'admin')), 200);
      expect(me.sites).toEqual([{ key: 'default', name: 'Default site', role: 'admin' }]);
      const reader = expectStatus(await as(t.http().get('/api/me'), t.token('just-reading')), 200);
      expect(reader).toEqual({ id: 'just-reading', name: 'just-reading name', ban: { banned: false, until: null } });
    });
  });

  describe('origins', () => {
    const fromPage = (origin: string, site?: string) => {
      const req = t.http().get('/api/me').set('Origin', origin);
      return site ? as(req, site === 'weekly-c' ? tokenOf(SECRET_C, 'page-reader') : tokenB('page-reader'), site) : req;
    };

    it("answers CORS for a page of any site's origin, with the site header allowed", async () => {
      const read = await fromPage('https://c.example', 'weekly-c');
      expect(read.status).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBe('https://c.example');
      const preflight = await t
        .http()
        .options('/api/me')
        .set('Origin', 'https://b.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization, comment-desk-site');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://b.example');
      expect(preflight.headers['access-control-allow-headers']).toMatch(/Comment-Desk-Site/i);
      const unknown = await t
        .http()
        .options('/api/me')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'GET');
      expect(unknown.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('refuses a page of an origin that the site does not list, when it lists some; a site without accepts any', async () => {
      const evil = expectProblem(await fromPage('https://evil.example', 'weekly-c'), 403, 'ORIGIN_NOT_ALLOWED');
      expect(evil.detail).toContain('weekly-c');
      // B's page may read C's refusal (CORS answers any site's origin), but may not use C.
      const other = await fromPage('https://b.example', 'weekly-c');
      expectProblem(other, 403, 'ORIGIN_NOT_ALLOWED');
      expect(other.headers['access-control-allow-origin']).toBe('https://b.example');
      // Nor a site acted on that does not list it.
      expectProblem(
        await as(t.http().get('/api/moderation/settings?site=weekly-c'), org()).set('Origin', 'https://b.example'),
        403,
        'ORIGIN_NOT_ALLOWED',
      );
      // The first site lists no origin here (no CORS_ORIGINS): any page may use it.
      expectStatus(await as(t.http().get('/api/me'), t.token('anywhere')).set('Origin', 'https://evil.example'), 200);
      // Same origin, and no Origin at all, always pass.
      expectStatus(
        await as(t.http().get('/api/me'), tokenOf(SECRET_C, 'own'), 'weekly-c')
          .set('Host', 'desk.example')
          .set('Origin', 'https://desk.example'),
        200,
      );
      expectStatus(await as(t.http().get('/api/me'), tokenOf(SECRET_C, 'own'), 'weekly-c'), 200);
      // The platform's routes are no site's.
      expectStatus(
        await t.http().get('/api/health').set('Origin', 'https://evil.example').set('Comment-Desk-Site', 'weekly-c'),
        200,
      );
    });

    it("applies a change of a site's origins at once", async () => {
      expectProblem(await fromPage('https://c2.example', 'weekly-c'), 403, 'ORIGIN_NOT_ALLOWED');
      expectStatus(
        await as(t.http().patch('/api/admin/sites/weekly-c'), org()).send({
          origins: ['https://c.example', 'https://C2.example'],
        }),
        200,
      );
      const now = await fromPage('https://c2.example', 'weekly-c');
      expect(now.status).toBe(200);
      expect(now.headers['access-control-allow-origin']).toBe('https://c2.example');
    });

    it("keeps a site's article auto-creation under its origins", async () => {
      const bossC = tokenOf(SECRET_C, 'c-boss', 'admin');
      const put = (prefixes: string[]) =>
        as(t.http().put('/api/moderation/settings'), bossC, 'weekly-c').send({ articleAutoCreatePrefixes: prefixes });
      const problem = expectProblem(await put(['https://elsewhere.example/news/']), 400, 'VALIDATION_FAILED');
      expect(problem.errors).toEqual([
        { field: 'articleAutoCreatePrefixes', messages: [expect.stringContaining('https://elsewhere.example/news/')] },
      ]);
      expect(expectStatus(await put(['https://c.example/news/']), 200).articleAutoCreatePrefixes).toEqual([
        'https://c.example/news/',
      ]);
      // The first site has no stored origins: any prefix, as before sites.
      expectStatus(
        await as(t.http().put('/api/moderation/settings'), org()).send({
          articleAutoCreatePrefixes: ['https://anything.example/'],
        }),
        200,
      );
    });
  });

  describe('npm run token -- --site', () => {
    const token = (...args: string[]) =>
      run(process.execPath, [join(__dirname, '..', 'scripts', 'token.mjs'), ...args], {
        env: { ...process.env, DATABASE_URL: t.databaseUrl },
      });

    it("signs with the site's first secret a token that the service accepts with the site's header", async () => {
      const { stdout, stderr } = await token('--site', 'weekly-c', '--sub', 'scripted', '--role', 'admin');
      expect(stderr).toContain('Comment-Desk-Site: weekly-c');
      const signed = stdout.trim();
      const me = expectStatus(await as(t.http().get('/api/me'), signed, 'weekly-c'), 200);
      expect(me).toMatchObject({ id: 'weekly-c:scripted', sites: [{ key: 'weekly-c', role: 'admin' }] });
      // Without the header, the first site's login refuses it.
      expectProblem(await as(t.http().get('/api/me'), signed), 401, 'UNAUTHENTICATED');
      // The audience a site requires is in its tokens.
      const forB = (await token('--site', 'daily-b', '--sub', 'aud')).stdout.trim();
      expectStatus(await as(t.http().get('/api/me'), forB, 'daily-b'), 200);
    });

    it('signs for the first site as before, and says so when a site has no secret', async () => {
      const first = (await token('--sub', 'classic', '--role', 'moderator')).stdout.trim();
      expectStatus(await as(t.http().get('/api/me'), first), 200);
      expectStatus(await createSite({ key: 'no-secret', name: 'No secret' }), 201);
      await expect(token('--site', 'no-secret', '--sub', 'x')).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('no HS256 secret'),
      });
      await expect(token('--site', 'not-a-site', '--sub', 'x')).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('No site has the key "not-a-site"'),
      });
    });
  });
});
