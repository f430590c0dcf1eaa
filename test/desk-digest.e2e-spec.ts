/// <reference lib="dom" />
import { pw } from './support/browser';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';
import { until } from './support/expect';

/**
 * A moderator chooses their digest in the console: how often, and the address, confirmed by the
 * link emailed to it (kept here by the mail catcher, as `npm start` runs). In Chromium.
 */
describe("the console's Digest page (browser)", () => {
  const h = new DeskHarness();

  beforeAll(() => h.start({ MAIL_CATCHER: 'on', DELIVERIES: 'on', DELIVERY_RETRY_DELAY_SECONDS: '1' }), 60_000);
  afterAll(() => h.stop());
  afterEach(() => h.closeContexts());

  for (const [size, width] of [
    ['wide', DESKTOP],
    ['phone', PHONE],
  ] as const)
    it(`lets a moderator choose a daily digest and confirm its address, at ${width} px`, async () => {
      const sub = `mona-${size}`;
      const address = `${sub}@example.com`;
      const page = await h.open(h.t.token(sub, 'moderator', { name: 'Mona' }), '#/queue/pending', width);
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Digest' }).click();
      await pw(page.getByRole('heading', { level: 1, name: 'Digest' })).toBeVisible();
      const often = page.getByRole('group', { name: 'How often' });
      await pw(often.getByRole('radio', { name: 'Off' })).toBeVisible();
      expect(await often.getByRole('radio', { name: 'Off' }).isChecked()).toBe(true);

      await often.getByRole('radio', { name: 'Every day' }).check();
      const box = page.getByRole('textbox', { name: 'Email address' });
      await box.fill('not an address');
      await page.getByRole('button', { name: 'Save digest' }).click();
      await pw(box).toHaveAttribute('aria-invalid', 'true');
      await box.fill(address);
      await page.getByRole('button', { name: 'Save digest' }).click();
      await pw(page.locator('.announcement')).toHaveText(
        `Saved. Confirm the address with the link emailed to ${address}.`.replace('link', 'link just'),
      );
      await pw(page.getByText('Not confirmed yet: open the link emailed to it.')).toBeVisible();
      expect(await h.seriousViolations(page)).toEqual([]);
      expect(await h.overflow(page)).toEqual({ by: 0, widest: [] });
      await h.screenshot(page, `digest-${size}`, true);

      const text = await until('the confirmation kept', 15_000, async () => {
        const { rows } = await h.t.db.query<{ text: string }>(`SELECT text FROM caught_emails WHERE "to" = $1`, [
          address,
        ]);
        return rows[0]?.text;
      });
      const link = /(http:\/\/\S+\/api\/digest-confirmations\?token=\S+)/.exec(text)![1];
      const confirmation = await page.context().newPage();
      await confirmation.goto(link);
      await pw(confirmation.getByRole('heading', { name: 'Your digest is confirmed' })).toBeVisible();
      await page.reload();
      await pw(page.getByText('Confirmed.')).toBeVisible();
      expect(await often.getByRole('radio', { name: 'Every day' }).isChecked()).toBe(true);
    });
});
