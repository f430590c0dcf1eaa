import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { demoArticleMover, ensureDemoArticles } from '../src/web/demo-articles';
import { ensureDemoSite, EVENING_POST } from '../src/web/demo-sites';
import { Api, expectStatus } from './support/comments-helpers';
import { until } from './support/expect';
import { createTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';

/**
 * `npm start`'s demo threads live at the demo pages' own addresses, so that the console's links to
 * them and to their comments open there; an install that made them at their former URLs keeps its
 * threads, moved to the pages.
 */
describe('the demo threads', () => {
  let t: TestApp;
  let api: Api;
  let base: string;
  let origin: string;
  let mod: string;

  beforeAll(async () => {
    // As under npm start without a mail server: emails are kept for admins to read.
    t = await createTestApp({ RATE_LIMITS: 'off', MAIL_CATCHER: 'on', DELIVERIES: 'on' });
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer() as { address(): AddressInfo }).address().port;
    base = `http://127.0.0.1:${port}`;
    origin = `http://localhost:${port}`;
    api = new Api(t);
    mod = t.token('demo-check', 'moderator');
  });
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'demo-sites-'))));
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await t.close();
  });

  const ensure = () =>
    ensureDemoArticles(base, TEST_JWT_SECRET, true, { origin, moveArticle: demoArticleMover(t.app) });
  const articleAt = async (url: string) =>
    expectStatus(await t.http().get('/api/articles').query({ url }).set('Authorization', `Bearer ${mod}`), 200)
      .items[0];

  it('moves a thread made at its former URL to its page, comments and all, and makes the missing one there', async () => {
    const former = await api.createArticle(mod, {
      url: 'https://news.example/demo/budget',
      title: 'The budget, explained',
    });
    const kept = await api.comment(t.token('early-reader'), former.id, 'Written before the move.');

    await ensure();

    const open = await articleAt(`${origin}/demo/`);
    expect(open.id).toBe(former.id);
    expect(open.url).toMatch(new RegExp(`^${origin}/demo/?$`));
    expect(await articleAt('https://news.example/demo/budget')).toBeUndefined();
    const thread = expectStatus(await api.thread(former.id), 200);
    expect(thread.items.map((c: { id: string }) => c.id)).toEqual([kept.id]); // nothing posted again

    const closed = await articleAt(`${origin}/demo/closed.html`);
    expect(closed).toMatchObject({ url: `${origin}/demo/closed.html`, closed: true });
    expect(expectStatus(await api.thread(closed.id), 200).items.length).toBeGreaterThan(0);

    // Once there, a second start changes nothing.
    await ensure();
    expect((await articleAt(`${origin}/demo/`)).id).toBe(former.id);
    expect((await articleAt(`${origin}/demo/closed.html`)).id).toBe(closed.id);
  }, 60_000);

  it("keeps the reply emails the demo's readers asked for, for admins to read", async () => {
    await ensure();
    const caught = await until('a reply email kept', 20_000, async () => {
      const { rows } = await t.db.query<{ to: string; subject: string; text: string; headers: Record<string, string> }>(
        `SELECT "to", subject, text, headers FROM caught_emails WHERE "to" LIKE '%@readers.example'`,
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(caught[0].text).toMatch(new RegExp(`${origin}/demo/[^\\s]*#comment-[0-9a-f-]{36}`));
    expect(Object.keys(caught[0].headers).map((h) => h.toLowerCase())).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']),
    );
  }, 60_000);

  describe("the second site's demo", () => {
    const secretFile = () => join(dataDir, 'jwt-secret-evening');
    const ensureSite = () => ensureDemoSite(t.app, EVENING_POST, origin, secretFile());
    const eveningToken = (secret: string, sub: string, role = 'commenter') =>
      jwt.sign({ sub, name: sub, role }, secret, { algorithm: 'HS256', expiresIn: '5m' });
    const eveningArticleAt = async (secret: string, url: string) =>
      expectStatus(
        await t
          .http()
          .get('/api/articles')
          .query({ url })
          .set('Comment-Desk-Site', 'evening')
          .set('Authorization', `Bearer ${eveningToken(secret, 'check', 'moderator')}`),
        200,
      ).items[0];

    it("is a site with its own login and the first site's settings, made once, its thread written by its own readers", async () => {
      const secret = (await ensureSite())!;
      expect(secret).toEqual(expect.any(String));
      expect(readFileSync(secretFile(), 'utf8')).toBe(secret); // where npm run token -- --site evening reads it
      const {
        rows: [site],
      } = await t.db.query(`SELECT id, name, origins, identity FROM sites WHERE key = 'evening'`);
      expect(site).toMatchObject({ name: 'The Evening Post', origins: [origin], identity: { secrets: [secret] } });
      const { rows: settings } = await t.db.query(
        `SELECT to_jsonb(s) - 'id' - 'version' - 'updated_at' AS copy, id FROM moderation_settings s WHERE id IN (1, $1) ORDER BY id`,
        [site.id],
      );
      expect(settings).toHaveLength(2);
      expect(settings[1].copy).toEqual(settings[0].copy);

      await ensureDemoArticles(
        base,
        TEST_JWT_SECRET,
        true,
        { origin, moveArticle: demoArticleMover(t.app) },
        {
          evening: secret,
        },
      );
      const evening = await eveningArticleAt(secret, `${origin}/demo/evening.html`);
      expect(evening).toMatchObject({ url: `${origin}/demo/evening.html`, closed: false });
      // Not among the first site's articles: each site finds only its own by URL.
      expect(await articleAt(`${origin}/demo/evening.html`)).toBeUndefined();
      const authors = (
        await t.db.query(
          `SELECT DISTINCT u.id, u.site_id FROM comments c JOIN users u ON u.id = c.author_id WHERE c.article_id = $1`,
          [evening.id],
        )
      ).rows;
      expect(authors.length).toBeGreaterThan(1);
      for (const author of authors)
        expect(author).toEqual({ id: expect.stringMatching(/^evening:/), site_id: site.id });

      // A second start adds nothing: the same site, secret, settings, article and comments.
      const count = async () =>
        (await t.db.query('SELECT count(*)::int AS n FROM comments WHERE article_id = $1', [evening.id])).rows[0].n;
      const before = await count();
      expect(await ensureSite()).toBe(secret);
      await ensureDemoArticles(
        base,
        TEST_JWT_SECRET,
        true,
        { origin, moveArticle: demoArticleMover(t.app) },
        {
          evening: secret,
        },
      );
      expect((await t.db.query(`SELECT count(*)::int AS n FROM sites WHERE key = 'evening'`)).rows[0].n).toBe(1);
      expect((await eveningArticleAt(secret, `${origin}/demo/evening.html`)).id).toBe(evening.id);
      expect(await count()).toBe(before);
    }, 60_000);

    it("writes the site's secret back where the token script reads it when that file went missing", async () => {
      const secret = (await ensureSite())!;
      rmSync(secretFile());
      expect(await ensureSite()).toBe(secret);
      expect(existsSync(secretFile()) && readFileSync(secretFile(), 'utf8')).toBe(secret);
    });
  });
});
