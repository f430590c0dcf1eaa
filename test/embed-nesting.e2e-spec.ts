/// <reference lib="dom" />
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { Api, expectStatus, spreadInTime, unique } from './support/comments-helpers';
import { axeViolations, HostSite, pw, screenshot } from './support/browser';
import { TestApp } from './support/test-app';
import { EmbedRig, startEmbedRig, stopEmbedRig } from './support/embed-rig';

/**
 * Replies to replies in the embed, in Chromium at a desktop's and a phone's width: nested to the
 * installation's replyDepth (3 here), then flat at the deepest level, each naming the comment it
 * answers; every level's replies read through their own pages.
 */
describe('the embed: replies to replies (browser)', () => {
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
    mod = t.token('desk-nest', 'moderator');
  }, 60_000);

  afterAll(() => stopEmbedRig(rig));

  afterEach(async () => {
    const violations = await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
    await context.close();
    expect(violations).toEqual([]); // nothing the page's CSP refused
    expect(pageErrors).toEqual([]);
  });

  async function open(width: number): Promise<void> {
    context = await browser.newContext({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(5000);
    page = await context.newPage();
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }

  const thread = () => page.locator('comment-desk-thread');
  const comment = (text: string | RegExp) => thread().getByRole('article').filter({ hasText: text });
  /** The comment's list item, with its replies: the innermost item holding its article. */
  const item = (text: string) =>
    thread()
      .locator('li')
      .filter({ has: page.getByRole('article').filter({ hasText: text }) })
      .last();
  /** The button under a comment's replies: "Show N replies", "Show N more replies". */
  const more = (text: string) => item(text).locator(':scope > button');
  const left = (locator: Locator) => locator.evaluate((el) => Math.round(el.getBoundingClientRect().left));
  const right = (locator: Locator) => locator.evaluate((el) => Math.round(el.getBoundingClientRect().right));
  const person = (name: string) => t.token(unique(name.toLowerCase()), 'commenter', { name });

  /** Bob's comment, and a chain of replies under it: Cara's, Dan's to Cara, Eve's to Dan. */
  async function chain() {
    const article = await api.createArticle(mod, { url: `https://news.example/${unique('nest')}` });
    const top = await api.comment(person('Bob'), article.id, 'Bob starts the thread.');
    const cara = await api.comment(person('Cara'), article.id, 'Cara answers Bob.', top.id);
    const dan = await api.comment(person('Dan'), article.id, 'Dan answers Cara.', cara.id);
    const eve = await api.comment(person('Eve'), article.id, 'Eve answers Dan.', dan.id);
    return { article, top, cara, dan, eve };
  }

  it.each([
    ['desktop', 1280],
    ['phone', 390],
  ])(
    'nests replies to the depth, then goes on flat saying whom each answers, on a %s',
    async (name, width) => {
      const { article, cara, eve } = await chain();
      const extra: string[] = [];
      for (let i = 0; i < 21; i++)
        extra.push((await api.comment(person(`Reader ${i}`), article.id, `More for Cara, ${i}.`, cara.id)).id);
      const reply = (await api.walkReplies(cara.id, 100)).ids;
      await spreadInTime(t, reply); // Dan's first, then the 21 others, in that order

      await open(width);
      await page.goto(host.page({ articleId: article.id, user: unique('ada'), userName: 'Ada' }));
      await pw(comment('Cara answers Bob.')).toBeVisible();
      // Signed in first: signing in reads the thread afresh.
      await thread().getByRole('button', { name: 'Sign in to comment' }).click();
      await pw(thread().getByText('Signed in as Ada')).toBeVisible();

      // Cara's reply came with the page; its own 22 replies are read 20 at a time.
      await pw(more('Cara answers Bob.')).toHaveText('Show 22 replies');
      await more('Cara answers Bob.').click();
      await pw(comment('Dan answers Cara.')).toBeVisible();
      await pw(comment('More for Cara, 18.')).toBeVisible();
      await pw(comment('More for Cara, 19.')).toHaveCount(0);
      await pw(more('Cara answers Bob.')).toHaveText('Show 2 more replies');
      await more('Cara answers Bob.').click();
      await pw(comment('More for Cara, 20.')).toBeVisible();
      await pw(more('Cara answers Bob.')).toBeHidden();

      // Dan's reply (the second level) has one of its own: Eve's, the third and last indented level.
      await pw(more('Dan answers Cara.')).toHaveText('Show 1 reply');
      await more('Dan answers Cara.').click();
      await pw(comment('Eve answers Dan.')).toBeVisible();
      const indents = [
        await left(comment('Bob starts the thread.')),
        await left(comment('Cara answers Bob.')),
        await left(comment('Dan answers Cara.')),
        await left(comment('Eve answers Dan.')),
      ];
      for (let i = 1; i < indents.length; i++) expect(indents[i]).toBeGreaterThan(indents[i - 1]);
      await pw(comment('Eve answers Dan.').getByRole('button', { name: /in reply to/ })).toHaveCount(0);

      // Ada answers Eve, past the depth: drawn at once at Eve's level, saying whom it answers.
      await comment('Eve answers Dan.').getByRole('button', { name: 'Reply', exact: true }).click();
      await thread().getByRole('textbox', { name: 'Your reply' }).fill('Ada answers Eve.');
      await thread().getByRole('button', { name: 'Post reply' }).click();
      const ada = comment('Ada answers Eve.');
      await pw(ada).toBeFocused();
      expect(await left(ada)).toBe(indents[3]);
      const toEve = ada.getByRole('button', { name: /^in reply to \W?Eve\W?$/ });
      await pw(toEve).toBeVisible();
      const [adaReply] = (await api.walkReplies(eve.id, 10)).items;
      expect(adaReply).toMatchObject({ body: 'Ada answers Eve.', parentId: eve.id });

      // Someone else answers Ada: it comes live, behind the new-comments button, then lands under her.
      await api.comment(person('Finn'), article.id, 'Finn answers Ada.', adaReply.id);
      await thread().getByRole('button', { name: '1 new comment' }).click();
      const finn = comment('Finn answers Ada.');
      await pw(finn).toBeVisible();
      expect(await left(finn)).toBe(indents[3]);
      await pw(finn.getByRole('button', { name: /^in reply to \W?Ada\W?$/ })).toBeVisible();
      await pw(thread().getByRole('heading', { name: '27 comments' })).toBeVisible();

      // "in reply to" leads back to the comment answered.
      await toEve.click();
      await pw(comment('Eve answers Dan.')).toBeFocused();

      // Nothing is wider than the phone, however deep; the deepest keeps most of the width.
      const layout = await page.evaluate(() => ({
        pageWider: document.documentElement.scrollWidth > window.innerWidth,
        hostRight: Math.round(document.querySelector('comment-desk-thread')!.getBoundingClientRect().right),
      }));
      expect(layout.pageWider).toBe(false);
      expect(await right(finn)).toBeLessThanOrEqual(layout.hostRight + 1);
      const hostWidth = await thread().evaluate((el) => el.getBoundingClientRect().width);
      expect(indents[3] - indents[0]).toBeLessThanOrEqual(hostWidth * 0.3);

      expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      await ada.scrollIntoViewIfNeeded();
      await screenshot(page, `embed-nested-${name}`, false);

      // Ada deletes hers: a tombstone while Finn's answer stands, which now answers a deleted comment.
      await ada.getByRole('button', { name: 'Delete', exact: true }).click();
      await thread()
        .getByRole('group', { name: /Delete this comment/ })
        .getByRole('button', { name: 'Delete' })
        .click();
      await pw(finn.getByRole('button', { name: 'in reply to a deleted comment' })).toBeVisible();
      await pw(comment('This comment was deleted.')).toHaveCount(1);
    },
    60_000,
  );

  it('says it in Arabic, right to left, and offers no Reply once the article is closed', async () => {
    const { article, eve } = await chain();
    await api.comment(person('فرح'), article.id, 'ردّ على إيف.', eve.id);
    await open(390);
    await page.goto(host.page({ articleId: article.id, lang: 'ar', dir: 'rtl', user: 'amal', userName: 'أمل' }));
    await thread().getByRole('button', { name: 'سجّل الدخول للتعليق' }).click();
    await pw(comment('Cara answers Bob.')).toBeVisible();
    await more('Cara answers Bob.').click();
    await pw(comment('Dan answers Cara.')).toBeVisible();
    await pw(more('Dan answers Cara.')).toHaveText('عرض ردّ واحد');
    await more('Dan answers Cara.').click();
    await pw(more('Eve answers Dan.')).toHaveText('عرض ردّ واحد');
    await more('Eve answers Dan.').click();
    const farah = comment('ردّ على إيف.');
    await pw(farah.getByRole('button', { name: /ردًّا على/ })).toBeVisible();
    // Right to left: each level starts further from the right, and the flat one where Eve's does.
    const eveRight = await right(comment('Eve answers Dan.'));
    expect(await right(comment('Dan answers Cara.'))).toBeGreaterThan(eveRight);
    expect(await right(farah)).toBe(eveRight);
    expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await screenshot(page, 'embed-nested-rtl-phone', false);

    // Every comment has a Reply until the article closes; then none has, at any depth.
    const replyButtons = thread().getByRole('button', { name: 'ردّ', exact: true });
    await pw(replyButtons).toHaveCount(5);
    expectStatus(await api.closeArticle(mod, article.id), 200);
    await pw(replyButtons).toHaveCount(0);
  }, 60_000);
});
