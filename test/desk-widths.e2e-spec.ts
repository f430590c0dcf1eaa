/// <reference lib="dom" />
import { Locator, Page } from 'playwright-core';
import { expectStatus, unique } from './support/comments-helpers';
import { pw } from './support/browser';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';

/**
 * Every page of the console at a desktop's width and at a phone's: nothing scrolls sideways, axe
 * finds nothing serious, and a screenshot of each (desk-<page>-wide.png, desk-<page>-phone.png)
 * shows what a moderator sees there.
 */
describe('the console at a desktop’s and a phone’s width (browser)', () => {
  const h = new DeskHarness();
  let mod: string;
  let admin: string;
  let articleId: string;
  let userId: string;

  beforeAll(async () => {
    await h.start();
    mod = h.t.token('wanda', 'moderator', { name: 'Wanda Wide' });
    admin = h.t.token('chief', 'admin', { name: 'Chief Editor' });
    expectStatus(await h.api.putSettings(admin, { suspectWords: ['refund'], editWindowSeconds: 600 }), 200);

    // A pre-moderated article with held comments, one of them reported, and a reader banned for a week.
    const article = await h.api.createArticle(mod, {
      url: `https://news.example/${unique('widths')}`,
      title: 'Budget 2027: what changes for households, pensioners and small businesses',
      moderationMode: 'pre',
    });
    articleId = article.id;
    userId = unique('rex');
    const rex = h.t.token(userId, 'commenter', { name: 'Rex Reader' });
    await h.api.comment(rex, articleId, 'Will we get a refund on the energy levy? Nobody in this government can say.');
    const held = await h.api.comment(
      h.t.token(unique('ann'), 'commenter', { name: 'Ann Other' }),
      articleId,
      'The tax bands should follow inflation, as they did before 2010: see https://news.example/bands for the numbers.',
    );
    expectStatus(await h.api.approve(mod, held.id), 200);
    expectStatus(
      await h.api.report(h.t.token(unique('reporter'), 'commenter'), held.id, 'off_topic', 'Not about the budget'),
      201,
    );
    const ban = await h.t
      .http()
      .post(`/api/moderation/users/${userId}/ban`)
      .set('Authorization', `Bearer ${mod}`)
      .send({ reason: 'Spam links, again', until: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    expectStatus(ban, 200);
    const note = await h.t
      .http()
      .post(`/api/moderation/users/${userId}/notes`)
      .set('Authorization', `Bearer ${mod}`)
      .send({ body: 'Warned by email on Monday.' });
    expectStatus(note, 201);
    expectStatus(await h.api.putSettings(admin, { bannedWords: ['zorblat'], suspectWords: ['refund', 'levy'] }), 200);
  }, 60_000);

  afterAll(() => h.stop());
  afterEach(() => h.closeContexts());

  const card = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });

  /** Each page: where it is, who opens it, and what shows once it has arrived. */
  const PAGES: [string, () => string, () => string | null, (page: Page) => Locator][] = [
    ['queue', () => '#/queue/pending', () => mod, (page) => card(page, 'energy levy')],
    ['reported', () => '#/queue/reported', () => mod, (page) => card(page, 'tax bands').getByRole('region')],
    ['search', () => '#/search?q=inflation', () => mod, (page) => card(page, 'tax bands')],
    ['articles', () => '#/articles', () => mod, (page) => page.getByRole('table').getByRole('link').first()],
    [
      'article',
      () => `#/articles/${articleId}`,
      () => mod,
      (page) => page.getByRole('group', { name: 'As readers see the thread' }),
    ],
    [
      'user',
      () => `#/users/${userId}`,
      () => mod,
      (page) =>
        page
          .getByRole('table', { name: /^Decisions about/ })
          .getByRole('row')
          .nth(1),
    ],
    ['settings', () => '#/settings', () => admin, (page) => page.getByRole('textbox', { name: 'Banned words' })],
    ['imports', () => '#/imports', () => admin, (page) => page.getByRole('combobox', { name: 'Format' })],
    ['log', () => '#/log', () => mod, (page) => page.getByRole('table').getByRole('row').nth(3)],
    ['sign-in', () => '#/queue/pending', () => null, (page) => page.getByRole('heading', { name: /^Sign in/ })],
  ];

  async function openPage(path: string, token: string | null, width: number): Promise<Page> {
    const page = await h.open(token, '#/queue/pending', width);
    if (!token) return page;
    await pw(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    await pw(page.locator('.live.on')).toBeVisible(); // the screenshot shows the live dot as it is once connected
    await page.evaluate((hash) => (location.hash = hash), path);
    return page;
  }

  for (const [name, path, token, ready] of PAGES)
    for (const [size, width] of [
      ['wide', DESKTOP],
      ['phone', PHONE],
    ] as const)
      it(`shows ${name} at ${width} px`, async () => {
        const page = await openPage(path(), token(), width);
        await pw(ready(page)).toBeVisible();
        if (path().startsWith('#/queue') && token()) await pw(page.locator('.tabs .count').first()).toBeVisible();
        expect(await h.overflow(page)).toEqual({ by: 0, widest: [] });
        expect(await h.seriousViolations(page)).toEqual([]);
        await h.screenshot(page, `${name}-${size}`, true);
      });

  it('says who did what in one line an entry of the log on a desktop, as stacked entries on a phone', async () => {
    const wide = await openPage('#/log', mod, DESKTOP);
    const rows = wide.getByRole('table').locator('tbody tr');
    await pw.poll(() => rows.count()).toBeGreaterThan(4);
    const lines = await rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const time = tr.querySelector('time')!;
        const cell = getComputedStyle(tr.querySelector('td')!);
        const text = tr.clientHeight - parseFloat(cell.paddingTop) - parseFloat(cell.paddingBottom) - 1;
        return { time: time.getClientRects().length, lines: Math.round(text / parseFloat(cell.lineHeight)) };
      }),
    );
    expect(lines.filter((l) => l.time !== 1 || l.lines !== 1)).toEqual([]);
    await pw(rows.filter({ hasText: 'Chief Editor' }).first()).toContainText('Changed banned words and suspect words');
    await pw(rows.filter({ hasText: 'Spam links, again' })).toHaveCount(1);
    expect(await rows.filter({ hasText: 'Spam links, again' }).textContent()).not.toMatch(/\d{4}-\d\d-\d\dT/);

    const phone = await openPage('#/log', mod, PHONE);
    const entry = phone.getByRole('table').locator('tbody tr').first();
    await pw(entry).toBeVisible();
    // Stacked: who and when on one line, the reason below them.
    const box = await entry.evaluate((tr) => {
      const at = (selector: string) => tr.querySelector(selector)!.getBoundingClientRect();
      return { who: at('.who').top, when: at('.when').top, reason: at('.reason').top };
    });
    expect(Math.abs(box.who - box.when)).toBeLessThan(4);
    expect(box.reason).toBeGreaterThan(box.who + 10);
  });

  it('says the API’s validation errors with the settings’ names and units', async () => {
    const page = await openPage('#/settings', admin, PHONE);
    const editWindow = page.getByRole('spinbutton', { name: 'Time to edit a comment after posting, in seconds' });
    await editWindow.fill('-5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await pw(editWindow).toHaveAttribute('aria-invalid', 'true');
    const said = await editWindow.evaluate(
      (el) => document.getElementById(el.getAttribute('aria-describedby')!)?.textContent,
    );
    expect(said).toBe('Edit window must not be less than 0 seconds');
    expect(await h.overflow(page)).toEqual({ by: 0, widest: [] });
    expect(await h.seriousViolations(page)).toEqual([]);
  });
});
