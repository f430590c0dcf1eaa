/// <reference lib="dom" />
import { BrowserContext, Page } from 'playwright-core';
import { Environment } from '../src/config/environment';
import { axeViolations, pw, screenshot } from './support/browser';
import { expectStatus, unique } from './support/comments-helpers';
import { EmbedRig, startEmbedRig, stopEmbedRig } from './support/embed-rig';
import { SmtpInbox, startSmtpInbox } from './support/smtp-inbox';

/**
 * A reader turns reply emails on in the embed's notifications panel, confirms their address by
 * the link emailed to it, another reader answers, and the email arrives over SMTP with a link
 * that opens the answer in the thread and a one-click unsubscribe that works. In Debian's
 * Chromium, on a publisher's page of another origin.
 */
describe('email notifications in the embed (browser)', () => {
  let rig: EmbedRig;
  let inbox: SmtpInbox;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    rig = await startEmbedRig({
      SMTP_URL: inbox.url,
      DELIVERY_RETRY_DELAY_SECONDS: '1',
      NOTIFICATION_SWEEP_SECONDS: '1',
    });
    // The emails' links lead to the service where this test listens (known once it listens).
    rig.t.app.get(Environment).PUBLIC_URL = rig.apiOrigin;
  }, 60_000);

  afterAll(async () => {
    await stopEmbedRig(rig);
    await inbox.close();
  });

  async function open(url: string, width: number): Promise<void> {
    context = await rig.browser.newContext({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(5000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
  }

  afterEach(async () => {
    const violations = await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
    await context.close();
    expect(violations).toEqual([]);
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const thread = () => page.locator('comment-desk-thread');
  const panelSummary = () => thread().getByText('Email notifications', { exact: true });
  const repliesBox = () => thread().getByRole('checkbox', { name: 'someone replies to my comment' });

  async function articleWithMine() {
    const mod = rig.t.token('desk', 'moderator');
    const url = `https://news.example/${unique('notify')}`;
    const article = await rig.api.createArticle(mod, { url, title: 'The night train returns' });
    const readerId = unique('nina');
    const mine = await rig.api.comment(
      rig.t.token(readerId, 'commenter', { name: 'Nina' }),
      article.id,
      'Will it stop in Lyon?',
    );
    return { url, article, readerId, mine, address: `${readerId}@readers.example` };
  }

  it.each([
    ['wide', 1280],
    ['phone', 390],
  ])('at a %s width: turned on, confirmed, told of an answer, unsubscribed in one click', async (name, width) => {
    const { url, article, readerId, mine, address } = await articleWithMine();
    await open(rig.host.page({ articleUrl: url, earlyUser: readerId }), width);

    await panelSummary().click();
    await pw.poll(() => repliesBox().isChecked()).toBe(false); // off until the reader turns it on
    const field = thread().getByLabel('Your email address');
    await field.fill(address);
    await thread().getByRole('button', { name: 'Send confirmation link' }).click();
    await pw(thread().getByText(`We sent a link to`)).toBeVisible();

    const confirmation = await inbox.waitFor(address);
    const confirmLink = /(http:\/\/\S+\/api\/notifications\/confirm\?token=[\w-]+)/.exec(confirmation.text)![1];
    const confirmPage = await context.newPage();
    await confirmPage.goto(confirmLink);
    await pw(confirmPage.getByRole('heading', { name: 'Address confirmed' })).toBeVisible();
    await confirmPage.close();

    await repliesBox().check();
    await thread().getByRole('button', { name: 'Save' }).click();
    await pw(thread().getByRole('status').filter({ hasText: 'Your notification choices were saved.' })).toBeVisible();
    await pw(thread().getByText(`Emails go to`)).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `embed-notifications-${name}`);

    const answer = await rig.api.comment(
      rig.t.token(unique('omar'), 'commenter', { name: 'Omar' }),
      article.id,
      'Yes, at Lyon Part-Dieu.',
      mine.id,
    );
    const email = await inbox.waitFor(address, (m) => m.subject.startsWith('New reply'));
    const back = /(https:\/\/news\.example\/\S+#comment-[\w-]+)/.exec(email.text)![1];
    expect(back).toBe(`${url}#comment-${answer.id}`);
    // The link back, on the publisher's page: the thread opens at the answer.
    await page.goto(`${rig.host.page({ articleUrl: url, earlyUser: readerId })}${new URL(back).hash}`);
    const linked = thread().locator(`article#comment-${answer.id}`);
    await pw(linked).toBeFocused();
    await pw.poll(() => linked.evaluate((el) => el.classList.contains('linked'))).toBe(true);

    // One click in the mail client (RFC 8058): a POST of the List-Unsubscribe URL.
    const unsubscribe = /^<([^>]+)>$/.exec(email.header('list-unsubscribe')!)![1];
    expect(email.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const res = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expectStatus({ status: res.status, body: await res.text() }, 200);
    await page.reload();
    await panelSummary().click();
    await pw.poll(() => repliesBox().isChecked()).toBe(false);
  });

  it('asks before unsubscribing when the link is opened in a browser, in the reader’s language', async () => {
    const { url, readerId, address, article, mine } = await articleWithMine();
    await open(rig.host.page({ articleUrl: url, earlyUser: readerId, lang: 'fr' }), 1280);
    await thread().getByText('Notifications par courriel', { exact: true }).click();
    await thread().getByLabel('Votre adresse électronique').fill(address);
    await thread().getByRole('button', { name: 'Envoyer le lien de confirmation' }).click();
    const confirmation = await inbox.waitFor(address);
    expect(confirmation.subject).toMatch(/^Confirmez votre adresse électronique/);
    await page.goto(/(http:\/\/\S+\/api\/notifications\/confirm\?token=[\w-]+)/.exec(confirmation.text)![1]);
    await pw(page.getByRole('heading', { name: 'Adresse confirmée' })).toBeVisible();

    await page.goto(rig.host.page({ articleUrl: url, earlyUser: readerId, lang: 'fr' }));
    await thread().getByText('Notifications par courriel', { exact: true }).click();
    await thread().getByRole('checkbox', { name: 'quelqu’un répond à mon commentaire' }).check();
    await thread().getByRole('button', { name: 'Enregistrer' }).click();
    await pw(thread().getByText('Vos choix de notification sont enregistrés.')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'embed-notifications-fr', false);

    await rig.api.comment(rig.t.token(unique('omar'), 'commenter', { name: 'Omar' }), article.id, 'Oui.', mine.id);
    const email = await inbox.waitFor(address, (m) => m.subject.startsWith('Nouvelle réponse'));
    await page.goto(/^<([^>]+)>$/.exec(email.header('list-unsubscribe')!)![1]);
    await pw(page.getByRole('heading', { name: 'Ne plus recevoir ces courriels ?' })).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Se désabonner' }).click();
    await pw(page.getByRole('heading', { name: 'Vous êtes désabonné' })).toBeVisible();
  });
});
