/// <reference lib="dom" />
import { Page } from 'playwright-core';
import { Transactions } from '../src/database/transactions';
import { Mailer } from '../src/mail/mailer';
import { pw } from './support/browser';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';
import { until } from './support/expect';

/**
 * The console on an installation without a mail server (as `npm start` runs): its admins read the
 * emails it kept (the HTML in a frame that runs nothing, the text, the headers), and turn on a
 * site's sign-in by email. In Chromium against the whole service.
 */
describe("the console's Emails page (browser)", () => {
  const h = new DeskHarness();
  let chief: string;

  beforeAll(async () => {
    await h.start({ MAIL_CATCHER: 'on', DELIVERIES: 'on', DELIVERY_RETRY_DELAY_SECONDS: '1' });
    chief = h.t.token('chief', 'admin', { name: 'Chief Editor' });
    await h.t.app.get(Transactions).run((manager) =>
      h.t.app.get(Mailer).send(manager, [
        {
          siteId: 1,
          to: 'ada@example.com',
          subject: 'Bob replied to your comment',
          text: 'Bob replied:\n\n"I agree with you."\n\nRead it: https://news.example/story#comment-1',
          html:
            '<p>Bob replied:</p><blockquote>I agree with you.</blockquote><p><a href="https://news.example/story">Read it</a></p>' +
            '<img src="https://tracker.example/open.gif" alt=""><script>document.body.dataset.ran = "yes"</script>',
          headers: {
            'List-Unsubscribe': '<https://news.example/unsubscribe/abc>',
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        },
      ]),
    );
    await until('the email kept', 15_000, async () => {
      const { rows } = await h.t.db.query(`SELECT 1 FROM caught_emails`);
      return rows.length === 1;
    });
  }, 60_000);
  afterAll(() => h.stop());
  afterEach(() => h.closeContexts());

  const fits = async (page: Page) => {
    expect(await h.overflow(page)).toEqual({ by: 0, widest: [] });
    expect(await h.seriousViolations(page)).toEqual([]);
  };

  for (const [size, width] of [
    ['wide', DESKTOP],
    ['phone', PHONE],
  ] as const)
    it(`shows an admin the kept emails and opens one, its HTML run in no script, at ${width} px`, async () => {
      const page = await h.open(chief, '#/queue/pending', width);
      const nav = page.getByRole('navigation', { name: 'Sections' });
      await nav.getByRole('link', { name: 'Emails' }).click();
      await pw(page.getByRole('heading', { level: 1, name: 'Emails' })).toBeVisible();
      await page.getByRole('link', { name: 'Bob replied to your comment' }).click();

      const email = page.getByRole('region', { name: 'Bob replied to your comment' });
      await pw(email.getByText('<https://news.example/unsubscribe/abc>')).toBeVisible();
      await pw(email.getByText('List-Unsubscribe=One-Click')).toBeVisible();
      await pw(email.locator('pre')).toContainText('"I agree with you."');
      const frame = email.locator('iframe');
      await pw(frame).toHaveAttribute('sandbox', '');
      const inside = page.frameLocator('.email iframe');
      await pw(inside.getByText('I agree with you.')).toBeVisible();
      // The email's script did not run, and its tracking image was not fetched.
      expect(await inside.locator('body').getAttribute('data-ran')).toBeNull();
      expect(await inside.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(0);
      await fits(page);
      await h.screenshot(page, `emails-${size}`, true);
      // The console's policy refusing the image is what was wanted: not an error of the page.
      const refused = h.pageErrors.filter((e) => e.includes('tracker.example'));
      expect(refused.length).toBeGreaterThan(0);
      h.pageErrors.splice(0, h.pageErrors.length, ...h.pageErrors.filter((e) => !refused.includes(e)));
    });

  it('is not offered to a moderator', async () => {
    const page = await h.open(h.t.token('mona', 'moderator', { name: 'Mona' }), '#/queue/pending');
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await pw(nav.getByRole('link', { name: 'Queues' })).toBeVisible();
    await pw(nav.getByRole('link', { name: 'Emails' })).toHaveCount(0);
  });

  it("lets an admin turn on a site's sign-in by email", async () => {
    const page = await h.open(chief, '#/sites/default');
    const box = page.getByRole('checkbox', { name: 'Readers may sign in by an emailed link' });
    await box.check();
    await page.getByRole('button', { name: 'Save site' }).click();
    await pw(page.locator('.announcement')).toHaveText('The site “Default site” is saved.');
    const { rows } = await h.t.db.query(`SELECT identity FROM sites WHERE id = 1`);
    expect(rows[0].identity).toEqual({ emailLinks: true });
    expect(await box.isChecked()).toBe(true);
    await fits(page);
  });
});
