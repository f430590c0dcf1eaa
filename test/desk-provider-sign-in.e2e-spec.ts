/// <reference lib="dom" />
import { Locator, Page } from 'playwright-core';
import { SitesDirectory } from '../src/sites/sites.directory';
import { pw } from './support/browser';
import { expectStatus, unique } from './support/comments-helpers';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';
import { OidcProvider, startOidcProvider } from './support/oidc-provider';

/**
 * Moderators of a site with its own OpenID provider sign in to the console with it: the
 * provider's login in a window, as the embed does for readers, then the queue; the tab keeps the
 * session across a reload, renews its token before it expires, and Sign out ends it. In Debian's
 * Chromium, against a real provider.
 */
describe("the console signs moderators in with their site's provider (browser)", () => {
  const h = new DeskHarness();
  let provider: OidcProvider;
  let heldText: string;

  beforeAll(async () => {
    await h.start();
    provider = await startOidcProvider({
      redirectUris: [`${h.origin}/api/sites/evening/sign-in/callback`],
      claims: {
        mona: { name: 'Mona Evening', role: 'moderator' },
        ada: { name: 'Ada Editor', role: 'admin' },
        rita: { name: 'Rita Reader', role: 'commenter' },
      },
    });
    // The site's pages are elsewhere: the console signs in from the service's own origin.
    const {
      rows: [{ id }],
    } = await h.t.db.query<{ id: number }>(
      `INSERT INTO sites (key, name, origins, identity) VALUES ('evening', 'The Evening Post', $1, $2) RETURNING id`,
      [
        ['https://evening.example'],
        {
          issuer: provider.issuer,
          signIn: { clientId: provider.clientId, clientSecret: provider.clientSecret, scopes: ['profile', 'role'] },
          roles: { moderator: ['moderator'], admin: ['admin'] },
        },
      ],
    );
    await h.t.db.query(
      `INSERT INTO moderation_settings (id, rate_limits) SELECT $1, rate_limits FROM moderation_settings WHERE id = 1`,
      [id],
    );
    h.t.app.get(SitesDirectory).forget();
    const {
      rows: [article],
    } = await h.t.db.query<{ id: string }>(
      `INSERT INTO articles (site_id, url, title, moderation_mode, disclaimer_text)
       VALUES ($1, $2, 'Evening story', 'pre', 'Not moderated yet.') RETURNING id`,
      [id, `https://evening.example/${unique('story')}`],
    );
    // A reader of the Evening Post, signed in by its provider, waits in the queue.
    heldText = 'Held for the Evening Post’s moderators.';
    const reader = await provider.mintToken({ sub: 'reggie', name: 'Reggie Reader' });
    expectStatus(
      await h.t
        .http()
        .post(`/api/articles/${article.id}/comments`)
        .set('Comment-Desk-Site', 'evening')
        .auth(reader, { type: 'bearer' })
        .send({ body: heldText }),
      201,
    );
  }, 60_000);

  afterAll(async () => {
    await provider?.stop();
    await h.stop();
  });
  afterEach(() => h.closeContexts());

  const signInButton = (within: Page | Locator) =>
    within.getByRole('button', { name: 'Sign in with The Evening Post' });
  const card = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });
  const stored = (page: Page) =>
    page.evaluate(() => ({
      token: sessionStorage.getItem('comment-desk.token'),
      session: JSON.parse(sessionStorage.getItem('comment-desk.session') ?? 'null') as { refreshToken: string } | null,
      site: sessionStorage.getItem('comment-desk.identity-site'),
      elsewhere: localStorage.getItem('comment-desk.token') ?? localStorage.getItem('comment-desk.session'),
    }));

  /**
   * Signs in as `login` at the provider's form, in the window the click opens; with null, the
   * provider still knows who is signed in there, and its window goes straight back.
   */
  async function signInAtProvider(page: Page, login: string | null, within: Page | Locator = page) {
    const opened = page.waitForEvent('popup');
    await signInButton(within).click();
    const window = await opened;
    if (login === null) return window.waitForEvent('close');
    // A person takes a while at the provider's form: the console goes on waiting for them meanwhile.
    await window.locator('input[name="login"]').waitFor();
    for (let polls = 0; polls < 2; polls++)
      await page.waitForResponse((r) => r.url().endsWith('/sign-in/pickup') && r.status() === 202);
    await window.locator('input[name="login"]').fill(login);
    await window.locator('input[name="password"]').fill('any');
    await window.locator('button[type="submit"]').click();
  }

  const fits = async (page: Page) => {
    expect(await h.overflow(page)).toEqual({ by: 0, widest: [] });
    expect(await h.seriousViolations(page)).toEqual([]);
  };

  for (const [size, width] of [
    ['wide', DESKTOP],
    ['phone', PHONE],
  ] as const)
    it(`at ${width} px: signs in with the site's provider, lands on the queue, and stays signed in on reload`, async () => {
      const page = await h.open(null, '#/queue/pending', width);
      await pw(signInButton(page)).toBeVisible();
      await fits(page);
      await h.screenshot(page, `provider-sign-in-${size}`, true);

      await signInAtProvider(page, 'mona');
      await pw(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
      await pw(page.getByRole('tab', { name: /^Pending/ })).toHaveAttribute('aria-selected', 'true');
      await pw(card(page, heldText)).toBeVisible();
      await pw(page.locator('.top .site-name')).toHaveText('Site: The Evening Post');
      const signedIn = await stored(page);
      expect(signedIn).toMatchObject({
        site: 'evening',
        elsewhere: null,
        session: { refreshToken: expect.any(String) },
      });
      // The token is the site's moderator's, from Comment Desk's own session.
      const me = await h.t
        .http()
        .get('/api/me')
        .set('Comment-Desk-Site', 'evening')
        .auth(signedIn.token!, { type: 'bearer' });
      expect(me.body).toMatchObject({ id: 'evening:mona', name: 'Mona Evening' });
      await pw(page.locator('.live.on')).toBeVisible();
      await fits(page);
      await h.screenshot(page, `provider-signed-in-${size}`, true);

      // The tab keeps the session: a reload goes back to the queue, without the provider.
      await page.reload();
      await pw(card(page, heldText)).toBeVisible();
      await pw(page.getByRole('heading', { name: 'Sign in to Comment Desk' })).toHaveCount(0);
      expect(await stored(page)).toEqual(signedIn);
    });

  it('renews the token before it expires without asking, and Sign out ends the session', async () => {
    const page = await h.open(null, '#/queue/pending');
    // The page's clock runs as usual until the test moves it on.
    await page.context().clock.install();
    await page.reload();
    await signInAtProvider(page, 'mona');
    await pw(card(page, heldText)).toBeVisible();
    const first = await stored(page);

    // A minute before the token's ten minutes are up, the console renews it: no dialog, the same page.
    const renewal = page.waitForResponse((r) => r.url().endsWith('/api/sessions/refresh'));
    await page.clock.fastForward('09:05');
    expect((await renewal).status()).toBe(200);
    await pw.poll(async () => (await stored(page)).session?.refreshToken !== first.session!.refreshToken).toBe(true);
    const renewed = await stored(page);
    expect(renewed.session!.refreshToken).not.toBe(first.session!.refreshToken);
    expect(renewed.site).toBe('evening');
    await pw(page.getByRole('dialog', { name: 'Sign in to Comment Desk' })).toHaveCount(0);
    await pw(card(page, heldText)).toBeVisible();
    const me = await h.t
      .http()
      .get('/api/me')
      .set('Comment-Desk-Site', 'evening')
      .auth(renewed.token!, { type: 'bearer' });
    expect(me.status).toBe(200);
    // And again, ten minutes later: each token is renewed in its turn.
    const second = page.waitForResponse((r) => r.url().endsWith('/api/sessions/refresh'));
    await page.clock.fastForward('09:05');
    expect((await second).status()).toBe(200);
    await pw.poll(async () => (await stored(page)).session?.refreshToken !== renewed.session!.refreshToken).toBe(true);
    const last = await stored(page);

    // Sign out forgets the tokens and ends the session itself: its refresh token is refused after.
    const ended = page.waitForResponse((r) => r.url().endsWith('/api/sessions/sign-out'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await ended).status()).toBe(204);
    await pw(signInButton(page)).toBeVisible();
    expect(await stored(page)).toMatchObject({ token: null, session: null });
    const refused = await h.t.http().post('/api/sessions/refresh').send({ refreshToken: last.session!.refreshToken });
    expect([refused.status, refused.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('asks for a sign-in over the page when the session ended elsewhere, and carries on after it', async () => {
    const page = await h.open(null, '#/queue/pending');
    await page.context().clock.install();
    await page.reload();
    await signInAtProvider(page, 'mona');
    await pw(card(page, heldText)).toBeVisible();
    await h.t.db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = 'evening:mona' AND revoked_at IS NULL`);

    await page.clock.fastForward('09:05');
    const dialog = page.getByRole('dialog', { name: 'Sign in to Comment Desk' });
    await pw(dialog).toBeVisible();
    await pw(dialog).toContainText('Your session has expired');
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'provider-session-ended-wide');
    // (The provider remembers Mona: its window does not ask again.)
    await signInAtProvider(page, null, dialog);
    await pw(dialog).toBeHidden();
    await pw(card(page, heldText)).toBeVisible();
    expect((await stored(page)).session).not.toBeNull();
  });

  it("shows a commenter the page that says so, and lets an admin of the site in, with the admins' sections", async () => {
    const page = await h.open(null, '#/queue/pending', PHONE);
    await signInAtProvider(page, 'rita');
    await pw(page.getByRole('heading', { name: 'This needs a moderator' })).toBeVisible();
    await pw(page.getByText('You are signed in as Rita Reader')).toBeVisible();
    await fits(page);
    await h.screenshot(page, 'provider-commenter-phone', true);
    const rita = (await stored(page)).session!.refreshToken;

    // Signing in as someone else ends the commenter's session.
    const ended = page.waitForResponse((r) => r.url().endsWith('/api/sessions/sign-out'));
    await page.getByRole('button', { name: 'Sign in as someone else' }).click();
    expect((await ended).status()).toBe(204);
    expect((await h.t.http().post('/api/sessions/refresh').send({ refreshToken: rita })).status).toBe(401);

    // (Signed out at the provider too, or it would sign Rita in again without asking.)
    await page.context().clearCookies();
    await signInAtProvider(page, 'ada');
    await pw(card(page, heldText)).toBeVisible();
    await pw(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' })).toBeVisible();
  });
});
