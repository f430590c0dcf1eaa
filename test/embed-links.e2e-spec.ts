/// <reference lib="dom" />
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { Api, expectStatus, spreadInTime, unique } from './support/comments-helpers';
import { axeViolations, HostSite, pw, screenshot } from './support/browser';
import { TestApp } from './support/test-app';
import { EmbedRig, startEmbedRig, stopEmbedRig } from './support/embed-rig';

const LINKED_ALONE = 'You are viewing one comment and the conversation around it.';
const MISSING =
  'The comment this link points to is not available. It may have been removed, or be awaiting moderation.';

/**
 * Links to one comment (`#comment-<id>`, as the moderators' console writes them), followed in
 * Chromium on a publisher's page at a desktop's and a phone's width: the thread opens at the
 * comment wherever it is, marked, in view and focused; a comment the reader may not see is said so.
 */
describe('links to one comment in the <comment-desk-thread> embed (browser)', () => {
  let t: TestApp;
  let api: Api;
  let apiOrigin: string;
  let host: HostSite;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let mod: string;
  const pageErrors: string[] = [];
  /** An article with 25 top-level comments: the oldest, on the second page, answered two deep. */
  let article: { id: string; url: string };
  const top: { id: string }[] = [];
  let reply: { id: string };
  let deep: { id: string };
  let rejected: { id: string };
  let elsewhere: { id: string };

  let rig: EmbedRig;

  beforeAll(async () => {
    rig = await startEmbedRig({ RATE_LIMITS: 'off' });
    ({ t, api, host, browser, apiOrigin } = rig);
    mod = t.token('link-desk', 'moderator');

    const url = `https://news.example/${unique('links')}`;
    article = { ...(await api.createArticle(mod, { url, title: 'The budget, explained' })), url };
    for (let i = 0; i < 25; i++)
      top.push(
        await api.comment(
          t.token(`reader-${i % 5}`, 'commenter', { name: `Reader ${i % 5}` }),
          article.id,
          `Top-level comment number ${i}.`,
        ),
      );
    await spreadInTime(
      t,
      top.map((c) => c.id),
    );
    const sam = t.token('sam', 'commenter', { name: 'Sam' });
    reply = await api.comment(sam, article.id, 'A reply to the oldest comment.', top[0].id);
    deep = await api.comment(
      t.token('ada', 'commenter', { name: 'Ada' }),
      article.id,
      'A reply to the reply, deep down.',
      reply.id,
    );
    rejected = await api.comment(sam, article.id, 'A comment a moderator rejected.');
    expectStatus(await api.reject(mod, rejected.id), 200);
    const other = await api.createArticle(mod);
    elsewhere = await api.comment(sam, other.id, 'A comment on another article.');
  }, 120_000);

  afterAll(() => stopEmbedRig(rig));

  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function open(width: number, fragment: string, user?: string): Promise<Page> {
    context = await browser.newContext({ viewport: { width, height: 800 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(5000);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${host.page({ articleUrl: article.url, user })}${fragment}`);
    return page;
  }

  const thread = (page: Page) => page.locator('comment-desk-thread');
  const byId = (page: Page, id: string) => thread(page).locator(`article#comment-${id}`);

  /** Whether the element is wholly on the screen. */
  const inView = (locator: Locator) =>
    locator.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= innerHeight && box.height > 0;
    });

  async function expectLinked(page: Page, id: string): Promise<void> {
    const linked = byId(page, id);
    await pw(linked).toBeVisible();
    await pw(linked).toBeFocused();
    await pw.poll(() => linked.evaluate((el) => el.classList.contains('linked'))).toBe(true);
    await pw.poll(() => inView(linked)).toBe(true);
    // Assistive technology hears that this is the linked comment.
    const description = await linked.evaluate((el) => {
      const ids = el.getAttribute('aria-describedby') ?? '';
      return (el.getRootNode() as ShadowRoot).getElementById(ids)?.textContent;
    });
    expect(description).toBe('Linked comment');
    await pw(thread(page).locator('.linked')).toHaveCount(1);
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    return (await axeViolations(page))
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help}`);
  }

  for (const width of [1280, 390]) {
    it(`opens at a comment on a later page and at a reply deep down, marked and in view, then the whole thread (${width} px)`, async () => {
      const page = await open(width, `#comment-${top[0].id}`);
      await expectLinked(page, top[0].id);
      await pw(thread(page).getByText(LINKED_ALONE)).toBeVisible();
      await pw(byId(page, reply.id)).toBeVisible(); // its replies come with it
      await pw(byId(page, top[24].id)).toHaveCount(0); // the first page is not drawn
      await pw(thread(page).getByRole('heading', { name: '27 comments' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `embed-link-later-page-${width}`, false);

      // Another link on the same page (a fragment navigation): a reply to a reply, not drawn yet.
      await page.goto(`${host.page({ articleUrl: article.url })}#comment-${deep.id}`);
      await expectLinked(page, deep.id);
      for (const id of [top[0].id, reply.id]) await pw(byId(page, id)).toBeVisible(); // the conversation above it
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `embed-link-reply-${width}`, false);

      // Back to the whole thread: the first page, and the address no longer names the comment.
      await thread(page).getByRole('button', { name: 'Show all comments' }).first().click();
      await pw(thread(page).getByRole('heading', { name: '27 comments' })).toBeFocused();
      await pw(byId(page, top[24].id)).toBeVisible();
      await pw(thread(page).getByText(LINKED_ALONE)).toBeHidden();
      await pw(thread(page).locator('.linked')).toHaveCount(0);
      expect(new URL(page.url()).hash).toBe('');

      // A link to a comment the thread draws already marks it there.
      await page.evaluate((id) => (location.hash = `#comment-${id}`), top[10].id);
      await expectLinked(page, top[10].id);
      await pw(thread(page).getByRole('button', { name: 'Show all comments' })).toHaveCount(0);
      await pw(byId(page, top[24].id)).toBeVisible();
    }, 60_000);

    it(`says so when the linked comment is not one the reader may see, above the whole thread (${width} px)`, async () => {
      const page = await open(width, `#comment-${rejected.id}`);
      const message = thread(page).getByText(MISSING);
      await pw(message).toBeVisible();
      await pw(thread(page).locator('.linked-bar')).toBeFocused();
      await pw(byId(page, top[24].id)).toBeVisible();
      await pw(thread(page).locator('.linked')).toHaveCount(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `embed-link-missing-${width}`, false);

      // An id no comment has: the same.
      await page.evaluate(() => (location.hash = '#comment-6f1c1f8e-2a8e-4f58-9d1e-6f7d7f1b2c3d'));
      await pw(message).toBeVisible();
      await pw(byId(page, top[24].id)).toBeVisible();
    }, 60_000);
  }

  it('opens at a comment the reader may not see once they sign in and may: their own rejected one', async () => {
    const page = await open(1280, `#comment-${rejected.id}`, 'sam');
    await pw(thread(page).getByText(MISSING)).toBeVisible();
    await thread(page).getByRole('button', { name: 'Sign in to comment' }).click();
    await expectLinked(page, rejected.id);
    await pw(byId(page, rejected.id)).toContainText('Rejected by moderation');
    await pw(thread(page).getByText(MISSING)).toHaveCount(0);
    await pw(thread(page).getByText(LINKED_ALONE)).toBeVisible();
  }, 60_000);

  it("leaves a link to another article's comment to that article's thread (a page may hold several)", async () => {
    const page = await open(1280, `#comment-${elsewhere.id}`);
    await pw(byId(page, top[24].id)).toBeVisible();
    await pw(thread(page).getByText(MISSING)).toHaveCount(0);
    await pw(thread(page).locator('.linked')).toHaveCount(0);
    await pw(thread(page).getByRole('button', { name: 'Show all comments' })).toHaveCount(0);
  }, 60_000);
});
