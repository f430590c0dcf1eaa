/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { BrowserContext, Page } from 'playwright-core';
import { demoArticleMover, ensureDemoArticles } from '../src/web/demo-articles';
import { ensureDemoSite, EVENING_POST } from '../src/web/demo-sites';
import { Api, expectStatus, unique } from './support/comments-helpers';
import { axeViolations, pw, screenshot } from './support/browser';
import { addRigSite, EmbedRig, RigSite, startEmbedRig, stopEmbedRig } from './support/embed-rig';
import { TEST_JWT_SECRET, TestApp } from './support/test-app';

/**
 * Two publications on one service, each embedding its threads with site="KEY": a reader of each
 * posts on their own site's page, signed in by their own site's login; the same article URL is a
 * thread on each; a page that hands its thread another site's token says the sign-in was refused.
 * In Debian's Chromium, on a publisher's page of another origin, and on the demo's second site.
 */
describe('the embed on two sites (browser)', () => {
  let rig: EmbedRig;
  let t: TestApp;
  let api: Api;
  let evening: RigSite;
  let mod: string;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    rig = await startEmbedRig();
    ({ t, api } = rig);
    evening = await addRigSite(rig, 'evening-post', 'The Evening Post');
    mod = t.token('desk', 'moderator');
  }, 60_000);
  afterAll(() => stopEmbedRig(rig));

  async function open(url: string, width = 1280): Promise<void> {
    context = await rig.browser.newContext({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(5000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
  }

  afterEach(async () => {
    const violations = await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
    await context.close();
    expect(violations).toEqual([]); // nothing the page's CSP refused
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const thread = () => page.locator('comment-desk-thread');
  const comment = (text: string) => thread().getByRole('article').filter({ hasText: text });

  /** An article of the second site, made by its moderator (whose token its own login signed). */
  async function eveningArticle(url: string, title: string): Promise<{ id: string }> {
    return expectStatus(
      await t
        .http()
        .post('/api/articles')
        .set('Comment-Desk-Site', evening.key)
        .set('Authorization', `Bearer ${evening.token('evening-desk', 'moderator')}`)
        .send({ url, title }),
      201,
    );
  }

  async function eveningComment(articleId: string, sub: string, body: string): Promise<void> {
    expectStatus(
      await t
        .http()
        .post(`/api/articles/${articleId}/comments`)
        .set('Comment-Desk-Site', evening.key)
        .set('Authorization', `Bearer ${evening.token(sub)}`)
        .send({ body }),
      201,
    );
  }

  const authorOf = async (body: string) =>
    (
      await t.db.query(
        `SELECT c.article_id, u.id, u.site_id FROM comments c JOIN users u ON u.id = c.author_id WHERE c.body = $1`,
        [body],
      )
    ).rows;

  describe.each([
    ['wide', 1280],
    ['phone', 390],
  ])('at a %s width', (name, width) => {
    it('shows each site its own thread of the same article URL, and a reader of each posts on their own page', async () => {
      const url = `https://syndicated.example/${unique('story')}`;
      const daily = await api.createArticle(mod, { url, title: 'A story both sites carry' });
      await api.comment(
        t.token(unique('dan'), 'commenter', { name: 'Dan Daily' }),
        daily.id,
        'Said on the first site.',
      );
      const late = await eveningArticle(url, 'A story both sites carry');
      expect(late.id).not.toBe(daily.id);
      await eveningComment(late.id, unique('eve'), 'Said on the evening site.');

      // The first site's page: as before sites, no attribute.
      await open(rig.host.page({ articleUrl: url, user: `daily-${name}`, userName: 'Dora Daily' }), width);
      await pw(comment('Said on the first site.')).toBeVisible();
      await pw(comment('Said on the evening site.')).toHaveCount(0);
      await thread().getByRole('button', { name: 'Sign in to comment' }).click();
      const dailyText = `From a reader of the first site, ${name}.`;
      await thread().getByRole('textbox', { name: 'Your comment' }).fill(dailyText);
      await thread().getByRole('button', { name: 'Post comment' }).click();
      await pw(comment(dailyText)).toBeVisible();
      await context.close();

      // The second site's page: site="KEY", its own login.
      await open(
        rig.host.page({ articleUrl: url, site: evening.key, user: `evening-${name}`, userName: 'Eve Evening' }),
        width,
      );
      await pw(comment('Said on the evening site.')).toBeVisible();
      await pw(comment('Said on the first site.')).toHaveCount(0);
      await pw(comment(dailyText)).toHaveCount(0);
      await thread().getByRole('button', { name: 'Sign in to comment' }).click();
      await pw(thread().getByText('Signed in as Eve Evening')).toBeVisible();
      const eveningText = `From a reader of the evening site, ${name}.`;
      await thread().getByRole('textbox', { name: 'Your comment' }).fill(eveningText);
      await thread().getByRole('button', { name: 'Post comment' }).click();
      await pw(comment(eveningText)).toBeVisible();
      // Theirs, as the site's comments name them (site:sub): editable, and not news to themselves.
      await pw(comment(eveningText).getByRole('button', { name: 'Edit' })).toBeVisible();
      await page.goto(rig.host.page({ articleUrl: url, site: evening.key, earlyUser: `evening-${name}` }));
      await pw(comment(eveningText).getByRole('button', { name: 'Delete' })).toBeVisible();
      await pw(thread().getByRole('button', { name: /new comment/ })).toHaveCount(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `embed-second-site-${name}`);

      // Stored on each site's article, by each site's reader.
      expect(await authorOf(dailyText)).toEqual([{ article_id: daily.id, id: `daily-${name}`, site_id: 1 }]);
      expect(await authorOf(eveningText)).toEqual([
        { article_id: late.id, id: `${evening.key}:evening-${name}`, site_id: evening.id },
      ]);
    }, 60_000);

    it("refuses a token of the first site given to the second site's thread, and says so", async () => {
      const url = `https://evening.example/${unique('mixed')}`;
      const article = await eveningArticle(url, 'A page that hands out the wrong token');
      await eveningComment(article.id, unique('eve'), 'Readable by anyone.');
      await open(
        rig.host.page({ articleUrl: url, site: evening.key, loginSite: 'default', user: `mixed-${name}` }),
        width,
      );
      await pw(comment('Readable by anyone.')).toBeVisible();
      await thread().getByRole('button', { name: 'Sign in to comment' }).click();
      const refusal = thread().getByRole('alert').filter({ hasText: 'Your sign-in was not accepted' });
      await pw(refusal).toBeVisible();
      await pw(thread().getByRole('textbox', { name: 'Your comment' })).toHaveCount(0);
      await pw(comment('Readable by anyone.')).toBeVisible(); // the thread is still read, as by anyone
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `embed-other-site-token-${name}`);
    }, 60_000);
  });

  it("says that a reader signed in to one site cannot post on another site's article", async () => {
    // A page of the second site showing a first-site thread by its id: its reader may read, not write.
    const daily = await api.createArticle(mod, { url: `https://daily.example/${unique('by-id')}`, title: 'By id' });
    await api.comment(t.token(unique('dan')), daily.id, 'On the first site.');
    await open(rig.host.page({ articleId: daily.id, site: evening.key, user: 'wanderer', userName: 'Wanda' }));
    await pw(comment('On the first site.')).toBeVisible();
    await thread().getByRole('button', { name: 'Sign in to comment' }).click();
    await thread().getByRole('textbox', { name: 'Your comment' }).fill('From the wrong site.');
    await thread().getByRole('button', { name: 'Post comment' }).click();
    await pw(
      thread().getByText('You are signed in to another site. Sign in with this site’s login to comment.', {
        exact: false,
      }),
    ).toBeVisible();
    expect(await authorOf('From the wrong site.')).toEqual([]);
    await screenshot(page, 'embed-other-site-post', false);
  }, 60_000);

  describe("the demo's second site", () => {
    let dataDir: string;
    let secret: string;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'demo-evening-'));
      secret = (await ensureDemoSite(t.app, EVENING_POST, rig.apiOrigin, join(dataDir, 'jwt-secret-evening')))!;
      await ensureDemoArticles(
        rig.apiOrigin,
        TEST_JWT_SECRET,
        true,
        { origin: rig.apiOrigin, moveArticle: demoArticleMover(t.app) },
        { [EVENING_POST.key]: secret },
      );
    }, 60_000);
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it.each([
      ['wide', 1280],
      ['phone', 390],
    ])(
      "shows its readers' thread, signs its reader in with its own token and keeps that sign-in to its page (%s)",
      async (name, width) => {
        await open(`${rig.apiOrigin}/demo/evening.html`, width);
        await pw(page.getByRole('link', { name: 'The Evening Post' }).first()).toBeVisible();
        await pw(comment('Getting home after a late shift')).toBeVisible();
        await pw(comment('The chart of the thresholds')).toHaveCount(0); // the first site's demo thread
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `demo-evening-${name}`);

        const token = jwt.sign({ sub: `night-owl-${name}`, name: 'Night Owl', role: 'commenter' }, secret, {
          algorithm: 'HS256',
          expiresIn: '1h',
        });
        await thread().getByRole('button', { name: 'Sign in to comment' }).click();
        await page.getByLabel('Your token').fill(token);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        const text = `Sundays would help the hospital staff most (${name}).`;
        await thread().getByRole('textbox', { name: 'Your comment' }).fill(text);
        await thread().getByRole('button', { name: 'Post comment' }).click();
        await pw(comment(text)).toBeVisible();
        await pw(comment(text).getByRole('button', { name: 'Edit' })).toBeVisible();
        expect(await authorOf(text)).toEqual([
          expect.objectContaining({ id: `evening:night-owl-${name}`, site_id: expect.any(Number) }),
        ]);

        // The first site's page is another login: this tab is not signed in there.
        await page.getByRole('link', { name: 'An open thread' }).click();
        await pw(comment('The chart of the thresholds')).toBeVisible();
        await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toBeVisible();
        await pw(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
      },
      60_000,
    );
  });
});
