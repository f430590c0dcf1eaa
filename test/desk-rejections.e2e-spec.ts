/// <reference lib="dom" />
import { Page } from 'playwright-core';
import { expectStatus, unique } from './support/comments-helpers';
import { pw } from './support/browser';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';

/**
 * Rejections with the site's reasons wherever the console rejects: the ban dialog that also
 * rejects the author's waiting comments, `d` by keyboard, and a selection in bulk. At a desktop's
 * width and a phone's, with axe and a screenshot of each dialog.
 */
describe('rejecting with a reason from the ban dialog, by keyboard and in bulk (browser)', () => {
  const h = new DeskHarness();
  let mod: string;

  beforeAll(async () => {
    await h.start();
    mod = h.t.token('rita', 'moderator', { name: 'Rita Rejecter' });
  }, 60_000);
  afterAll(() => h.stop());
  afterEach(() => h.closeContexts());

  /** Comments held on a pre-moderated article, each by a reader of its own. */
  async function held(...bodies: string[]) {
    const article = await h.api.createArticle(mod, { moderationMode: 'pre', title: 'Trams on the high street' });
    const comments = [];
    for (const body of bodies) {
      const reader = h.t.token(unique('reader'), 'commenter', { name: 'Tess Reader' });
      comments.push(await h.api.comment(reader, article.id, body));
    }
    return comments;
  }

  const card = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });
  const comment = async (id: string) => (await h.api.getComment(id, mod)).body;

  it('from a user’s page: the waiting count, and their comments read again after the ban rejected them', async () => {
    const authorId = unique('troll');
    const troll = h.t.token(authorId, 'commenter', { name: 'Tom Troll' });
    const article = await h.api.createArticle(mod, { moderationMode: 'pre', title: 'Bus lanes' });
    const comments = [
      await h.api.comment(troll, article.id, 'Bus lanes are a plot'),
      await h.api.comment(troll, article.id, 'Still a plot'),
    ];
    const page = await h.open(mod, `#/users/${authorId}`);
    const facts = page.locator('dl.facts');
    await pw(facts).toContainText('2 comments held for review or reported, waiting for a moderator.');
    await page.getByRole('button', { name: 'Ban…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ban Tom Troll' });
    await dialog.getByRole('checkbox', { name: 'Also reject them (2)' }).check();
    await dialog.getByRole('radio', { name: 'Abusive or insulting' }).check();
    await dialog.getByRole('textbox', { name: 'Reason (kept in the log)' }).fill('Trolling');
    await dialog.getByRole('button', { name: 'Ban' }).click();
    await pw(dialog).toBeHidden();
    await pw(facts).toContainText('Nothing waits for a moderator.');
    await pw(
      page.getByRole('status').filter({ hasText: 'Banned Tom Troll. Rejected 2 waiting comments.' }),
    ).toBeVisible();
    // Their comments, read again: rejected now.
    const theirs = page.getByRole('list', { name: 'Their comments, newest first' }).getByRole('listitem');
    await pw(theirs.filter({ hasText: 'Still a plot' })).toContainText('Rejected');
    await pw(theirs.filter({ hasText: 'Bus lanes are a plot' })).toContainText('Rejected');
    expect(await h.seriousViolations(page)).toEqual([]);
    for (const c of comments) expect((await comment(c.id)).status).toBe('rejected');
  });

  describe.each([
    ['wide', DESKTOP],
    ['phone', PHONE],
  ])('at a %s width', (name, width) => {
    it('bans an author and rejects their waiting comments, held and reported, with a reason', async () => {
      const authorId = unique('spammer');
      const spammer = h.t.token(authorId, 'commenter', { name: 'Sam Spammer' });
      const heldArticle = await h.api.createArticle(mod, { moderationMode: 'pre', title: 'Parking fees' });
      const openArticle = await h.api.createArticle(mod, { title: 'Parking fees, the vote' });
      const first = await h.api.comment(spammer, heldArticle.id, `Cheap parking permits here ${name}`);
      const second = await h.api.comment(spammer, heldArticle.id, `More cheap permits ${name}`);
      const reported = await h.api.comment(spammer, openArticle.id, `Buy permits from me ${name}`);
      expectStatus(await h.api.report(h.t.token(unique('reporter')), reported.id, 'spam'), 201);

      const page = await h.open(mod, '#/queue/pending', width);
      await pw(card(page, `Cheap parking permits here ${name}`)).toBeVisible();
      await card(page, `Cheap parking permits here ${name}`).focus();
      await page.keyboard.press('b');
      const dialog = page.getByRole('dialog', { name: 'Ban Sam Spammer' });
      const waiting = dialog.getByRole('group', { name: /^3 comments by Sam Spammer waiting for a moderator/ });
      await pw(waiting).toBeVisible();
      await waiting.getByRole('checkbox', { name: 'Also reject them (3)' }).check();
      await waiting.getByRole('radio', { name: 'Spam or advertising' }).check();
      await dialog.getByRole('textbox', { name: 'Reason (kept in the log)' }).fill('Selling permits');
      expect(await h.seriousViolations(page)).toEqual([]);
      expect((await h.overflow(page)).by).toBe(0);
      await h.screenshot(page, `ban-rejects-waiting-${name}`);

      await dialog.getByRole('button', { name: 'Ban' }).click();
      await pw(dialog).toBeHidden();
      await pw(
        page.getByRole('status').filter({ hasText: 'Banned Sam Spammer. Rejected 3 waiting comments.' }),
      ).toBeVisible();
      await pw(card(page, `permits`)).toHaveCount(0);
      for (const c of [first, second, reported]) {
        expect(await comment(c.id)).toMatchObject({ status: 'rejected', rejectionReason: 'Spam or advertising' });
      }
      const user = await h.t.http().get(`/api/moderation/users/${authorId}`).set('Authorization', `Bearer ${mod}`);
      expect(user.body).toMatchObject({ ban: { banned: true, reason: 'Selling permits' }, waiting: 0 });
    });

    it('`d` opens the reasons focused: arrows pick, Enter rejects, Escape cancels', async () => {
      const [kept, rejected] = await held(`Keep this one ${name}`, `Reject this one ${name}`);
      const page = await h.open(mod, '#/queue/pending', width);
      await pw(card(page, `Reject this one ${name}`)).toBeVisible();
      await card(page, `Keep this one ${name}`).focus();

      await page.keyboard.press('d');
      const dialog = page.getByRole('dialog', { name: 'Reject with a reason' });
      await pw(dialog.getByRole('radio', { name: 'None' })).toBeFocused();
      await page.keyboard.press('Escape');
      await pw(dialog).toBeHidden();
      await pw(card(page, `Keep this one ${name}`)).toBeFocused();
      expect((await comment(kept.id)).status).toBe('pending');

      await page.keyboard.press('j');
      await pw(card(page, `Reject this one ${name}`)).toBeFocused();
      await page.keyboard.press('d');
      await pw(dialog.getByRole('radio', { name: 'None' })).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await pw.poll(() => dialog.getByRole('radio', { name: 'Off topic' }).isChecked()).toBe(true);
      expect(await h.seriousViolations(page)).toEqual([]);
      await h.screenshot(page, `reject-key-${name}`);
      await page.keyboard.press('Enter');
      await pw(dialog).toBeHidden();
      await pw(card(page, `Reject this one ${name}`)).toHaveCount(0);
      await pw.poll(async () => (await comment(rejected.id)).rejectionReason).toBe('Off topic');
      expect((await comment(rejected.id)).status).toBe('rejected');
      expect((await comment(kept.id)).status).toBe('pending');
      expectStatus(await h.api.approve(mod, kept.id), 200); // the next test starts from its own cards
    });

    it('rejects a selection with one reason for all', async () => {
      const comments = await held(`Bulk one ${name}`, `Bulk two ${name}`);
      const page = await h.open(mod, '#/queue/pending', width);
      await pw(card(page, `Bulk two ${name}`)).toBeVisible();
      await card(page, `Bulk one ${name}`).getByRole('checkbox').check();
      await card(page, `Bulk two ${name}`).getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Reject 2 selected' }).click();
      const dialog = page.getByRole('dialog', { name: 'Reject 2 selected comments' });
      await pw(dialog.getByRole('radio', { name: 'None' })).toBeFocused();
      await dialog.getByRole('radio', { name: 'Duplicate' }).check();
      await dialog.getByRole('textbox', { name: 'Note (kept in the log)' }).fill('posted twice');
      expect(await h.seriousViolations(page)).toEqual([]);
      await h.screenshot(page, `reject-bulk-${name}`);
      await dialog.getByRole('button', { name: 'Reject 2' }).click();
      await pw(page.getByRole('status').filter({ hasText: 'Rejected 2 of 2 comments.' })).toBeVisible();
      for (const c of comments)
        expect(await comment(c.id)).toMatchObject({ status: 'rejected', rejectionReason: 'Duplicate' });
      const [entry] = (await h.api.log(mod, { commentId: comments[0].id })).body.items;
      expect(entry).toMatchObject({ action: 'reject', reason: 'Duplicate: posted twice' });
    });
  });
});
