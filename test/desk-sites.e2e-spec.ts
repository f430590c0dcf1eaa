/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { Page } from 'playwright-core';
import { expectStatus, unique } from './support/comments-helpers';
import { pw } from './support/browser';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';

/**
 * The console on an installation of two sites, in Chromium against the whole service: the
 * header's switcher, every call naming its site, the settings of the site chosen, signing in
 * with another site's token, and the admins' pages for sites and their members.
 *
 * Parts of this need moderators' routes scoped by site (queue items with `article.site`) and the
 * admin API for sites: those tests run once docs/openapi.json describes them, and are skipped
 * (named as such) until then.
 */
type Schema = { $ref?: string; properties?: Record<string, Schema>; allOf?: Schema[] };
const DOCUMENT = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'openapi.json'), 'utf8')) as {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, Schema> };
};
const resolved = (s: Schema | undefined): Schema | undefined =>
  s?.$ref ? DOCUMENT.components.schemas[s.$ref.split('/').pop()!] : s?.allOf ? resolved(s.allOf[0]) : s;
const QUEUES_BY_SITE = !!resolved(resolved(DOCUMENT.components.schemas.QueueItemView)?.properties?.article)?.properties
  ?.site;
const ADMIN_API = '/api/admin/sites' in DOCUMENT.paths;
const whenQueuesBySite = QUEUES_BY_SITE ? it : it.skip;
const whenAdminApi = ADMIN_API ? it : it.skip;

const EVENING_SECRET = 'the-evening-posts-own-login-secret-0123456789';

describe("the console's sites (browser)", () => {
  const h = new DeskHarness();
  /** A moderator of the first site (by their token) and of the Evening Post (granted). */
  let both: string;
  /** A moderator of the first site only. */
  let solo: string;
  /** An admin of the first site (the organisation's) and, granted, of the Evening Post. */
  let chief: string;
  let morningTitle: string;
  let eveningTitle: string;

  beforeAll(async () => {
    await h.start();
    both = h.t.token('mona', 'moderator', { name: 'Mona Both' });
    solo = h.t.token('solo', 'moderator', { name: 'Solo Moderator' });
    chief = h.t.token('chief', 'admin', { name: 'Chief Editor' });
    const { rows } = await h.t.db.query<{ id: number }>(
      `INSERT INTO sites (key, name, identity) VALUES ('evening', 'The Evening Post', $1) RETURNING id`,
      [JSON.stringify({ secrets: [EVENING_SECRET] })],
    );
    const evening = rows[0].id;
    await h.t.db.query(
      `INSERT INTO moderation_settings (id, rate_limits) SELECT $1, rate_limits FROM moderation_settings WHERE id = 1`,
      [evening],
    );
    await h.t.db.query(
      `INSERT INTO users (id, name, site_id) VALUES ('mona', 'Mona Both', 1), ('chief', 'Chief Editor', 1)`,
    );
    await h.t.db.query(
      `INSERT INTO site_members (site_id, user_id, role, granted_by) VALUES ($1, 'mona', 'moderator', 'chief'), ($1, 'chief', 'admin', 'chief')`,
      [evening],
    );
    morningTitle = `Morning news ${unique('m')}`;
    eveningTitle = `Evening news ${unique('e')}`;
    await h.api.createArticle(both, { title: morningTitle });
    expectStatus(
      await h.t
        .http()
        .post('/api/articles?site=evening')
        .set('Authorization', `Bearer ${both}`)
        .send({ url: `https://evening.example/${unique('a')}`, title: eveningTitle }),
      201,
    );
  }, 60_000);

  afterAll(() => h.stop());
  afterEach(() => h.closeContexts());

  const switcher = (page: Page) => page.getByRole('combobox', { name: 'Site' });
  const articleLink = (page: Page, title: string) => page.getByRole('link', { name: title });

  async function open(token: string, place: string, width: number = DESKTOP): Promise<Page> {
    const page = await h.open(token, place, width);
    await pw(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    return page;
  }

  const fits = async (page: Page) => {
    expect(await h.overflow(page)).toEqual({ by: 0, widest: [] });
    expect(await h.seriousViolations(page)).toEqual([]);
  };

  for (const [size, width] of [
    ['wide', DESKTOP],
    ['phone', PHONE],
  ] as const)
    it(`lets a moderator of two sites switch between them at ${width} px, kept in the URL and across a reload`, async () => {
      const page = await open(both, '#/articles', width);
      const choice = switcher(page);
      await pw(choice).toHaveValue('default');
      // On a page of one site, the choices are the sites; "All my sites" is for the queues.
      expect(await choice.locator('option').allTextContents()).toEqual(['Default site', 'The Evening Post']);
      await pw(articleLink(page, morningTitle)).toBeVisible();
      await pw(articleLink(page, eveningTitle)).toHaveCount(0);
      await fits(page);
      await h.screenshot(page, `sites-articles-default-${size}`, true);

      await choice.selectOption('evening');
      await pw(articleLink(page, eveningTitle)).toBeVisible();
      await pw(articleLink(page, morningTitle)).toHaveCount(0);
      expect(new URL(page.url()).hash).toBe('#/articles?site=evening');
      expect(await page.evaluate(() => localStorage.getItem('comment-desk.site'))).toBe('evening');
      await fits(page);
      await h.screenshot(page, `sites-articles-evening-${size}`, true);

      // The sections' links keep the site; a reload keeps it too.
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Queues' }).click();
      await pw(page.getByRole('tablist', { name: 'Queues' })).toBeVisible();
      expect(new URL(page.url()).hash).toBe('#/queue?site=evening');
      await page.reload();
      await pw(switcher(page)).toHaveValue('evening');
      // On the queues, "All my sites" is offered too.
      expect(await switcher(page).locator('option').allTextContents()).toEqual([
        'All my sites',
        'Default site',
        'The Evening Post',
      ]);
      await fits(page);
      await h.screenshot(page, `sites-queue-switcher-${size}`, true);
    });

  it('shows a moderator of one site that site alone, whatever the URL asks', async () => {
    const page = await open(solo, '#/articles?site=evening');
    await pw(page.locator('.top .site-name')).toHaveText('Site: Default site');
    await pw(switcher(page)).toHaveCount(0);
    await pw(articleLink(page, morningTitle)).toBeVisible();
    await pw(articleLink(page, eveningTitle)).toHaveCount(0);
    expect(await page.getByText('The Evening Post').count()).toBe(0);
    await fits(page);
  });

  it("edits the chosen site's settings, and only that site's", async () => {
    const word = unique('eveningword');
    const page = await open(chief, '#/settings?site=evening');
    await pw(switcher(page)).toHaveValue('evening');
    await pw(page.getByText('Of the site The Evening Post: each site has its own.')).toBeVisible();
    const banned = page.getByRole('textbox', { name: 'Banned words' });
    await banned.fill(word);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await pw(page.locator('.announcement')).toHaveText('Settings saved.');
    const settingsOf = async (site: string) =>
      expectStatus(
        await h.t.http().get(`/api/moderation/settings?site=${site}`).set('Authorization', `Bearer ${chief}`),
        200,
      ).bannedWords as string[];
    expect(await settingsOf('evening')).toEqual([word]);
    expect(await settingsOf('default')).not.toContain(word);
    await fits(page);
    await h.screenshot(page, 'sites-settings-evening-wide', true);

    // Switching site shows the other site's settings in the form.
    await switcher(page).selectOption('default');
    await pw(page.getByText('Of the site Default site: each site has its own.')).toBeVisible();
    await pw(banned).toHaveValue((await settingsOf('default')).join('\n'));
  });

  it("signs in with another site's token, naming that site", async () => {
    const token = jwt.sign({ sub: 'eve', role: 'moderator', name: 'Eve Evening' }, EVENING_SECRET, {
      algorithm: 'HS256',
      expiresIn: '1h',
    });
    const page = await h.open(null, '#/articles');
    await page.getByRole('textbox', { name: 'Paste a token from your login' }).fill(token);
    const site = page.getByRole('textbox', { name: 'Site of this token' });
    await site.fill('evening');
    await fits(page);
    await h.screenshot(page, 'sites-sign-in-wide', true);
    await page.getByRole('button', { name: 'Use this token' }).click();
    await pw(page.locator('.top .site-name')).toHaveText('Site: The Evening Post');
    await pw(articleLink(page, eveningTitle)).toBeVisible();
    await pw(articleLink(page, morningTitle)).toHaveCount(0);
    expect(await page.evaluate(() => sessionStorage.getItem('comment-desk.identity-site'))).toBe('evening');
  });

  describe('queues by site (needs the moderators’ routes scoped by site)', () => {
    let morningArticle: string;
    let eveningArticle: string;

    beforeAll(async () => {
      if (!QUEUES_BY_SITE) return;
      morningArticle = (
        await h.api.createArticle(both, { title: `Held morning ${unique('m')}`, moderationMode: 'pre' })
      ).id;
      const made = expectStatus(
        await h.t
          .http()
          .post('/api/articles?site=evening')
          .set('Authorization', `Bearer ${both}`)
          .send({ url: `https://evening.example/${unique('a')}`, title: `Held evening`, moderationMode: 'pre' }),
        201,
      );
      eveningArticle = made.id;
      const reader = h.t.token('reader', 'commenter');
      const eveningReader = jwt.sign({ sub: 'ray', role: 'commenter', name: 'Ray Evening' }, EVENING_SECRET, {
        algorithm: 'HS256',
        expiresIn: '1h',
      });
      await h.api.comment(reader, morningArticle, 'A morning comment to review');
      expectStatus(
        await h.t
          .http()
          .post(`/api/articles/${eveningArticle}/comments`)
          .set('Authorization', `Bearer ${eveningReader}`)
          .set('Comment-Desk-Site', 'evening')
          .send({ body: 'An evening comment to review' }),
        201,
      );
    });

    const card = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });

    whenQueuesBySite("shows each site's queue, and all of them with the site on each card", async () => {
      const page = await open(both, '#/queue/pending?site=default');
      await pw(card(page, 'A morning comment to review')).toBeVisible();
      await pw(card(page, 'An evening comment to review')).toHaveCount(0);
      await switcher(page).selectOption('evening');
      await pw(card(page, 'An evening comment to review')).toBeVisible();
      await pw(card(page, 'A morning comment to review')).toHaveCount(0);
      await switcher(page).selectOption('all');
      await pw(card(page, 'A morning comment to review').locator('.site-badge')).toHaveText('Site: Default site');
      await pw(card(page, 'An evening comment to review').locator('.site-badge')).toHaveText('Site: The Evening Post');
      await fits(page);
      await h.screenshot(page, 'sites-queue-all-wide', true);

      // A decision on another site's card, from "All my sites", goes through.
      await card(page, 'An evening comment to review').getByRole('button', { name: 'Approve' }).click();
      await pw(page.locator('.announcement')).toContainText('Approved the comment by Ray Evening');
      await pw(card(page, 'An evening comment to review')).toHaveCount(0);

      const phone = await open(both, '#/queue/pending?site=all', PHONE);
      await pw(card(phone, 'A morning comment to review').locator('.site-badge')).toBeVisible();
      await fits(phone);
      await h.screenshot(phone, 'sites-queue-all-phone', true);
    });
  });

  describe('the Sites pages (need the admin API for sites)', () => {
    whenAdminApi('lets the organisation’s admin create a site and grant a moderator there', async () => {
      const key = unique('noon')
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .slice(0, 40);
      const page = await open(chief, '#/sites');
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Sites' }).click();
      await pw(page.getByRole('heading', { level: 1, name: 'Sites' })).toBeVisible();
      await pw(page.getByRole('link', { name: 'The Evening Post' })).toBeVisible();
      await fits(page);
      await h.screenshot(page, 'sites-list-wide', true);

      await page.getByRole('button', { name: 'New site' }).click();
      const form = page.getByRole('form', { name: 'New site' });
      await form.getByRole('textbox', { name: 'Key' }).fill('Not A Key');
      await form.getByRole('textbox', { name: 'Name' }).fill('The Noon Paper');
      await form.getByRole('button', { name: 'Create site' }).click();
      await pw(form.getByRole('textbox', { name: 'Key' })).toHaveAttribute('aria-invalid', 'true');
      await form.getByRole('textbox', { name: 'Key' }).fill(key);
      await form.getByRole('textbox', { name: 'Origins' }).fill('https://noon.example');
      await form.getByRole('button', { name: 'Create site' }).click();
      await pw(page.getByRole('heading', { level: 1, name: 'The Noon Paper' })).toBeVisible();
      expect(new URL(page.url()).hash).toMatch(new RegExp(`^#/sites/${key}`));
      await pw(page.getByText('HS256 secrets: none set')).toBeVisible();

      // Its identity: a secret, write-only, read back as "1 secret set".
      await page.getByRole('textbox', { name: 'Issuer' }).fill('https://login.noon.example');
      await page.getByRole('checkbox', { name: 'Replace the secrets' }).check();
      await page.getByRole('textbox', { name: /^New secrets/ }).fill('noon-secret-that-is-long-enough-for-hs256-0123');
      await page.getByRole('button', { name: 'Save site' }).click();
      await pw(page.locator('.announcement')).toHaveText('The site “The Noon Paper” is saved.');
      await pw(page.getByText(/HS256 secrets: 1 secret set/)).toBeVisible();
      expect(await page.content()).not.toContain('noon-secret-that-is-long-enough');

      // A moderator of the first site is granted the new one.
      const members = page.getByRole('region', { name: 'Members' });
      await members.getByRole('textbox', { name: /^User id/ }).fill('solo');
      await members.getByRole('combobox', { name: 'Role' }).selectOption('moderator');
      await members.getByRole('button', { name: 'Grant' }).click();
      await pw(members.getByRole('button', { name: 'Revoke Solo Moderator’s role' })).toBeVisible();
      await fits(page);
      await h.screenshot(page, 'sites-site-wide', true);

      const soloPage = await open(solo, '#/articles');
      // (The switcher is drawn once /api/me has named their sites.)
      await pw(switcher(soloPage)).toHaveValue('default');
      expect(await switcher(soloPage).locator('option').allTextContents()).toEqual(['Default site', 'The Noon Paper']);

      // Revoked, the site leaves their switcher.
      await members.getByRole('button', { name: 'Revoke Solo Moderator’s role' }).click();
      await pw(members.getByRole('button', { name: 'Revoke Solo Moderator’s role' })).toHaveCount(0);
      await soloPage.reload();
      await pw(soloPage.locator('.top .site-name')).toHaveText('Site: Default site');

      const phone = await open(chief, `#/sites/${key}`, PHONE);
      await pw(phone.getByRole('heading', { level: 1, name: 'The Noon Paper' })).toBeVisible();
      await fits(phone);
      await h.screenshot(phone, 'sites-site-phone', true);
    });

    it('is not offered to a moderator', async () => {
      const page = await open(both, '#/queue/pending');
      await pw(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Sites' })).toHaveCount(0);
      await page.evaluate(() => (location.hash = '#/sites'));
      await pw(page.getByRole('alert')).toHaveText('Only administrators can manage sites.');
    });
  });
});
