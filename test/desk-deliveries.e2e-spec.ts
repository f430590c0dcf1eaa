/// <reference lib="dom" />
import { Page } from 'playwright-core';
import { expectStatus, unique } from './support/comments-helpers';
import { pw } from './support/browser';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';
import { until } from './support/expect';
import { SlackReceiver, wholeText } from './support/slack-receiver';

/**
 * The admins' console for what a site sends out, in Chromium against the whole service and a
 * receiver that speaks Slack's protocol: the Slack alerts on the site's page (the URL never shown
 * back), the card an alert links to, and the Deliveries page, whose dead letters can be sent again.
 */
describe("the console's Slack alerts and deliveries (browser)", () => {
  const h = new DeskHarness();
  const slack = new SlackReceiver();
  let admin: string;

  beforeAll(async () => {
    await slack.start();
    // No retries: a delivery that fails once is dead at once.
    await h.start({
      DELIVERIES: 'on',
      DELIVERY_RETRY_DELAY_SECONDS: '1',
      DELIVERY_RETRY_LIMIT: '0',
      DELIVERY_ALLOW_LOOPBACK: 'on',
    });
    admin = h.t.token('ada', 'admin', { name: 'Ada Admin' });
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await slack.stop();
  });
  afterEach(() => h.closeContexts());

  async function open(place: string, width: number): Promise<Page> {
    const page = await h.open(admin, place, width);
    await pw(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    return page;
  }

  const fits = async (page: Page) => {
    expect(await h.overflow(page)).toEqual({ by: 0, widest: [] });
    expect(await h.seriousViolations(page)).toEqual([]);
  };

  /** A comment held on a pre-moderated article, which the channel (if set up) hears of. */
  const holdComment = async (text: string) => {
    const article = await h.api.createArticle(admin, { title: `Held here ${unique('a')}`, moderationMode: 'pre' });
    return h.api.comment(h.t.token('rex', 'commenter', { name: 'Rex Reader' }), article.id, text);
  };

  for (const [size, width] of [
    ['wide', DESKTOP],
    ['phone', PHONE],
  ] as const)
    it(`sets up Slack alerts on the site's page, and an alert's link opens the comment's card (${width} px)`, async () => {
      const channel = `channel-${size}`;
      const page = await open('#/sites/default', width);
      const section = page.getByRole('region', { name: 'Slack alerts' });
      await pw(section.getByText(/Not set up|Sending to/)).toBeVisible();
      await section.getByRole('textbox', { name: /incoming-webhook URL/i }).fill(slack.url(channel));
      for (const name of [
        'A comment is held for review',
        'A comment is reported',
        'A comment reaches the report threshold',
      ])
        await section.getByRole('checkbox', { name }).check();
      await section.getByRole('checkbox', { name: 'A moderator or admin posts a comment' }).uncheck();
      await section.getByRole('button', { name: 'Save Slack alerts' }).click();
      await pw(page.locator('.announcement')).toHaveText('The Slack alerts are saved.');
      await pw(section.getByText(`Sending to ${slack.origin}/…`)).toBeVisible();
      // The URL is not read back: the field is empty again, and the page holds no secret path.
      await pw(section.getByRole('textbox', { name: /incoming-webhook URL/i })).toHaveValue('');
      expect(await page.content()).not.toContain(`/services/${channel}`);
      await section.scrollIntoViewIfNeeded();
      await fits(page);
      await h.screenshot(page, `slack-settings-${size}`, true);

      // A URL that reaches no public address is refused, said beside the field.
      await section.getByRole('textbox', { name: /incoming-webhook URL/i }).fill('http://10.1.2.3/services/x');
      await section.getByRole('button', { name: 'Save Slack alerts' }).click();
      const field = section.getByRole('textbox', { name: /incoming-webhook URL/i });
      await pw(field).toHaveAttribute('aria-invalid', 'true');
      await pw(section.getByText(/not a public address/).first()).toBeVisible();
      expect(await h.seriousViolations(page)).toEqual([]);

      const text = `Look at me ${unique('held')}`;
      const held = await holdComment(text);
      const [message] = await until('the alert', 10_000, () => {
        const got = slack.accepted(channel).filter((m) => wholeText(m).includes(text));
        return got.length > 0 && got;
      });
      const link = /<([^|>]+)\|Open the card in the console>/.exec(wholeText(message))?.[1];
      expect(link).toMatch(/^http:\/\/localhost:\d+\/desk\/#\/search\?commentId=[0-9a-f-]{36}&site=default$/);
      // The service's public URL is this test's: the same path and fragment, on the harness's origin.
      const card = await open(new URL(link!).hash, width);
      const shown = card.getByRole('article').filter({ hasText: text });
      await pw(shown).toBeVisible();
      await pw(shown).toHaveCount(1);
      await pw(card.getByText('One comment.')).toBeVisible();
      await pw(shown.getByRole('button', { name: /Approve/ })).toBeVisible();
      expect(link).toContain(held.id);
      await fits(card);
      await h.screenshot(card, `slack-card-${size}`, true);
    });

  for (const [size, width] of [
    ['wide', DESKTOP],
    ['phone', PHONE],
  ] as const)
    it(`shows the site's deliveries and sends a dead letter again (${width} px)`, async () => {
      const channel = `dead-${size}`;
      expectStatus(
        await h.t
          .http()
          .put('/api/admin/sites/default/slack')
          .set('Authorization', `Bearer ${admin}`)
          .send({ url: slack.url(channel), triggers: ['held'] }),
        200,
      );
      slack.plan(channel, { status: 500 });
      const text = `Slack was down ${unique('dead')}`;
      await holdComment(text);
      await until('dead', 10_000, async () => {
        const { rows } = await h.t.db.query(`SELECT 1 FROM pgboss.job WHERE name = 'slack' AND state = 'failed'`);
        return rows.length === 1;
      });

      const page = await open('#/deliveries', width);
      await pw(page.getByRole('heading', { name: 'Deliveries', level: 1 })).toBeVisible();
      const counts = page.getByRole('region', { name: 'What is being sent' });
      await pw(counts.getByRole('row', { name: /Slack alerts/ })).toContainText('1');
      const dead = page.getByRole('region', { name: 'Failed for good' });
      const row = dead.getByRole('row').filter({ hasText: 'Held for review' });
      await pw(row).toHaveCount(1);
      await pw(row).toContainText('Slack answered 500');
      await pw(row).toContainText("The site's Slack channel");
      await fits(page);
      await h.screenshot(page, `deliveries-dead-${size}`, true);

      await row.getByRole('button', { name: /Send again/ }).click();
      await pw(page.locator('.announcement')).toContainText('Sent again: Held for review');
      await until('delivered', 10_000, () => slack.accepted(channel).some((m) => wholeText(m).includes(text)));
      await page.getByRole('button', { name: 'Refresh' }).click();
      await pw(dead.getByText('Nothing: every delivery was made, or is still being tried.')).toBeVisible();
      await fits(page);
      await h.screenshot(page, `deliveries-empty-${size}`, true);
    });

  it('offers the Deliveries page to admins only', async () => {
    const page = await h.open(h.t.token('mona', 'moderator'), '#/deliveries', DESKTOP);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await pw(nav.getByRole('link', { name: 'Queues' })).toBeVisible();
    await pw(nav.getByRole('link', { name: 'Deliveries' })).toHaveCount(0);
    await pw(page.getByText('Only administrators can see deliveries.')).toBeVisible();
  });
});
