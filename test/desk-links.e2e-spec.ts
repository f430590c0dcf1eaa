/// <reference lib="dom" />
import { Page } from 'playwright-core';
import { expectStatus, spreadInTime } from './support/comments-helpers';
import { pw, screenshot } from './support/browser';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';

/**
 * The console's "Open in thread" on a card opens the article's page in a new tab, where the embed
 * opens at the comment: here the demo page the service serves, as `npm start` sets it up (the
 * demo article's URL is the page's own address).
 */
describe('from the console to the comment in its thread (browser)', () => {
  const h = new DeskHarness();
  let mod: string;
  let reported: { id: string };

  beforeAll(async () => {
    await h.start({ RATE_LIMITS: 'off' });
    mod = h.t.token('mona', 'moderator', { name: 'Mona Moderator' });
    const article = await h.api.createArticle(mod, { url: `${h.origin}/demo/`, title: 'The budget, explained' });
    const ids: string[] = [];
    for (let i = 0; i < 24; i++)
      ids.push((await h.api.comment(h.t.token(`reader-${i}`), article.id, `A comment on the budget, number ${i}.`)).id);
    // The oldest, on the thread's second page: a reader reports it.
    reported = await h.api.comment(
      h.t.token('spammer', 'commenter', { name: 'Spam Seller' }),
      article.id,
      'Guaranteed returns, message me for details.',
    );
    await spreadInTime(h.t, [reported.id, ...ids]);
    expectStatus(await h.api.report(h.t.token('ada'), reported.id, 'spam', 'Advertising.'), 201);
  }, 120_000);

  afterAll(() => h.stop());
  afterEach(() => h.closeContexts());

  for (const width of [DESKTOP, PHONE]) {
    it(`"Open in thread" opens the article's page in a new tab, at the comment (${width} px)`, async () => {
      const desk = await h.open(mod, '#/queue/reported', width);
      const card = desk.getByRole('article').filter({ hasText: 'Guaranteed returns' });
      const link = card.getByRole('link', { name: 'Open in thread' });
      await pw(link).toBeVisible();
      expect(await link.getAttribute('target')).toBe('_blank');

      const [thread] = await Promise.all([desk.context().waitForEvent('page'), link.click()]);
      thread.on('pageerror', (error) => h.pageErrors.push(error.message));
      await thread.waitForLoadState();
      expect(new URL(thread.url()).pathname).toMatch(/^\/demo\/?$/); // as the settings store the URL
      expect(new URL(thread.url()).hash).toBe(`#comment-${reported.id}`);
      const linked = thread.locator(`comment-desk-thread article#comment-${reported.id}`);
      await pw(linked).toBeVisible();
      await pw(linked).toBeFocused();
      await pw(linked).toContainText('Guaranteed returns, message me for details.');
      await pw.poll(() => inView(thread, reported.id)).toBe(true);
      expect(await h.seriousViolations(thread)).toEqual([]);
      await screenshot(thread, `desk-open-in-thread-${width}`, false);
    }, 60_000);
  }

  const inView = (page: Page, id: string) =>
    page.locator(`comment-desk-thread article#comment-${id}`).evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= innerHeight && box.height > 0;
    });
});
