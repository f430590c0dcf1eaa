/// <reference lib="dom" />
import { BrowserContext, Page } from 'playwright-core';
import { SitesDirectory } from '../src/sites/sites.directory';
import { axeViolations, pw, screenshot } from './support/browser';
import { unique } from './support/comments-helpers';
import { addRigSite, EmbedRig, RigSite, startEmbedRig, stopEmbedRig } from './support/embed-rig';
import { OidcProvider, startOidcProvider } from './support/oidc-provider';

/**
 * A reader of a site with its own OpenID provider signs in from the embed (sign-in="provider"):
 * the provider's login in a window, back signed in to Comment Desk, and posting as that site's
 * user; a reload keeps them signed in. In Debian's Chromium, against a real provider.
 */
describe("the embed signs readers in with their site's provider (browser)", () => {
  let rig: EmbedRig;
  let site: RigSite;
  let provider: OidcProvider;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    rig = await startEmbedRig();
    site = await addRigSite(rig, 'evening', 'The Evening Post');
    provider = await startOidcProvider({
      redirectUris: [`${rig.apiOrigin}/api/sites/evening/sign-in/callback`],
      claims: { ada: { name: 'Ada Lovelace' } },
    });
    await rig.t.db.query(`UPDATE sites SET identity = identity || $1, version = version + 1 WHERE key = 'evening'`, [
      {
        issuer: provider.issuer,
        signIn: { clientId: provider.clientId, clientSecret: provider.clientSecret, scopes: ['profile'] },
      },
    ]);
    rig.t.app.get(SitesDirectory).forget();
  }, 60_000);
  afterAll(async () => {
    await provider?.stop();
    await stopEmbedRig(rig);
  });
  afterEach(() => context?.close());

  it.each([
    ['wide', 1280],
    ['phone', 390],
  ])(
    "at a %s width: signs in through the provider, posts as the site's reader, and stays signed in on reload",
    async (name, width) => {
      const url = `https://evening.example/${unique('story')}`;
      // (Made as an import would: the site's tokens now come from its provider only.)
      await rig.t.db.query(
        `INSERT INTO articles (site_id, url, title, moderation_mode, disclaimer_text) VALUES ($1, $2, 'Evening story', 'post', 'The comments below have not been moderated.')`,
        [site.id, url],
      );
      context = await rig.browser.newContext({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
      await page.goto(rig.host.page({ articleUrl: url, site: site.key, signIn: 'provider' }));
      const thread = page.locator('comment-desk-thread');

      const popup = page.waitForEvent('popup');
      await thread.getByRole('button', { name: 'Sign in to comment' }).click();
      const login = await popup;
      await login.locator('input[name="login"]').fill('ada');
      await login.locator('input[name="password"]').fill('any');
      await login.locator('button[type="submit"]').click();

      const box = thread.getByRole('textbox', { name: 'Your comment' });
      await pw(box).toBeVisible();
      await pw(thread.getByText('Ada Lovelace')).toBeVisible();
      const text = `Signed in with the Evening Post's own login, ${name}.`;
      await box.fill(text);
      await thread.getByRole('button', { name: 'Post comment' }).click();
      await pw(thread.getByRole('article').filter({ hasText: text })).toBeVisible();
      const { rows } = await rig.t.db.query(
        `SELECT u.id, u.site_id FROM comments c JOIN users u ON u.id = c.author_id WHERE c.body = $1`,
        [text],
      );
      expect(rows).toEqual([{ id: 'evening:ada', site_id: site.id }]);
      await screenshot(page, `embed-provider-sign-in-${name}`);
      expect(await axeViolations(page)).toEqual([]);

      // The page kept the session's refresh token: a reload signs the reader in again without the provider.
      await page.reload();
      await pw(thread.getByRole('textbox', { name: 'Your comment' })).toBeVisible();
    },
  );
});
