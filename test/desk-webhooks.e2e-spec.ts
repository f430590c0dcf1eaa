/// <reference lib="dom" />
import { Page } from 'playwright-core';
import { pw } from './support/browser';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';
import { until } from './support/expect';
import { startReceiver, WebhookReceiver } from './support/webhook-receiver';

/** The console's Webhooks page, in Chromium against the whole service and a real receiver. */
describe("the console's webhooks (browser)", () => {
  const h = new DeskHarness();
  let receiver: WebhookReceiver;
  let chief: string;

  beforeAll(async () => {
    await h.start({
      DELIVERIES: 'on',
      DELIVERY_ALLOW_LOOPBACK: 'on',
      DELIVERY_RETRY_DELAY_SECONDS: '1',
    });
    receiver = await startReceiver();
    chief = h.t.token('chief', 'admin', { name: 'Chief Editor' });
  }, 60_000);
  afterAll(async () => {
    await receiver.stop();
    await h.stop();
  });
  afterEach(() => h.closeContexts());

  const fits = async (page: Page) => {
    expect(await h.overflow(page)).toEqual({ by: 0, widest: [] });
    expect(await h.seriousViolations(page)).toEqual([]);
  };

  async function open(place: string, width: number): Promise<Page> {
    const page = await h.open(chief, place, width);
    await pw(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    return page;
  }

  it('lets an admin add a webhook, see its secret once, send a test event and read the delivery log', async () => {
    const page = await open('#/webhooks', DESKTOP);
    await pw(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
    await pw(page.getByText('No webhooks on this site yet.')).toBeVisible();
    await fits(page);
    await h.screenshot(page, 'webhooks-empty-wide', true);

    // A URL that leads to a private address is refused, said beside the field.
    await page.getByLabel(/^URL/).fill('http://10.0.0.1/hooks');
    await page.getByRole('checkbox', { name: /Banned/ }).check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await pw(page.locator('#webhook-url-error')).toContainText('not a public address');
    await pw(page.getByLabel(/^URL/)).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel(/^URL/).fill(receiver.url);
    await page.getByLabel(/^Description/).fill('The newsroom’s alerts');
    await page.getByRole('checkbox', { name: /Posted/ }).check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = page.locator('code.secret');
    await pw(secret).toHaveText(/^whsec_/);
    receiver.secrets = [(await secret.textContent())!];
    await pw(page.getByRole('link', { name: receiver.url })).toBeVisible();
    await fits(page);
    await h.screenshot(page, 'webhooks-added-wide', true);

    await page.getByRole('link', { name: receiver.url }).click();
    await pw(page.getByRole('heading', { level: 2, name: 'Active' })).toBeVisible();
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await until('the test event received', 20_000, () => receiver.ofType('webhook.test').length === 1);
    const log = page.getByRole('region', { name: 'Delivery log' });
    await until('the log shows it delivered', 20_000, async () => {
      await log.getByRole('button', { name: 'Refresh' }).click();
      return (await log.getByText(/webhook\.test · Delivered/).count()) === 1;
    });
    await log.locator('summary').first().click();
    await pw(log.getByRole('cell', { name: 'thanks' })).toBeVisible();
    await fits(page);
    await h.screenshot(page, 'webhooks-log-wide', true);

    await log.getByRole('button', { name: 'Send again' }).click();
    await until('sent again', 20_000, () => receiver.ofType('webhook.test').length === 2);

    await page.getByRole('button', { name: 'Pause' }).click();
    await pw(page.getByRole('heading', { level: 2, name: 'Paused by an admin' })).toBeVisible();
    await page.getByRole('button', { name: 'Resume' }).click();
    await pw(page.getByRole('heading', { level: 2, name: 'Active' })).toBeVisible();

    await page.getByRole('button', { name: 'Rotate the secret' }).click();
    await pw(secret).toHaveText(/^whsec_/);
    expect(await secret.textContent()).not.toBe(receiver.secrets[0]);
    await pw(page.getByText(/each message carries both signatures/)).toBeVisible();
    await fits(page);
    await h.screenshot(page, 'webhooks-rotated-wide', true);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
  }, 60_000);

  it(`fits a phone (${PHONE} px): the list, the form and an endpoint's log`, async () => {
    const page = await open('#/webhooks', PHONE);
    await pw(page.getByRole('link', { name: receiver.url })).toBeVisible();
    await fits(page);
    await h.screenshot(page, 'webhooks-list-phone', true);
    await page.getByRole('link', { name: receiver.url }).click();
    const log = page.getByRole('region', { name: 'Delivery log' });
    await pw(log.locator('summary').first()).toBeVisible();
    await log.locator('summary').first().click();
    await fits(page);
    await h.screenshot(page, 'webhooks-log-phone', true);
  }, 30_000);

  it('is not offered to a moderator', async () => {
    const page = await h.open(h.t.token('mod', 'moderator'), '#/webhooks', DESKTOP);
    await pw(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    await pw(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhooks' })).toHaveCount(0);
    await pw(page.getByText('Only administrators can manage webhooks.')).toBeVisible();
  });
});
