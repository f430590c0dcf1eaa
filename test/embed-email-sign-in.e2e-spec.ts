/// <reference lib="dom" />
import { BrowserContext } from 'playwright-core';
import { SitesDirectory } from '../src/sites/sites.directory';
import { axeViolations, pw, screenshot } from './support/browser';
import { unique } from './support/comments-helpers';
import { addRigSite, EmbedRig, RigSite, startEmbedRig, stopEmbedRig } from './support/embed-rig';
import { SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';

/**
 * A reader of a site without a login of its own signs in from the embed (sign-in="email"): an
 * address and a name, the email read from a real SMTP server, its link opened in another browser
 * (as on a phone), and the page that asked is signed in and posts. In Debian's Chromium.
 */
describe('the embed signs readers in by an emailed link (browser)', () => {
  let rig: EmbedRig;
  let site: RigSite;
  let smtp: SmtpCatcher;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    rig = await startEmbedRig({ SMTP_URL: smtp.url, DELIVERIES: 'on', DELIVERY_RETRY_DELAY_SECONDS: '1' });
    site = await addRigSite(rig, 'evening', 'The Evening Post');
    await rig.t.db.query(
      `UPDATE sites SET identity = identity || '{"emailLinks": true}', version = version + 1 WHERE key = 'evening'`,
    );
    rig.t.app.get(SitesDirectory).forget();
  }, 60_000);
  afterAll(async () => {
    await stopEmbedRig(rig);
    await smtp?.stop();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  const newContext = async (width: number) => {
    const context = await rig.browser.newContext({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context;
  };

  it.each([
    ['wide', 1280],
    ['phone', 390],
  ])('at a %s width: asks for a link, is signed in when it is opened elsewhere, and posts', async (name, width) => {
    const url = `https://evening.example/${unique('story')}`;
    await rig.t.db.query(
      `INSERT INTO articles (site_id, url, title, moderation_mode, disclaimer_text) VALUES ($1, $2, 'Evening story', 'post', 'The comments below have not been moderated.')`,
      [site.id, url],
    );
    const address = `ada-${name}@example.com`;
    const page = await (await newContext(width)).newPage();
    await page.goto(rig.host.page({ articleUrl: url, site: site.key, signIn: 'email' }));
    const thread = page.locator('comment-desk-thread');

    await thread.getByRole('button', { name: 'Sign in to comment' }).click();
    const nameBox = thread.getByRole('textbox', { name: 'Your name, shown with your comments' });
    await pw(nameBox).toBeFocused();
    await nameBox.fill('Ada Lovelace');
    await thread.getByRole('textbox', { name: 'Your email address' }).fill(address);
    await screenshot(page, `embed-email-sign-in-form-${name}`);
    expect(await axeViolations(page)).toEqual([]);
    await thread.getByRole('button', { name: 'Email me a sign-in link' }).click();
    const sent = thread.getByRole('status').filter({ hasText: 'Check your email' });
    await pw(sent).toContainText(address);
    const code = /The link’s page will show the code ([A-Z2-9]{3}-[A-Z2-9]{3})\./.exec((await sent.textContent())!)![1];
    await screenshot(page, `embed-email-sign-in-sent-${name}`);
    expect(await axeViolations(page)).toEqual([]);

    // The email's link, opened in another browser (the reader's phone, say).
    const mail = await smtp.next(address);
    expect(mail.subject).toBe('Sign in to comment on The Evening Post');
    const link = /(http:\/\/\S+\/email-sign-in\/link\?token=\S+)/.exec(mail.text!)![1];
    const phone = await (await newContext(390)).newPage();
    await phone.goto(link);
    await pw(phone.getByRole('heading', { name: 'Sign in to comment' })).toBeVisible();
    await pw(phone.getByText(`The page where you asked shows the code ${code}.`)).toBeVisible();
    expect(await axeViolations(phone)).toEqual([]);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await pw(phone.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
    await screenshot(phone, `email-sign-in-link-done-${name}`);
    expect(await axeViolations(phone)).toEqual([]);

    const box = thread.getByRole('textbox', { name: 'Your comment' });
    await pw(box).toBeVisible();
    await pw(thread.getByText('Signed in as Ada Lovelace')).toBeVisible();
    const text = `Signed in by an emailed link, ${name}.`;
    await box.fill(text);
    await thread.getByRole('button', { name: 'Post comment' }).click();
    await pw(thread.getByRole('article').filter({ hasText: text })).toBeVisible();
    const { rows } = await rig.t.db.query(
      `SELECT u.id, u.name, u.site_id FROM comments c JOIN users u ON u.id = c.author_id WHERE c.body = $1`,
      [text],
    );
    expect(rows).toEqual([{ id: expect.stringMatching(/^evening:email:/), name: 'Ada Lovelace', site_id: site.id }]);
    await screenshot(page, `embed-email-sign-in-${name}`);
    expect(await axeViolations(page)).toEqual([]);

    // The page kept the session's refresh token: a reload is still signed in.
    await page.reload();
    await pw(thread.getByRole('textbox', { name: 'Your comment' })).toBeVisible();
  });
});
