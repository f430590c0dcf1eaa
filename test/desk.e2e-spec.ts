/// <reference lib="dom" />
import { Page } from 'playwright-core';
import { expectStatus, unique } from './support/comments-helpers';
import { pw } from './support/browser';
import { DeskHarness } from './support/desk';
import { TEST_JWT_SECRET } from './support/test-app';
import jwt from 'jsonwebtoken';

const LOGIN_URL = 'https://login.news.example/desk';
const DEFAULT_REASONS = [
  'Off topic',
  'Abusive or insulting',
  'Spam or advertising',
  'Personal information',
  'Misinformation',
  'Duplicate',
];

/**
 * The moderators' console in a real browser, worked as moderators work it: by keyboard first,
 * two at once, with controls found by role and name as assistive technology finds them.
 */
describe('the moderators’ console at /desk/ (browser)', () => {
  const h = new DeskHarness();
  let mod: string;
  let admin: string;

  beforeAll(async () => {
    await h.start({ DESK_LOGIN_URL: LOGIN_URL });
    mod = h.t.token('mona', 'moderator', { name: 'Mona Moderator' });
    admin = h.t.token('chief', 'admin', { name: 'Chief Editor' });
    expectStatus(await h.api.putSettings(admin, { suspectWords: ['refund'], maxLinks: 1 }), 200);
  }, 60_000);

  afterAll(() => h.stop());

  beforeEach(() => clearQueues());
  afterEach(() => h.closeContexts());

  /** Every test starts from empty queues: what earlier tests left pending or reported is approved. */
  async function clearQueues(): Promise<void> {
    for (const queue of ['pending', 'reported']) {
      for (;;) {
        const res = await h.t
          .http()
          .get(`/api/moderation/queue/${queue}?limit=100`)
          .set('Authorization', `Bearer ${mod}`);
        expectStatus(res, 200);
        const ids = (res.body.items as { id: string }[]).map((i) => i.id);
        if (ids.length === 0) break;
        expectStatus(
          await h.t
            .http()
            .post('/api/moderation/bulk')
            .set('Authorization', `Bearer ${mod}`)
            .send({ action: 'approve', commentIds: ids }),
          200,
        );
      }
    }
  }

  /** A pre-moderated article and `bodies` posted to it by one reader each, held in the pending queue. */
  async function held(...bodies: string[]) {
    const article = await h.api.createArticle(mod, { moderationMode: 'pre', title: 'Budget 2027: what changes' });
    const comments = [];
    for (const [i, body] of bodies.entries()) {
      const reader = h.t.token(unique('reader'), 'commenter', { name: `Reader ${i + 1}` });
      comments.push(await h.api.comment(reader, article.id, body));
    }
    return { article, comments };
  }

  const statusOf = async (id: string) => (await h.api.getComment(id, mod)).body.status as string;
  const card = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });
  const tab = (page: Page, name: RegExp) => page.getByRole('tab', { name });

  it('takes a token from the fragment into sessionStorage only, and works a held comment by keyboard: approve, undo, reject', async () => {
    const { comments } = await held(
      'Will we get a refund on the energy levy?',
      'The tax bands should follow inflation.',
    );
    const page = await h.open(mod);

    await pw(card(page, 'energy levy')).toBeVisible();
    expect(new URL(page.url()).hash).toBe('#/queue/pending'); // the token left the address bar
    const storage = await page.evaluate(() => ({
      session: sessionStorage.getItem('comment-desk.token'),
      local: localStorage.length,
      cookie: document.cookie,
    }));
    expect(storage).toEqual({ session: mod, local: 0, cookie: '' });

    // The suspect word is marked, and the reasons say why the comment was held.
    await pw(card(page, 'energy levy').locator('mark.suspect')).toHaveText('refund');
    await pw(card(page, 'energy levy').getByRole('list', { name: 'Why it was held' })).toContainText(
      'Suspect words: refund',
    );
    await pw(tab(page, /^Pending/)).toHaveAttribute('aria-selected', 'true');
    await pw(tab(page, /^Pending/)).toContainText('2'); // the live count
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'queue');

    await page.keyboard.press('j'); // the first card
    await pw(card(page, 'energy levy')).toBeFocused();
    await page.keyboard.press('f');
    await pw(card(page, 'energy levy')).toHaveCount(0);
    await pw(card(page, 'inflation')).toBeFocused(); // the next card, at once
    await pw.poll(() => statusOf(comments[0].id)).toBe('approved');

    await page.keyboard.press('u');
    await pw(card(page, 'energy levy')).toBeFocused();
    await pw.poll(() => statusOf(comments[0].id)).toBe('pending');

    await page.keyboard.press('d'); // the reasons picker, focused: Enter rejects without a label
    await pw(
      page.getByRole('dialog', { name: 'Reject with a reason' }).getByRole('radio', { name: 'None' }),
    ).toBeFocused();
    await page.keyboard.press('Enter');
    await pw(card(page, 'energy levy')).toHaveCount(0);
    await pw.poll(() => statusOf(comments[0].id)).toBe('rejected');

    const log = await h.api.log(mod, { commentId: comments[0].id });
    expect(
      log.body.items.map((e: { action: string; actor: { id: string } | null }) => [e.action, e.actor?.id ?? null]),
    ).toEqual([
      ['reject', 'mona'],
      ['restore', 'mona'],
      ['approve', 'mona'],
      ['hold', null],
    ]);
  });

  it('undoes with the Undo button too, and never undoes a later decision by someone else', async () => {
    const { comments } = await held('A comment to approve and then see taken over.');
    const page = await h.open(mod);
    await page.getByRole('button', { name: 'Approve' }).click();
    await pw.poll(() => statusOf(comments[0].id)).toBe('approved');
    // Another moderator rejects it meanwhile: undoing now would undo their decision.
    const other = h.t.token('otto', 'moderator', { name: 'Otto Other' });
    expectStatus(await h.api.reject(other, comments[0].id), 200);
    await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await pw(page.getByRole('status').filter({ hasText: 'Already rejected by Otto Other' })).toBeVisible();
    expect(await statusOf(comments[0].id)).toBe('rejected');
  });

  it('takes back a decision undone at once, before its answer is back, ten times in a row', async () => {
    const { comments } = await held(...Array.from({ length: 10 }, (_, i) => `Approved by mistake, take ${i + 1}.`));
    const page = await h.open(mod);
    const cardOf = (id: string) => page.locator(`article[data-comment-id="${id}"]`);
    await pw(page.getByRole('article')).toHaveCount(10);
    // Everything the console says, in order: the moderator must be told of the undo at once.
    await page.evaluate(() => {
      const said: string[] = ((window as unknown as { said: string[] }).said = []);
      const box = document.querySelector('.announcement')!;
      new MutationObserver(() => box.textContent && said.push(box.textContent)).observe(box, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    // Each approval's answer is held back until `u` has been pressed: the undo always comes first.
    let undoPressed = Promise.resolve();
    await page.route('**/api/moderation/comments/*/approve', async (route) => {
      await undoPressed;
      await route.continue();
    });

    for (const comment of comments) {
      let pressed!: () => void;
      undoPressed = new Promise((resolve) => (pressed = resolve));
      await cardOf(comment.id).focus();
      await page.keyboard.press('f');
      await page.keyboard.press('u');
      pressed();
      await pw(page.getByRole('status').filter({ hasText: 'Undone: the comment is pending again.' })).toBeVisible();
      await pw(cardOf(comment.id)).toBeFocused();
      await pw.poll(() => statusOf(comment.id)).toBe('pending');
      const said = await page.evaluate(() => (window as unknown as { said: string[] }).said.splice(0));
      expect(said[0]).toMatch(/^Undoing/); // at once, before the approval's answer
      expect(said.filter((text) => text.startsWith('Approved'))).toEqual([]);
    }

    for (const comment of comments) {
      await pw(cardOf(comment.id).locator('.status')).toHaveText('Pending');
      await pw(cardOf(comment.id).getByRole('status')).toHaveCount(0); // no notice on the card
      const log = await h.api.log(mod, { commentId: comment.id });
      expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['restore', 'approve', 'hold']);
    }
    // Each card went back where it was.
    const order = await page
      .getByRole('article')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-comment-id')));
    expect(order).toEqual(comments.map((c) => c.id));
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'quick-undo');
  });

  it('bans an author from the keyboard, with a duration and a reason', async () => {
    const { comments } = await held('Buy my pills at the usual place.');
    const page = await h.open(mod);
    await pw(card(page, 'pills')).toBeVisible();
    await page.keyboard.press('j');
    await page.keyboard.press('b');
    const dialog = page.getByRole('dialog', { name: /^Ban Reader 1/ });
    await pw(dialog).toBeVisible();
    await dialog.getByRole('radio', { name: '30 days' }).check();
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('Spam, again');
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'ban');
    await dialog.getByRole('button', { name: 'Ban' }).click();
    await pw(dialog).toBeHidden();
    const user = await h.t
      .http()
      .get(`/api/moderation/users/${comments[0].author!.id}`)
      .set('Authorization', `Bearer ${mod}`);
    expect(user.body.ban).toMatchObject({ banned: true, reason: 'Spam, again' });
    const days = (new Date(user.body.ban.until).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('rejects with one of the site’s reasons, set on the settings page, and a note for the log', async () => {
    const settingsPage = await h.open(admin, '#/settings');
    const reasons = settingsPage.getByRole('textbox', { name: 'Reasons for a rejection' });
    await pw(reasons).toHaveValue(DEFAULT_REASONS.join('\n'));
    await reasons.fill('Off topic\nNot about the article\n  Trolling  \nnot about the article');
    await settingsPage.getByRole('button', { name: 'Save settings' }).click();
    await pw(settingsPage.locator('.announcement')).toHaveText('Settings saved.');
    await pw(reasons).toHaveValue('Off topic\nNot about the article\nTrolling');

    try {
      const { comments } = await held('The match last night was a disgrace.');
      const page = await h.open(mod);
      await card(page, 'disgrace').getByRole('button', { name: 'Reject with reason…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Reject with a reason' });
      await pw(dialog).toBeVisible();
      const group = dialog.getByRole('group', { name: 'Reason shown to the author' });
      await pw(group.getByRole('radio')).toHaveCount(4); // none, and the three of the list
      expect(await group.getByRole('radio', { name: 'None' }).isChecked()).toBe(true);
      await group.getByRole('radio', { name: 'Not about the article' }).check();
      await dialog.getByRole('textbox', { name: 'Note (kept in the log)' }).fill('sport, under the budget');
      expect(await h.seriousViolations(page)).toEqual([]);
      await h.screenshot(page, 'reject-reason');
      await dialog.getByRole('button', { name: 'Reject' }).click();
      await pw(dialog).toBeHidden();
      await pw(card(page, 'disgrace')).toHaveCount(0);
      await pw.poll(() => statusOf(comments[0].id)).toBe('rejected');

      const [entry] = (await h.api.log(mod, { commentId: comments[0].id })).body.items;
      expect(entry).toMatchObject({ action: 'reject', reason: 'Not about the article: sport, under the budget' });
      const asAuthor = await h.api.getComment(comments[0].id, h.t.token(comments[0].author!.id, 'commenter'));
      expect(asAuthor.body).toMatchObject({ status: 'rejected', rejectionReason: 'Not about the article' });

      // The rejected queue's card says which reason its author sees.
      await tab(page, /^Rejected/).click();
      await pw(card(page, 'disgrace')).toContainText('Rejected as Not about the article, which its author sees.');
    } finally {
      expectStatus(
        await h.api.putSettings(admin, {
          rejectionReasons: DEFAULT_REASONS,
        }),
        200,
      );
    }
  });

  it('approves a selection in one request: x, shift-click for a range, select all', async () => {
    const { comments } = await held('First of four.', 'Second of four.', 'Third of four.', 'Fourth of four.');
    const page = await h.open(mod);
    await pw(card(page, 'Fourth of four')).toBeVisible();
    await page.keyboard.press('j');
    await page.keyboard.press('x'); // the first
    await card(page, 'Second of four').getByRole('checkbox').click();
    await card(page, 'Fourth of four')
      .getByRole('checkbox')
      .click({ modifiers: ['Shift'] }); // 2 to 4
    await page.getByRole('button', { name: 'Reject 4 selected' }).click();
    await page
      .getByRole('dialog', { name: 'Reject 4 selected comments' })
      .getByRole('button', { name: 'Reject 4' })
      .click();
    await pw(page.getByRole('article')).toHaveCount(0);
    for (const c of comments) expect(await statusOf(c.id)).toBe('rejected');

    const more = await held('Fifth.', 'Sixth.');
    await page.getByRole('tab', { name: /^Pending/ }).click();
    await page.reload();
    await pw(card(page, 'Sixth')).toBeVisible();
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
    await page.getByRole('button', { name: 'Approve 2 selected' }).click();
    await pw(page.getByRole('article')).toHaveCount(0);
    for (const c of more.comments) expect(await statusOf(c.id)).toBe('approved');
  });

  it('shows a second moderator the first one’s decisions live, and who won a race on a stale card', async () => {
    const { comments } = await held('Decided by Mona while Otto watches.', 'Decided by Mona while Otto is cut off.');
    const otto = h.t.token('otto', 'moderator', { name: 'Otto Other' });
    const mona = await h.open(mod);
    const ottoPage = await h.open(otto);
    await pw(card(ottoPage, 'Otto watches')).toBeVisible();
    await pw(ottoPage.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

    await card(mona, 'Otto watches').getByRole('button', { name: 'Approve' }).click();
    await pw(card(ottoPage, 'Otto watches').getByRole('status')).toHaveText('Already approved by Mona Moderator.');

    // Otto's stream drops (his card goes stale); Mona rejects; Otto's approval loses the race.
    await ottoPage.route('**/api/moderation/stream', (route) => route.abort());
    await ottoPage.reload();
    await pw(card(ottoPage, 'cut off')).toBeVisible();
    await card(mona, 'cut off').getByRole('button', { name: 'Reject', exact: true }).click();
    await pw.poll(() => statusOf(comments[1].id)).toBe('rejected');
    await card(ottoPage, 'cut off').getByRole('button', { name: 'Approve' }).click();
    await pw(card(ottoPage, 'cut off').getByRole('status')).toHaveText('Already rejected by Mona Moderator.');
    expect(await statusOf(comments[1].id)).toBe('rejected');
    expect(await h.seriousViolations(ottoPage)).toEqual([]);
    await h.screenshot(ottoPage, 'already-decided');
  });

  it('shows a reported reply with its reports, who made them, their notes and the comment it answers; pre-moderates its author', async () => {
    const article = await h.api.createArticle(mod, { title: 'Flood defences' });
    const first = await h.api.comment(h.t.token('ann', 'commenter', { name: 'Ann' }), article.id, 'The wall held.');
    const troll = h.t.token(unique('troll'), 'commenter', { name: 'Troll Account' });
    const reply = await h.api.comment(troll, article.id, 'You people know nothing.', first.id);
    for (const [i, note] of ['Rude to everyone', 'Not about the article'].entries()) {
      const reporter = h.t.token(unique('reporter'), 'commenter', { name: `Reporter ${i}` });
      expectStatus(await h.api.report(reporter, reply.id, 'abuse', note), 201);
    }
    const page = await h.open(mod, '#/queue/reported');
    const reported = card(page, 'know nothing');
    await pw(reported.getByRole('region', { name: '2 open reports' })).toContainText(
      'Abuse by Reporter 0: Rude to everyone',
    );
    await pw(reported.getByRole('region', { name: '2 open reports' })).toContainText(
      'Abuse by Reporter 1: Not about the article',
    );
    await pw(reported.getByRole('blockquote')).toContainText('Ann: The wall held.');
    await pw(reported.getByRole('link', { name: 'Flood defences' })).toBeVisible();
    // The queue sizes follow within a second of a change: the picture waits for them.
    await pw(tab(page, /^Reported/)).toHaveText(/Reported\s*[1-9]/);
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'reported');

    await reported.getByRole('button', { name: 'Pre-moderate author' }).click();
    await pw(page.getByRole('status').filter({ hasText: 'will be held for review' })).toBeVisible();
    const user = await h.t
      .http()
      .get(`/api/moderation/users/${reply.author!.id}`)
      .set('Authorization', `Bearer ${mod}`);
    expect(user.body.premod).toBe(true);
  });

  it('finds a comment by a word of its text, across articles and statuses', async () => {
    const word = `zeppelin${Date.now()}`;
    await held(`The ${word} story deserved more space.`);
    const page = await h.open(mod, '#/search');
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('searchbox', { name: /Words/ }).fill(word);
    await page.getByRole('button', { name: 'Search' }).click();
    await pw(card(page, word)).toBeVisible();
    await pw(page.getByRole('article')).toHaveCount(1);
    expect(new URL(page.url()).hash).toContain(`q=${word}`);
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'search');
  });

  it('keys: t goes to the next queue, z shows one comment at a time, ? lists the keys', async () => {
    await held('One.', 'Two.');
    const page = await h.open(mod);
    await pw(card(page, 'Two.')).toBeVisible();
    await page.keyboard.press('z');
    await pw(page.getByRole('article')).toHaveCount(1);
    await page.keyboard.press('j');
    await pw(card(page, 'Two.')).toBeFocused();
    await page.keyboard.press('z');
    await pw(page.getByRole('article')).toHaveCount(2);
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await pw(help).toContainText('Undo your last decision');
    expect(await h.seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await pw(help).toBeHidden();
    await page.keyboard.press('t');
    await pw(tab(page, /^Reported/)).toHaveAttribute('aria-selected', 'true');
  });

  it('asks for a token without losing the place, offers the publisher’s login, and refuses commenters clearly', async () => {
    const page = await h.open(null, '#/search?q=levy');
    await pw(page.getByRole('heading', { name: 'Sign in to Comment Desk' })).toBeVisible();
    const signIn = await page.getByRole('link', { name: 'Sign in' }).getAttribute('href');
    const login = new URL(signIn!);
    expect(`${login.origin}${login.pathname}`).toBe(LOGIN_URL);
    expect(login.searchParams.get('return_to')).toBe(`${h.origin}/desk/`);
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'sign-in');
    // The login comes back with the token in the fragment; the place is where the moderator was.
    await page.goto(`${h.origin}/embed.js`); // away, as to the login
    await page.goto(`${h.origin}/desk/#token=${mod}`);
    await pw(page.getByRole('searchbox', { name: /Words/ })).toHaveValue('levy');

    // An expired token: the console asks for a new one over the page, and carries on.
    const expired = jwt.sign(
      { sub: 'mona', role: 'moderator', name: 'Mona Moderator', exp: Math.floor(Date.now() / 1000) - 5 },
      TEST_JWT_SECRET,
    );
    const stale = await h.open(expired, '#/search?q=inflation');
    const dialog = stale.getByRole('dialog', { name: 'Sign in to Comment Desk' });
    await pw(dialog).toBeVisible();
    await dialog.getByRole('textbox', { name: /paste a token/i }).fill(mod);
    await dialog.getByRole('button', { name: 'Use this token' }).click();
    await pw(dialog).toBeHidden();
    await pw(stale.getByRole('searchbox', { name: /Words/ })).toHaveValue('inflation');

    const reader = await h.open(h.t.token('rita', 'commenter', { name: 'Rita Reader' }));
    await pw(reader.getByRole('heading', { name: 'This needs a moderator' })).toBeVisible();
    expect(await h.seriousViolations(reader)).toEqual([]);
  });

  it('says when the service cannot be reached, retries, and loses no decision', async () => {
    const { comments } = await held('Decided while the network is down.');
    const page = await h.open(mod);
    await pw(card(page, 'network is down')).toBeVisible();
    await page.route('**/api/moderation/comments/**', (route) => route.abort('connectionrefused'));
    await page.keyboard.press('j');
    await page.keyboard.press('f');
    await pw(page.getByRole('alert')).toContainText('cannot be reached');
    expect(await statusOf(comments[0].id)).toBe('pending');
    await page.unroute('**/api/moderation/comments/**');
    await pw.poll(() => statusOf(comments[0].id), { timeout: 10_000 }).toBe('approved');
    await pw(page.getByRole('alert')).toHaveCount(0);
  });

  it('is served with a strict policy and cached as it should be', async () => {
    const index = await h.t.http().get('/desk/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = /src="\/desk\/(assets\/[^"]+\.js)"/.exec(index.text)![1];
    const js = await h.t.http().get(`/desk/${asset}`).set('Accept-Encoding', 'br');
    expect(js.status).toBe(200);
    expect(js.headers['content-encoding']).toBe('br');
    expect(js.headers['cache-control']).toContain('immutable');
    const config = await h.t.http().get('/desk/config.json');
    expect(config.body).toEqual({ loginUrl: LOGIN_URL });
  });
});
