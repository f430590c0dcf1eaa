/// <reference lib="dom" />
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Api, expectStatus, unique } from './support/comments-helpers';
import { axeViolations, HostSite, pw, screenshot } from './support/browser';
import { TestApp } from './support/test-app';
import { EmbedRig, startEmbedRig, stopEmbedRig } from './support/embed-rig';

/**
 * A banned reader's embed says so in place of the comment form and the Reply buttons, before they
 * write, in the thread's language and with the ban's end; a ban lifted or run out gives the form
 * back on the next load. In Debian's Chromium, on a publisher's page of another origin.
 */
describe('the embed for a banned reader (browser)', () => {
  let t: TestApp;
  let api: Api;
  let apiOrigin: string;
  let host: HostSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let mod: string;
  const pageErrors: string[] = [];

  let rig: EmbedRig;

  beforeAll(async () => {
    rig = await startEmbedRig();
    ({ t, api, host, browser, apiOrigin } = rig);
    mod = t.token('desk', 'moderator');
  }, 60_000);

  afterAll(() => stopEmbedRig(rig));

  async function open(url: string, width = 1280): Promise<void> {
    context = await browser.newContext({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
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
  const notice = () => thread().locator('.notice.banned');
  const composer = () => thread().getByRole('textbox');
  const comment = (text: string) => thread().getByRole('article').filter({ hasText: text });

  /** An article with a comment by someone else, and a reader who has commented before and is now banned. */
  async function bannedReader(ban: { until?: string }) {
    const url = `https://news.example/${unique('banned')}`;
    const article = await api.createArticle(mod, { url, title: 'The river crossing' });
    await api.comment(t.token(unique('other'), 'commenter', { name: 'Olga Other' }), article.id, 'A bridge at last.');
    const readerId = unique('reader');
    const own = await api.comment(
      t.token(readerId, 'commenter', { name: 'Early Reader' }),
      article.id,
      'Mine, before.',
    );
    expectStatus(await api.ban(mod, readerId, { reason: 'insults', ...ban }), 200);
    return { url, readerId, own };
  }

  const inThreeDays = () => new Date(Date.now() + 3 * 86_400_000).toISOString();

  describe.each([
    ['wide', 1280],
    ['phone', 390],
  ])('at a %s width', (name, width) => {
    it('shows a notice with the end of the ban instead of the form and Reply buttons; Report stays', async () => {
      const until = inThreeDays();
      const { url, readerId } = await bannedReader({ until });
      await open(host.page({ articleUrl: url, earlyUser: readerId }), width);

      await pw(comment('A bridge at last')).toBeVisible();
      await pw(notice()).toBeVisible();
      const expected = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(until));
      await pw(notice()).toHaveText(`You cannot comment on this site until ${expected}.`);
      await pw(composer()).toHaveCount(0);
      await pw(comment('A bridge at last').getByRole('button', { name: 'Reply' })).toHaveCount(0);
      await pw(comment('A bridge at last').getByRole('button', { name: 'Report' })).toBeVisible();
      // Their own comment: no Edit (the service refuses it), Delete stays.
      await pw(comment('Mine, before').getByRole('button', { name: 'Edit' })).toHaveCount(0);
      await pw(comment('Mine, before').getByRole('button', { name: 'Delete' })).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `embed-banned-${name}`, false);
    });
  });

  it.each([
    ['fr', /^Vous ne pouvez pas commenter sur ce site avant le .+\.$/],
    ['ar', /^لا يمكنك التعليق على هذا الموقع حتى .+\.$/],
  ])('says it in the thread’s language (%s), the date in that language', async (lang, text) => {
    const until = inThreeDays();
    const { url, readerId } = await bannedReader({ until });
    await open(host.page({ articleUrl: url, earlyUser: readerId, lang, dir: lang === 'ar' ? 'rtl' : undefined }));
    await pw(notice()).toBeVisible();
    const got = (await notice().textContent()) ?? '';
    expect(got).toMatch(text);
    const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(until));
    expect(got).toContain(date);
    expect(await axeViolations(page)).toEqual([]);
    if (lang === 'ar') await screenshot(page, 'embed-banned-ar', false);
  });

  it('a ban until lifted says so without a date', async () => {
    const { url, readerId } = await bannedReader({});
    await open(host.page({ articleUrl: url, earlyUser: readerId }));
    await pw(notice()).toHaveText('You can no longer comment on this site.');
    await pw(composer()).toHaveCount(0);
  });

  it('a reader who signs in on the page learns of the ban at once', async () => {
    const { url, readerId } = await bannedReader({ until: inThreeDays() });
    await open(host.page({ articleUrl: url, user: readerId, userName: 'Early Reader' }));
    await thread().getByRole('button', { name: 'Sign in to comment' }).click();
    await pw(notice()).toBeVisible();
    await pw(composer()).toHaveCount(0);
    await pw(comment('A bridge at last').getByRole('button', { name: 'Reply' })).toHaveCount(0);
  });

  it('a ban lifted, or run out, gives the form and Reply back on the next load', async () => {
    const { url, readerId } = await bannedReader({ until: inThreeDays() });
    await open(host.page({ articleUrl: url, earlyUser: readerId }));
    await pw(notice()).toBeVisible();

    expectStatus(await api.unban(mod, readerId), 200);
    await page.reload();
    await pw(composer()).toBeVisible();
    await pw(notice()).toHaveCount(0);
    await pw(comment('A bridge at last').getByRole('button', { name: 'Reply' })).toBeVisible();

    expectStatus(await api.ban(mod, readerId, { reason: 'again', until: inThreeDays() }), 200);
    await page.reload();
    await pw(notice()).toBeVisible();
    await t.db.query(`UPDATE users SET ban_until = now() - interval '1 minute' WHERE id = $1`, [readerId]);
    await page.reload();
    await pw(composer()).toBeVisible();
    await pw(notice()).toHaveCount(0);
  });
});
