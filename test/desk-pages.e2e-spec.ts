/// <reference lib="dom" />
import { Locator, Page } from 'playwright-core';
import { DEFAULT_CLOSED_MESSAGE, DEFAULT_DISCLAIMER, expectStatus, unique } from './support/comments-helpers';
import { pw } from './support/browser';
import { DeskHarness } from './support/desk';

/**
 * The console's user, article, settings and log pages in Chromium, against the whole service:
 * controls are found by role and name, as assistive technology finds them, and what the pages
 * do is checked where readers and the API see it.
 */
describe("the console's user, article, settings and log pages (browser)", () => {
  const h = new DeskHarness();
  let mod: string;
  let admin: string;

  beforeAll(async () => {
    await h.start();
    mod = h.t.token('dana', 'moderator', { name: 'Dana Desk' });
    admin = h.t.token('chief', 'admin', { name: 'Chief Admin' });
  }, 60_000);

  afterAll(() => h.stop());
  afterEach(() => h.closeContexts());

  /**
   * The desk signed in, then taken to `place`. (The harness's own place is not used: the desk
   * reads its route before it takes the token from the fragment, and lands on the queue.)
   */
  async function open(token: string, place: string): Promise<Page> {
    const page = await h.open(token);
    await pw(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    await page.evaluate((hash) => (location.hash = hash), place);
    return page;
  }

  /** What a paste does to a text box: its value at once, with one input event (fill() types line by line). */
  const paste = (box: Locator, text: string) =>
    box.evaluate((el, value) => {
      (el as HTMLTextAreaElement).value = value;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, text);

  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  const announcement = (page: Page) => page.locator('.announcement');
  const readersThread = async (articleId: string) => {
    const res = await h.api.thread(articleId);
    expectStatus(res, 200);
    return res.body.article as {
      closed: boolean;
      closedMessage: string | null;
      disclaimer: { show: boolean; text: string };
    };
  };

  /** The text of the element that describes a control (its error, next to it). */
  const description = (page: Page, control: ReturnType<Page['getByRole']>) =>
    control.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );

  async function newArticle(title: string, extra: Record<string, unknown> = {}) {
    const url = `https://news.example/${unique('desk-pages')}`;
    return { ...(await h.api.createArticle(mod, { url, title, ...extra })), url, title };
  }

  it('finds an article, closes it with the message readers then read, and reopens it', async () => {
    const article = await newArticle('Budget vote tonight');
    const page = await open(mod, '#/articles');
    await pw(heading(page, 'Articles')).toBeFocused();

    await page.getByRole('searchbox', { name: 'Title or URL' }).fill('budget vote');
    await page.getByRole('button', { name: 'Find' }).click();
    const found = page.getByRole('table', { name: 'Articles matching “budget vote”' });
    await pw(found.getByRole('link', { name: 'Budget vote tonight' })).toHaveCount(1);
    expect(new URL(page.url()).hash).toBe('#/articles?q=budget+vote');
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'article-search');
    await found.getByRole('link', { name: 'Budget vote tonight' }).click();

    await pw(heading(page, 'Budget vote tonight')).toBeFocused();
    await pw.poll(() => page.title()).toBe('Budget vote tonight · Comment Desk');
    const message = page.getByRole('textbox', { name: 'Message readers will see' });
    await pw(message).toHaveValue(DEFAULT_CLOSED_MESSAGE);
    await message.fill('Comments closed after the vote. Thank you.');
    const onceClosed = page.getByRole('group', { name: 'As readers will see it once closed' });
    await pw(onceClosed.locator('.notice.closed')).toHaveText('Comments closed after the vote. Thank you.');
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'articles');

    await page.getByRole('button', { name: 'Close article' }).click();
    await pw(page.getByRole('button', { name: 'Reopen article' })).toBeVisible();
    const now = page.getByRole('group', { name: 'As readers see the thread' });
    await pw(now.locator('.notice.closed')).toHaveText('Comments closed after the vote. Thank you.');
    const thread = await readersThread(article.id);
    expect(thread.closed).toBe(true);
    expect(thread.closedMessage).toBe('Comments closed after the vote. Thank you.');
    const reader = h.t.token(unique('reader'), 'commenter');
    expectStatus(await h.api.post(reader, article.id, { body: 'Too late?' }), 409);

    await page.getByRole('button', { name: 'Reopen article' }).click();
    await pw(page.getByRole('button', { name: 'Close article' })).toBeVisible();
    await pw(now.locator('.notice.closed')).toHaveCount(0);
    expect((await readersThread(article.id)).closed).toBe(false);
    expect(await h.seriousViolations(page)).toEqual([]);
  });

  it('switches an article to pre-moderation with the disclaimer off, the preview showing what readers then read', async () => {
    const article = await newArticle('Council meeting');
    const page = await open(mod, `#/articles/${article.id}`);
    await pw(heading(page, 'Council meeting')).toBeVisible();
    const now = page.getByRole('group', { name: 'As readers see the thread' });
    await pw(now.locator('.notice.disclaimer')).toHaveText(DEFAULT_DISCLAIMER);

    // An empty disclaimer is refused, and the API's word shows next to the field.
    const text = page.getByRole('textbox', { name: 'Disclaimer text' });
    await text.fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await pw(text).toHaveAttribute('aria-invalid', 'true');
    await pw(text).toBeFocused();
    expect(await description(page, text)).toMatch(/^Disclaimer text must not be empty$/);
    await text.fill(DEFAULT_DISCLAIMER);

    await page.getByRole('radio', { name: /^Pre-moderation/ }).check();
    await page.getByRole('checkbox', { name: 'Show the disclaimer above the comments' }).uncheck();
    await pw(now.locator('.notice')).toHaveCount(0);
    await pw(now).toContainText('a new comment waits for a moderator');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await pw(announcement(page)).toHaveText('Saved.');
    await pw.poll(() => text.getAttribute('aria-invalid')).toBe(null);

    const thread = await readersThread(article.id);
    expect(thread.disclaimer.show).toBe(false);
    expect(thread.closed).toBe(false);
    const saved = await h.api.getArticle(article.id, mod);
    expect(saved.body.moderationMode).toBe('pre');
    const reader = h.t.token(unique('reader'), 'commenter');
    expect((await h.api.comment(reader, article.id, 'Will this wait?')).status).toBe('pending');

    // After a reload, the page and its preview say the same as the reader's thread.
    await page.reload();
    await pw(heading(page, 'Council meeting')).toBeVisible();
    await pw.poll(() => page.getByRole('radio', { name: /^Pre-moderation/ }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Show the disclaimer above the comments' }).isChecked()).toBe(
      false,
    );
    await pw(page.getByRole('group', { name: 'As readers see the thread' }).locator('.notice')).toHaveCount(0);

    // A scheduled close, in the moderator's time: set, read back after a reload, then cleared.
    const closeAt = page.getByLabel('Close by itself at (your time)');
    await closeAt.fill('2031-03-04T05:06');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await pw.poll(async () => (await h.api.getArticle(article.id, mod)).body.closeAt !== null).toBe(true);
    await page.reload();
    await pw(closeAt).toHaveValue('2031-03-04T05:06');
    await page.getByRole('button', { name: 'Clear the schedule' }).click();
    await pw(closeAt).toHaveValue('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await pw.poll(async () => (await h.api.getArticle(article.id, mod)).body.closeAt).toBe(null);
    expect((await readersThread(article.id)).closed).toBe(false);
  });

  it('lets an admin paste thousands of banned words, tidied, which the API then applies to a new comment', async () => {
    const page = await open(admin, '#/settings');
    await pw(heading(page, 'Settings')).toBeFocused();
    const banned = page.getByRole('textbox', { name: 'Banned words' });
    await pw(banned).toBeVisible();
    const many = Array.from({ length: 3000 }, (_, i) => `word${i}x`);
    await paste(banned, ['  zorblat  ', '', 'ZORBLAT', ...many, 'zorblat', '   '].join('\n'));
    await pw(page.getByText(/^One a line: a comment with one is rejected\. 3\D?001 now\.$/)).toBeVisible();
    expect(await h.seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await pw(announcement(page)).toHaveText('Settings saved.');

    const stored = await h.t.http().get('/api/moderation/settings').set('Authorization', `Bearer ${admin}`);
    expect(stored.body.bannedWords).toEqual(['zorblat', ...many]);
    expect((await banned.inputValue()).split('\n')).toEqual(['zorblat', ...many]);
    const reader = h.t.token(unique('reader'), 'commenter');
    const article = await newArticle('Words matter');
    const comment = await h.api.comment(reader, article.id, 'What a zorblat idea.');
    expect(comment.status).toBe('rejected');
    await page.evaluate(() => scrollTo(0, 0));
    await h.screenshot(page, 'settings');
  });

  it('shows the API’s validation errors next to their fields on the settings page', async () => {
    const page = await h.open(admin);
    await pw(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    // Another admin changes a setting after this console read them: the form shows it, and keeps it.
    expectStatus(await h.api.putSettings(admin, { reportThreshold: 4 }), 200);
    await page.evaluate(() => (location.hash = '#/settings'));
    const threshold = page.getByRole('spinbutton', { name: 'Open reports that hold a published comment' });
    await pw(threshold).toHaveValue('4');
    const links = page.getByRole('spinbutton', { name: 'Links a comment may have before it is held' });
    await links.fill('5000');
    const postLimit = page.getByRole('spinbutton', { name: 'Posting a comment (per user): requests' });
    await postLimit.fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();

    await pw(links).toHaveAttribute('aria-invalid', 'true');
    await pw(links).toBeFocused();
    expect(await description(page, links)).toMatch(/must not be greater than 1000/);
    await pw(postLimit).toHaveAttribute('aria-invalid', 'true');
    expect(await description(page, postLimit)).toMatch(/must not be less than 1/);
    await pw(page.getByRole('alert')).toHaveText('Not saved: see the fields marked below.');
    expect(await h.seriousViolations(page)).toEqual([]);

    // Nothing was saved; corrected, it is.
    const before = await h.t.http().get('/api/moderation/settings').set('Authorization', `Bearer ${admin}`);
    expect(before.body.maxLinks).not.toBe(5000);
    await links.fill('7');
    await postLimit.fill('9');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await pw(announcement(page)).toHaveText('Settings saved.');
    await pw.poll(() => links.getAttribute('aria-invalid')).toBe(null);
    const after = await h.t.http().get('/api/moderation/settings').set('Authorization', `Bearer ${admin}`);
    expect(after.body.maxLinks).toBe(7);
    expect(after.body.rateLimits.post.limit).toBe(9);
    expect(after.body.reportThreshold).toBe(4);
  });

  it('lets an admin say which addresses are one article, and cap the articles that embeds create', async () => {
    const page = await open(admin, '#/settings');
    const params = page.getByRole('textbox', { name: 'Query parameters that name an article' });
    await params.fill('p\n\n  id  ');
    await page.getByRole('combobox', { name: /a slash at the end/ }).selectOption({ label: 'Two different articles' });
    const cap = page.getByRole('spinbutton', { name: 'Articles embeds may create in an hour' });
    await pw(cap).toHaveValue('100');
    await cap.fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await pw(cap).toHaveAttribute('aria-invalid', 'true');
    expect(await description(page, cap)).toMatch(/must not be less than 1/);
    expect(await h.seriousViolations(page)).toEqual([]);
    await cap.fill('40');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await pw(announcement(page)).toHaveText('Settings saved.');
    const stored = await h.t.http().get('/api/moderation/settings').set('Authorization', `Bearer ${admin}`);
    expect(stored.body).toMatchObject({
      articleUrlQueryParams: ['p', 'id'],
      articleUrlTrailingSlash: 'keep',
      articleCreationsPerHour: 40,
    });
    const reset = { articleUrlQueryParams: [], articleUrlTrailingSlash: 'strip', articleCreationsPerHour: 100 };
    expectStatus(await h.api.putSettings(admin, reset), 200);
  });

  it('tells a moderator who is not an admin that the settings are for admins', async () => {
    const page = await open(mod, '#/settings');
    await pw(heading(page, 'Settings')).toBeVisible();
    await pw(page.getByRole('alert')).toContainText('Only administrators can change the settings.');
    await pw(page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
    await pw(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' })).toHaveCount(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    // The API is the judge: the same change from this moderator is refused.
    expectStatus(await h.api.putSettings(mod, { maxLinks: 3 }), 403);
  });

  it('bans and unbans a user from their page, and keeps a note that then appears', async () => {
    const id = unique('ursula');
    const ursula = h.t.token(id, 'commenter', { name: 'Ursula Upton' });
    // Someone whose name holds Ursula's id: the page must not take their comments for hers.
    const namesake = h.t.token(unique('fan'), 'commenter', { name: `${id} fan` });
    const article = await newArticle('Harbour works');
    await h.api.comment(ursula, article.id, 'The harbour works are late again.');
    await h.api.comment(ursula, article.id, 'And over budget.');
    await h.api.comment(namesake, article.id, 'Not by Ursula.');

    const page = await open(mod, `#/users/${id}`);
    await pw(heading(page, 'Ursula Upton')).toBeFocused();
    const comments = page.getByRole('list', { name: 'Their comments, newest first' }).getByRole('listitem');
    await pw(comments).toHaveCount(2);
    await pw(comments.first()).toContainText('And over budget.');
    await pw(comments.first().getByRole('link', { name: 'Harbour works' })).toHaveAttribute(
      'href',
      `#/articles/${article.id}`,
    );
    await pw(page.getByText('Not banned.')).toBeVisible();

    await page.getByRole('button', { name: 'Ban…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ban Ursula Upton' });
    await dialog.getByRole('radio', { name: '1 day' }).check();
    await dialog.getByRole('textbox', { name: 'Reason (kept in the log)' }).fill('Spam links');
    await dialog.getByRole('button', { name: 'Ban' }).click();
    await pw(dialog).toHaveCount(0);
    await pw(page.getByRole('button', { name: 'Unban' })).toBeVisible();
    await pw(page.locator('dl.facts')).toContainText('Reason: Spam links');
    const decisions = page.getByRole('table', { name: 'Decisions about Ursula Upton' });
    await pw(decisions.getByRole('row').filter({ hasText: 'banned' })).toHaveCount(1);
    expectStatus(await h.api.post(ursula, article.id, { body: 'Am I banned?' }), 403);

    await page.getByRole('button', { name: 'Unban' }).click();
    await pw(page.getByRole('button', { name: 'Ban…' })).toBeVisible();
    await pw(page.getByText('Not banned.')).toBeVisible();
    await pw(decisions.getByRole('row').filter({ hasText: 'unbanned' })).toHaveCount(1);
    await h.api.comment(ursula, article.id, 'Back again.');

    await page.getByRole('button', { name: 'Turn pre-moderation on' }).click();
    await pw(page.getByRole('button', { name: 'Turn pre-moderation off' })).toBeVisible();
    expect((await h.api.comment(ursula, article.id, 'Held now?')).status).toBe('pending');

    const note = page.getByRole('textbox', { name: 'New note' });
    await note.fill('Warned by email on Monday.');
    await page.getByRole('button', { name: 'Add note' }).click();
    const notes = page.getByRole('list', { name: 'Notes, newest first' }).getByRole('listitem');
    await pw(notes).toHaveCount(1);
    await pw(notes.first()).toContainText('Warned by email on Monday.');
    await pw(notes.first()).toContainText('Dana Desk');
    await pw(note).toHaveValue('');
    await note.fill('Second warning.');
    await note.press('Tab');
    await page.keyboard.press('Enter'); // "Add note", by keyboard
    await pw(notes).toHaveCount(2);
    await pw(notes.first()).toContainText('Second warning.');
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'user');

    // The notes are the API's, not the page's: they are there after a reload.
    await page.reload();
    await pw(heading(page, 'Ursula Upton')).toBeVisible();
    await pw(notes).toHaveCount(2);
    await pw(notes.nth(1)).toContainText('Warned by email on Monday.');
  });

  it('keeps a note being written while the service cannot be reached, and saves it when it can', async () => {
    const id = unique('vera');
    await h.api.comment(h.t.token(id, 'commenter', { name: 'Vera Vale' }), (await newArticle('Rail strike')).id, 'Hi.');
    const page = await open(mod, `#/users/${id}`);
    await pw(heading(page, 'Vera Vale')).toBeVisible();
    const notes = page.getByRole('list', { name: 'Notes, newest first' }).getByRole('listitem');
    // Everything the page reads has arrived: only the note's request meets the outage.
    await pw(page.getByText('No notes yet.')).toBeVisible();
    await pw(page.getByRole('list', { name: 'Their comments, newest first' }).getByRole('listitem')).toHaveCount(1);
    await pw(page.getByText('No moderator has decided anything about them yet.')).toBeVisible();

    const unreachable = (url: URL) => url.pathname.endsWith('/notes');
    await page.route(unreachable, (route) => route.abort('connectionrefused'));
    const note = page.getByRole('textbox', { name: 'New note' });
    await note.fill('Asked for a phone call.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await pw(page.getByRole('alert').filter({ hasText: 'The service cannot be reached' })).toBeVisible();
    await pw(note).toHaveValue('Asked for a phone call.');
    await pw(page.getByRole('button', { name: 'Adding…' })).toBeVisible();

    await page.unroute(unreachable);
    await pw(notes, { timeout: 15_000 }).toHaveCount(1);
    await pw(notes.first()).toContainText('Asked for a phone call.');
    await pw(note).toHaveValue('');
    await pw(page.getByRole('alert').filter({ hasText: 'The service cannot be reached' })).toHaveCount(0);
  });

  it('shows decisions in the log in words, filters them by a chosen moderator, article or user, and pages back to the start', async () => {
    const otto = h.t.token('otto', 'moderator', { name: 'Otto Other' });
    const pager = h.t.token('pager', 'moderator', { name: 'Paula Pager' });
    const title = `Bridge closure ${unique('t').slice(-6)}`;
    const article = await newArticle(title, { moderationMode: 'pre' });
    const readerId = unique('reader');
    const reader = h.t.token(readerId, 'commenter', { name: `Rhoda ${readerId.slice(-6)}` });
    const first = await h.api.comment(reader, article.id, 'First held comment.');
    const second = await h.api.comment(reader, article.id, 'Second held comment.');
    const third = await h.api.comment(reader, article.id, 'Third held comment.');
    // 55 decisions by one moderator: more than a page of the log, older than the two below.
    for (let i = 0; i < 55; i++)
      expectStatus(await (i % 2 ? h.api.reject(pager, third.id) : h.api.approve(pager, third.id)), 200);
    expectStatus(await h.api.reject(mod, first.id, { reason: 'Off topic' }), 200);
    expectStatus(await h.api.approve(otto, second.id), 200);

    const page = await open(mod, '#/log');
    await pw(heading(page, 'Moderation log')).toBeFocused();
    const log = page.getByRole('table', { name: 'The moderation log, newest first' });
    const danaRow = log.getByRole('row').filter({ hasText: 'Off topic' });
    await pw(danaRow).toHaveCount(1);
    await pw(danaRow).toContainText('Dana Desk');
    await pw(danaRow).toContainText('rejected');
    await pw(danaRow).toContainText('Pending → Rejected');
    // The comment by its words, its article by its title, each a link; no ids to read.
    const words = danaRow.getByRole('link', { name: 'First held comment.' });
    await pw(words).toHaveCount(1);
    expect(await words.getAttribute('href')).toContain(`commentId=${first.id}`);
    await pw(danaRow.getByRole('link', { name: title })).toHaveAttribute('href', `#/articles/${article.id}`);
    await pw(danaRow.getByRole('link', { name: /^[0-9a-f]{8}…$/ })).toHaveCount(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'log');

    // By moderator, chosen by name: the filter goes into the route.
    const moderator = page.getByRole('combobox', { name: 'Moderator' });
    await pw(moderator.getByRole('option', { name: 'Otto Other' })).toHaveCount(1);
    await moderator.selectOption({ label: 'Otto Other' });
    await page.getByRole('button', { name: 'Filter' }).click();
    const filtered = page.getByRole('table', { name: 'The moderation log, filtered, newest first' });
    await pw(filtered.locator('tbody tr')).toHaveCount(1);
    await pw(filtered.locator('tbody tr')).toContainText('Otto Other');
    await pw(filtered.locator('tbody tr')).toContainText('Second held comment.');
    await pw(filtered.locator('tbody tr')).toContainText('Pending → Approved');
    expect(new URL(page.url()).hash).toBe('#/log?actorId=otto');
    await pw(page.getByText('That is as far back as the log goes.')).toBeVisible();

    // By article, found by a few words of its title; the route's id shows as the title again.
    await moderator.selectOption('');
    const articleFilter = page.getByRole('combobox', { name: 'Article' });
    await articleFilter.fill(title.slice(0, -2));
    await page.getByRole('option', { name: title }).click();
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(new URL(page.url()).hash).toBe(`#/log?articleId=${article.id}`);
    await pw(filtered.locator('tbody tr')).toHaveCount(50);
    await page.reload();
    await pw(page.getByRole('combobox', { name: 'Article' })).toHaveValue(title);

    // By a moderator's name in the log; 55 entries are two pages, read to the end with Load more.
    await pw(filtered.getByRole('link', { name: 'Paula Pager' }).first()).toBeVisible();
    await filtered.getByRole('link', { name: 'Paula Pager' }).first().click();
    await pw(moderator).toHaveValue('pager');
    await pw(moderator.locator('option:checked')).toHaveText('Paula Pager');
    expect(new URL(page.url()).hash).toBe('#/log?actorId=pager');
    await pw(filtered.locator('tbody tr')).toHaveCount(50);
    await page.getByRole('button', { name: 'Load more entries' }).click();
    await pw(filtered.locator('tbody tr')).toHaveCount(55);
    await pw(page.getByText('That is as far back as the log goes.')).toBeVisible();
    await pw(page.getByRole('button', { name: 'Load more entries' })).toHaveCount(0);

    // By user, found by a fragment of their name, with the keyboard.
    expectStatus(await h.api.ban(mod, readerId, { reason: 'Spam links' }), 200);
    await moderator.selectOption('');
    const userFilter = page.getByRole('combobox', { name: 'User' });
    await userFilter.fill(readerId.slice(-6));
    await pw(page.getByRole('option', { name: `Rhoda ${readerId.slice(-6)}` })).toBeVisible();
    await userFilter.press('ArrowDown');
    await userFilter.press('Enter');
    await pw(userFilter).toHaveValue(`Rhoda ${readerId.slice(-6)}`);
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(new URL(page.url()).hash).toBe(`#/log?targetId=${readerId}`);
    await pw(filtered.locator('tbody tr')).toHaveCount(1);
    await pw(filtered.getByRole('link', { name: `Rhoda ${readerId.slice(-6)}` })).toHaveAttribute(
      'href',
      `#/users/${readerId}`,
    );

    // A filter the API cannot read is refused next to its field.
    await page.getByRole('combobox', { name: 'User' }).fill('');
    await articleFilter.fill('not-a-uuid');
    await page.getByRole('button', { name: 'Filter' }).click();
    await pw(articleFilter).toHaveAttribute('aria-invalid', 'true');
    expect(await description(page, articleFilter)).toMatch(/must be a UUID/);
  });
});
