/// <reference lib="dom" />
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { expectProblem, expectStatus } from './support/expect';
import { axeViolations, HostSite, launchChromium, pw, screenshot } from './support/browser';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';
import { signInThroughSite } from './support/oidc-login';
import { OidcProvider, startOidcProvider } from './support/oidc-provider';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Two sites on one installation, end to end: each with its own page origin, its own OpenID
 * provider (a real one, in a child process of its own) and its own moderators. Readers of each sign
 * in through their site's embed in Chromium and post under their site's settings; each desk sees
 * its own queue and log; a moderator granted both switches between them; every cross-site attempt
 * is refused. The first site keeps an origin of its own (CORS_ORIGINS), as an installation does.
 */
type Key = 'north' | 'south';

interface Paper {
  key: Key;
  name: string;
  /** The publisher's pages, on an origin of their own. */
  host: HostSite;
  provider: OidcProvider;
  /** Each site its own setting: north holds every comment, south publishes at once. */
  mode: 'pre' | 'post';
  articleUrl: string;
  articleId: string;
  /** Its moderator's bearer token, from its own provider (see beforeAll). */
  moderator: string;
}

const FIRST_SITE_ORIGIN = 'https://first.example';
const SITE_HEADER = 'Comment-Desk-Site';

describe('two sites on one installation, each with its own origin, provider and moderators (browser)', () => {
  let t: TestApp;
  let apiOrigin: string;
  let browser: Browser | undefined;
  /** Started here, stopped in afterAll even when the setup failed half-way. */
  const hosts = { north: new HostSite(() => apiOrigin), south: new HostSite(() => apiOrigin) };
  const providers: OidcProvider[] = [];
  const desk = new DeskHarness();
  const papers = {} as Record<Key, Paper>;
  /** The organisation's admin (an admin of the first site), who makes the sites and grants. */
  const chief = () => t.token('chief', 'admin', { name: 'Chief Editor' });
  /** Posted by the readers in the browser, by site and width. */
  const posted: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const call = (method: 'get' | 'post' | 'put', path: string, token: string, site?: Key) => {
    const req = t.http()[method](path).set('Authorization', `Bearer ${token}`);
    return site ? req.set(SITE_HEADER, site) : req;
  };

  beforeAll(async () => {
    await Promise.all([hosts.north.start(), hosts.south.start()]);
    t = await createTestApp({ CORS_ORIGINS: FIRST_SITE_ORIGIN });
    await t.app.listen(0, '127.0.0.1');
    apiOrigin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const callback = (key: Key) => [`${apiOrigin}/api/sites/${key}/sign-in/callback`];
    const [north, south, launched] = await Promise.all([
      startOidcProvider({
        redirectUris: callback('north'),
        claims: {
          nils: { name: 'Nils North', role: 'moderator' },
          'nora-wide': { name: 'Nora North' },
          'nora-phone': { name: 'Noor North' },
        },
      }),
      startOidcProvider({
        redirectUris: callback('south'),
        claims: { 'sam-wide': { name: 'Sam South' }, 'sam-phone': { name: 'Sol South' } },
      }),
      launchChromium(),
    ]);
    providers.push(north, south);
    browser = launched;
    desk.attach(t, browser);
    expect(north.issuer).not.toBe(south.issuer);
    expect((await north.keys()).signing).not.toBe((await south.keys()).signing);

    const make = async (key: Key, name: string, provider: OidcProvider, host: HostSite, mode: 'pre' | 'post') => {
      // Made as the organisation's admin makes sites: its origin, and its provider to sign in with.
      expectStatus(
        await call('post', '/api/admin/sites', chief()).send({
          key,
          name,
          origins: [host.origin],
          identity: {
            issuer: provider.issuer,
            signIn: { clientId: provider.clientId, clientSecret: provider.clientSecret, scopes: ['profile', 'role'] },
          },
        }),
        201,
      );
      // Its own admin, by its own provider's token, sets its own moderation.
      const admin = await provider.mintToken({ sub: `${key}-editor`, name: `${name} editor`, role: 'admin' });
      const settings = expectStatus(
        await call('put', '/api/moderation/settings', admin, key).send({ defaultModerationMode: mode }),
        200,
      );
      expect(settings.defaultModerationMode).toBe(mode);
      return { key, name, host, provider, mode, articleUrl: `https://${key}.example/news/two-sites`, articleId: '' };
    };
    papers.north = { ...(await make('north', 'The North Star', north, hosts.north, 'pre')), moderator: '' };
    papers.south = { ...(await make('south', 'The South Wind', south, hosts.south, 'post')), moderator: '' };

    // North's moderator signs in through north's sign-in (a session of ours after its provider's
    // login); south's moderator brings an ID token that south's provider issued.
    papers.north.moderator = (await signInThroughSite(apiOrigin, 'north', 'nils', hosts.north.origin)).accessToken;
    papers.south.moderator = await south.mintToken({ sub: 'sue', name: 'Sue South', role: 'moderator' });
    for (const paper of Object.values(papers)) {
      const article = expectStatus(
        await call('post', '/api/articles', paper.moderator, paper.key).send({
          url: paper.articleUrl,
          title: `${paper.name}: the news`,
        }),
        201,
      );
      paper.articleId = article.id;
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.all([...providers.map((p) => p.stop()), hosts.north.stop(), hosts.south.stop()]);
    await t?.close();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await desk.closeContexts();
    expect(pageErrors.splice(0)).toEqual([]);
  });

  /** North's moderator's console: the login hands over their token and the site whose login signed it (#token=…&site=north). */
  const northDesk = (place: string, width: number = DESKTOP) =>
    desk.open(`${papers.north.moderator}&site=north`, place, width);

  async function newPage(width: number): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  const threadOf = (page: Page) => page.locator('comment-desk-thread');
  const commentIn = (page: Page, text: string) => threadOf(page).getByRole('article').filter({ hasText: text });
  /** The comments anyone reads on a site's article. */
  const publicThread = async (paper: Paper) =>
    (
      expectStatus(await t.http().get(`/api/articles/${paper.articleId}/comments`).set(SITE_HEADER, paper.key), 200)
        .items as { body: string }[]
    ).map((c) => c.body);
  const commentIdOf = async (body: string) =>
    (await t.db.query<{ id: string }>(`SELECT id FROM comments WHERE body = $1`, [body])).rows[0].id;

  describe.each([
    ['wide', DESKTOP],
    ['phone', PHONE],
  ])('at a %s width', (size, width) => {
    it.each([['north' as Key], ['south' as Key]])(
      "a reader of %s signs in through its embed with its own provider and posts under its site's settings",
      async (key) => {
        const paper = papers[key];
        const login = `${key === 'north' ? 'nora' : 'sam'}-${size}`;
        const page = await newPage(width);
        await page.goto(paper.host.page({ articleUrl: paper.articleUrl, site: key, signIn: 'provider' }));
        const thread = threadOf(page);
        const popup = page.waitForEvent('popup');
        await thread.getByRole('button', { name: 'Sign in to comment' }).click();
        const window = await popup;
        // The site's own provider, not the other's.
        const providerOrigin = new URL(paper.provider.issuer).origin;
        await window.waitForURL((url) => url.origin === providerOrigin);
        await window.locator('input[name="login"]').fill(login);
        await window.locator('input[name="password"]').fill('any');
        await window.locator('button[type="submit"]').click();

        const box = thread.getByRole('textbox', { name: 'Your comment' });
        await pw(box).toBeVisible();
        const text = (posted[`${key}-${size}`] = `To ${paper.name}, from its own reader (${size}).`);
        await box.fill(text);
        await thread.getByRole('button', { name: 'Post comment' }).click();
        await pw(commentIn(page, text)).toBeVisible();
        if (paper.mode === 'pre') {
          await pw(commentIn(page, text)).toContainText('Awaiting moderation');
          expect(await publicThread(paper)).not.toContain(text);
        } else {
          expect(await commentIn(page, text).textContent()).not.toContain('Awaiting moderation');
          expect(await publicThread(paper)).toContain(text);
        }
        const { rows } = await t.db.query(
          `SELECT u.id AS author, s.key AS site, c.status FROM comments c JOIN users u ON u.id = c.author_id
           JOIN articles a ON a.id = c.article_id JOIN sites s ON s.id = a.site_id WHERE c.body = $1`,
          [text],
        );
        expect(rows).toEqual([
          { author: `${key}:${login}`, site: key, status: paper.mode === 'pre' ? 'pending' : 'published' },
        ]);
        expect(await axeViolations(page)).toEqual([]);
        expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
        await screenshot(page, `two-sites-${key}-reader-${size}`);

        // A reload signs the reader in again from the page's session, renewed from the site's own origin.
        await page.reload();
        await pw(thread.getByRole('textbox', { name: 'Your comment' })).toBeVisible();
      },
      60_000,
    );
  });

  describe('the desks', () => {
    const queue = async (paper: Paper, name: string, site?: string) =>
      expectStatus(
        await call(
          'get',
          `/api/moderation/queue/${name}?limit=100${site ? `&site=${site}` : ''}`,
          paper.moderator,
          paper.key,
        ),
        200,
      ).items as { body: string; article: { site: { key: string } } }[];
    const log = async (paper: Paper) =>
      expectStatus(await call('get', '/api/moderation/log?limit=100', paper.moderator, paper.key), 200).items as {
        targetId: string;
        action: string;
        actor: { id: string; name: string } | null;
      }[];

    it("each site's moderator sees only their own site's queue and log (north's in the console)", async () => {
      const { north, south } = papers;
      // South's desk, over HTTP: its readers' comments, published at once, wait for review there.
      expect((await queue(south, 'unmoderated')).map((c) => c.body).sort()).toEqual(
        [posted['south-wide'], posted['south-phone']].sort(),
      );
      expect(await queue(south, 'pending')).toEqual([]);
      const southReviewed = await commentIdOf(posted['south-wide']);
      expectStatus(
        await call('post', `/api/moderation/comments/${southReviewed}/approve`, south.moderator, 'south'),
        200,
      );

      // North's desk, in the console: its held comments, and no switcher (one site is theirs).
      const page = await northDesk('#/queue/pending');
      await pw(page.locator('.top .site-name')).toHaveText('Site: The North Star');
      await pw(page.getByRole('combobox', { name: 'Site' })).toHaveCount(0);
      const card = (text: string) => page.getByRole('article').filter({ hasText: text });
      await pw(card(posted['north-wide'])).toBeVisible();
      await pw(card(posted['north-phone'])).toBeVisible();
      await pw(page.getByRole('article')).toHaveCount(2);
      expect(await desk.seriousViolations(page)).toEqual([]);
      await desk.screenshot(page, 'two-sites-north-queue-wide', true);
      await card(posted['north-wide']).getByRole('button', { name: 'Approve' }).click();
      await pw(page.locator('.announcement')).toContainText('Approved the comment by Nora North');
      await pw(card(posted['north-wide'])).toHaveCount(0);

      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Log' }).click();
      const rows = page.locator('table.log tbody tr');
      await pw(rows.filter({ hasText: 'Nils North' }).filter({ hasText: 'Pending → Approved' })).toHaveCount(1);
      for (const southern of ['Sue South', 'The South Wind editor', 'Sam South'])
        expect(await rows.filter({ hasText: southern }).count()).toBe(0);
      expect(await desk.seriousViolations(page)).toEqual([]);
      await desk.screenshot(page, 'two-sites-north-log-wide', true);

      // Each log holds its own site's decisions only.
      const northReviewed = await commentIdOf(posted['north-wide']);
      const northLog = await log(north);
      const southLog = await log(south);
      expect(northLog.map((e) => e.targetId)).toContain(northReviewed);
      expect(northLog.map((e) => e.targetId)).not.toContain(southReviewed);
      expect(southLog.map((e) => e.targetId)).toContain(southReviewed);
      expect(southLog.map((e) => e.targetId)).not.toContain(northReviewed);
      expect(new Set(southLog.flatMap((e) => (e.actor ? [e.actor.id] : [])))).not.toContain('north:nils');
    });

    it('refuses every cross-site attempt', async () => {
      const { north, south } = papers;
      const southComment = await commentIdOf(posted['south-phone']);
      const northComment = await commentIdOf(posted['north-phone']);

      // North's provider's token, or north's session, presented as south's: not south's login.
      const northIdToken = await north.provider.mintToken({ sub: 'nils', name: 'Nils North', role: 'moderator' });
      expectStatus(await call('get', '/api/me', northIdToken, 'north'), 200);
      for (const token of [northIdToken, north.moderator]) {
        expectProblem(await call('get', '/api/me', token, 'south'), 401, 'UNAUTHENTICATED');
        expectProblem(await call('get', '/api/moderation/queue/pending', token, 'south'), 401, 'UNAUTHENTICATED');
      }

      // Each site's moderator on the other's: its comments and users are missing, its lists forbidden.
      for (const [own, other, theirComment, theirUser] of [
        [north, south, southComment, 'south:sam-phone'],
        [south, north, northComment, 'north:nora-phone'],
      ] as const) {
        const as = (method: 'get' | 'post', path: string) => call(method, path, own.moderator, own.key);
        for (const decision of ['approve', 'reject'])
          expectProblem(await as('post', `/api/moderation/comments/${theirComment}/${decision}`), 404, 'NOT_FOUND');
        expectProblem(await as('get', `/api/moderation/users/${theirUser}`), 404, 'NOT_FOUND');
        expectProblem(
          await as('post', `/api/moderation/users/${theirUser}/ban`).send({ reason: 'not yours' }),
          404,
          'NOT_FOUND',
        );
        for (const path of ['/api/moderation/queue/pending', '/api/moderation/log', '/api/moderation/comments'])
          expectProblem(await as('get', `${path}?site=${other.key}`), 403, 'FORBIDDEN');
        // "All my sites" is their own site alone.
        const all = await queue(own, own.mode === 'pre' ? 'pending' : 'unmoderated', 'all');
        expect(new Set(all.map((c) => c.article.site.key))).toEqual(new Set([own.key]));
      }
      const untouched = await t.db.query(
        `SELECT c.status, u.banned_at FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id IN ($1, $2)`,
        [southComment, northComment],
      );
      expect(untouched.rows).toEqual([
        { status: expect.stringMatching(/^(pending|published)$/), banned_at: null },
        { status: expect.stringMatching(/^(pending|published)$/), banned_at: null },
      ]);

      // South's reader on north's article: readable, not theirs to post on.
      const southReader = await south.provider.mintToken({ sub: 'sam-wide', name: 'Sam South' });
      expectProblem(
        await call('post', `/api/articles/${north.articleId}/comments`, southReader, 'south')
          .set('Origin', south.host.origin)
          .send({ body: 'From the wrong site' }),
        403,
        'OTHER_SITE',
      );

      // A page of north's origin may not use south: neither its threads nor its sign-in.
      expectProblem(
        await t
          .http()
          .get(`/api/articles/${south.articleId}/comments`)
          .set(SITE_HEADER, 'south')
          .set('Origin', north.host.origin),
        403,
        'ORIGIN_NOT_ALLOWED',
      );
      await expect(signInThroughSite(apiOrigin, 'south', 'sam-wide', north.host.origin)).rejects.toThrow(
        /not begun \(403\).*ORIGIN_NOT_ALLOWED/,
      );
      const beginFor = (origin: string) =>
        `/api/sites/south/sign-in?origin=${encodeURIComponent(origin)}&pickup=${'a'.repeat(43)}`;
      // (A window opened at the sign-in sends no Origin: the page to be told is the one judged.)
      expectProblem(await t.http().get(beginFor(north.host.origin)), 403, 'ORIGIN_NOT_ALLOWED');
      // South's session is renewed and ended from south's pages only; a refused renewal spends nothing.
      const session = await signInThroughSite(apiOrigin, 'south', 'sam-wide', south.host.origin);
      const renew = (origin: string, path = 'refresh') =>
        t.http().post(`/api/sessions/${path}`).set('Origin', origin).send({ refreshToken: session.refreshToken });
      expectProblem(await renew(north.host.origin), 403, 'ORIGIN_NOT_ALLOWED');
      expectProblem(await renew(north.host.origin, 'sign-out'), 403, 'ORIGIN_NOT_ALLOWED');
      expect(expectStatus(await renew(south.host.origin), 200).refreshToken).toEqual(expect.any(String));

      // In the browser: north's page embedding south's thread says so, and shows nothing of it.
      for (const [size, width] of [
        ['wide', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const page = await newPage(width);
        await page.goto(north.host.page({ articleUrl: south.articleUrl, site: 'south', signIn: 'provider' }));
        await pw(threadOf(page).getByText('This page is not allowed to show this site’s comments.')).toBeVisible();
        await pw(threadOf(page).getByRole('article')).toHaveCount(0);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `two-sites-origin-refused-${size}`);
      }
    }, 60_000);

    describe('a moderator of both sites', () => {
      beforeAll(async () => {
        const granted = expectStatus(
          await call('put', '/api/admin/sites/south/members', chief()).send({
            userSite: 'north',
            sub: 'nils',
            role: 'moderator',
          }),
          200,
        );
        expect(granted).toMatchObject({ userId: 'north:nils', userSite: 'north', role: 'moderator' });
      });

      it.each([
        ['wide', DESKTOP],
        ['phone', PHONE],
      ])('switches between them in the console and sees all of them together (%s)', async (size, width) => {
        const page = await northDesk('#/queue/approved', width);
        const switcher = page.getByRole('combobox', { name: 'Site' });
        const card = (text: string) => page.getByRole('article').filter({ hasText: text });
        await pw(switcher).toHaveValue('north');
        expect(await switcher.locator('option').allTextContents()).toEqual([
          'All my sites',
          'The North Star',
          'The South Wind',
        ]);
        await pw(card(posted['north-wide'])).toBeVisible();
        await pw(card(posted['south-wide'])).toHaveCount(0);

        await switcher.selectOption('south');
        await pw(card(posted['south-wide'])).toBeVisible();
        await pw(card(posted['north-wide'])).toHaveCount(0);
        expect(new URL(page.url()).hash).toBe('#/queue/approved?site=south');
        await page.getByRole('tab', { name: /^Unmoderated/ }).click();
        await pw(card(posted['south-phone'])).toBeVisible();
        await pw(page.getByRole('article')).toHaveCount(1);
        await desk.screenshot(page, `two-sites-both-south-${size}`, true);

        await switcher.selectOption('all');
        await page.getByRole('tab', { name: /^Approved/ }).click();
        await pw(card(posted['north-wide']).locator('.site-badge')).toHaveText('Site: The North Star');
        await pw(card(posted['south-wide']).locator('.site-badge')).toHaveText('Site: The South Wind');
        expect(await desk.overflow(page)).toEqual({ by: 0, widest: [] });
        expect(await desk.seriousViolations(page)).toEqual([]);
        await desk.screenshot(page, `two-sites-both-all-${size}`, true);
      });
    });
  });
});
