/// <reference lib="dom" />
import { Browser, Page } from 'playwright-core';
import { Api, unique } from './support/comments-helpers';
import { HostSite, pw, screenshot } from './support/browser';
import { DeskHarness } from './support/desk';
import { TestApp } from './support/test-app';
import { EmbedRig, startEmbedRig, stopEmbedRig } from './support/embed-rig';

/** Names and bodies that hold directional overrides, in the embed in Debian's Chromium. */
describe('the embed with right-to-left overrides in what readers wrote (browser)', () => {
  let t: TestApp;
  let api: Api;
  let apiOrigin: string;
  let host: HostSite;
  let browser: Browser;
  let page: Page;

  let rig: EmbedRig;

  beforeAll(async () => {
    rig = await startEmbedRig();
    ({ t, api, host, browser, apiOrigin } = rig);
  }, 60_000);

  afterAll(() => stopEmbedRig(rig));

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 700, height: 500 }, reducedMotion: 'reduce' });
    page.setDefaultTimeout(5000);
  });
  afterEach(() => page.context().close());

  it('takes a name from a token without its overrides', async () => {
    const article = await api.createArticle(t.token('desk', 'moderator'), {
      url: `https://news.example/${unique('b')}`,
    });
    const posted = await api.comment(t.token(unique('r'), 'commenter', { name: '\u202Egnp.exe' }), article.id, 'hi');
    expect(posted.author).toMatchObject({ name: 'gnp.exe' });
  });

  it('shows a stored name that holds an override isolated: the words after it keep their order', async () => {
    const url = `https://news.example/${unique('b')}`;
    const article = await api.createArticle(t.token('desk', 'moderator'), { url });
    // A name stored before names were cleaned, or brought in by an import.
    const id = unique('rlo');
    await t.db.query(`INSERT INTO users (id, name) VALUES ($1, $2)`, [id, '\u202Egnp.exe']);
    await api.comment(t.token(id, 'commenter', { name: null }), article.id, 'Look at my \u202Efdp.exe\u202C file.');

    await page.goto(host.page({ articleUrl: url, user: id }));
    const thread = page.locator('comment-desk-thread');
    await thread.getByRole('button', { name: 'Sign in to comment' }).click();
    const author = thread.locator('.author');
    await pw(author).toHaveText('\u202Egnp.exe (you)');
    const name = author.locator('bdi');
    await pw(name).toHaveText('\u202Egnp.exe');
    await pw(thread.locator('.body')).toHaveAttribute('dir', 'auto');
    // " (you)" is drawn after the name, left to right: an override left open in the name would
    // have drawn it reversed, to the name's left.
    const [nameBox, suffixBox] = await author.evaluate((el) => {
      const suffix = document.createRange();
      suffix.selectNodeContents(el.lastChild!);
      const [a, b] = [el.querySelector('bdi')!.getBoundingClientRect(), suffix.getBoundingClientRect()];
      return [a.toJSON(), b.toJSON()] as DOMRect[];
    });
    expect(suffixBox.left).toBeGreaterThanOrEqual(nameBox.right - 1);
    await screenshot(page, 'embed-bidi-name');
  });
});

/** The same in the moderators' console: a card's author, article title and body. */
describe('the console with right-to-left overrides in what readers wrote (browser)', () => {
  const h = new DeskHarness();

  beforeAll(() => h.start(), 60_000);
  afterAll(() => h.stop());
  afterEach(() => h.closeContexts());

  it('isolates the name on a card: the words after it keep their order', async () => {
    const mod = h.t.token('mona', 'moderator');
    const article = await h.api.createArticle(mod, { moderationMode: 'pre', title: '\u202Eelbat eht' });
    const id = unique('rlo');
    await h.t.db.query(`INSERT INTO users (id, name) VALUES ($1, $2)`, [id, '\u202Egnp.exe']);
    await h.api.comment(h.t.token(id, 'commenter', { name: null }), article.id, 'See \u202Efdp.exe\u202C here.');

    const page = await h.open(mod);
    const card = page.getByRole('article').filter({ hasText: 'here.' });
    await pw(card.locator('h2 a bdi').first()).toHaveText('\u202Egnp.exe');
    await pw(card.locator('.body')).toHaveAttribute('dir', 'auto');
    // " on " is drawn after the name, not reversed to its left by the override in the name.
    const [nameBox, onBox] = await card
      .locator('h2')
      .evaluate((el) => [
        el.querySelector('bdi')!.getBoundingClientRect().toJSON(),
        el.querySelector('span.muted')!.getBoundingClientRect().toJSON(),
      ]);
    expect(onBox.left).toBeGreaterThanOrEqual(nameBox.right - 1);
    await h.screenshot(page, 'bidi-card');
  });
});
