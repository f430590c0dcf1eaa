/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';
import { expectStatus, unique } from './support/comments-helpers';
import { pw } from './support/browser';
import { fixture } from './support/imports';
import { DESKTOP, DeskHarness, PHONE } from './support/desk';

/**
 * The console's two administration tasks in Chromium, against the whole service: a moderator
 * makes an article's thread by hand, and an admin imports an export file and reads its outcome
 * on screen. Each at a desktop's width and a phone's (no sideways scrolling, nothing serious for
 * axe), with screenshots desk-new-article-*.png and desk-import-*.png.
 */
describe("the console's new-article form and imports (browser)", () => {
  const h = new DeskHarness();
  let mod: string;
  let admin: string;

  beforeAll(async () => {
    await h.start();
    mod = h.t.token('nora', 'moderator', { name: 'Nora New' });
    admin = h.t.token('chief', 'admin', { name: 'Chief Importer' });
  }, 60_000);

  afterAll(() => h.stop());
  afterEach(() => h.closeContexts());

  async function open(token: string, place: string, width: number): Promise<Page> {
    const page = await h.open(token, '#/queue/pending', width);
    await pw(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    await page.evaluate((hash) => (location.hash = hash), place);
    return page;
  }

  /** The text of the elements that describe a control (its hint, its error). */
  const description = (control: ReturnType<Page['getByRole']>) =>
    control.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );

  const fits = async (page: Page) => {
    expect(await h.overflow(page)).toEqual({ by: 0, widest: [] });
    expect(await h.seriousViolations(page)).toEqual([]);
  };

  for (const [size, width] of [
    ['wide', DESKTOP],
    ['phone', PHONE],
  ] as const)
    it(`creates an article through the form at ${width} px, the API's refusals said next to the fields`, async () => {
      const page = await open(mod, '#/articles', width);
      await page.getByRole('button', { name: 'New article' }).click();
      const form = page.getByRole('form', { name: 'New article' });
      const url = form.getByRole('textbox', { name: 'URL' });
      await pw(url).toBeFocused();

      // Refused by the API: not an address, and no title.
      await url.fill('not an address');
      await form.getByRole('button', { name: 'Create article' }).click();
      await pw(url).toHaveAttribute('aria-invalid', 'true');
      expect(await description(url)).toMatch(
        /^The address of the article’s page.* URL must be a whole address, starting with https:\/\/$/,
      );
      const title = form.getByRole('textbox', { name: 'Title' });
      await pw(title).toHaveAttribute('aria-invalid', 'true');
      expect(await description(title)).toMatch(/^Title /);
      await pw(url).toBeFocused();
      await fits(page);
      await h.screenshot(page, `new-article-errors-${size}`, true);

      const address = `https://news.example/${unique('by-hand')}`;
      await url.fill(address);
      await title.fill(`Election night live, ${size}`);
      await form.getByRole('radio', { name: /^Pre-moderation/ }).check();
      await form.getByRole('button', { name: 'Create article' }).click();

      // Its own page opens, with what the API made of it.
      await pw(page.getByRole('heading', { level: 1, name: `Election night live, ${size}` })).toBeVisible();
      const id = new URL(page.url()).hash.replace('#/articles/', '');
      const stored = expectStatus(
        await h.t.http().get(`/api/articles/${id}`).set('Authorization', `Bearer ${mod}`),
        200,
      );
      expect(stored).toMatchObject({ url: address, title: `Election night live, ${size}`, moderationMode: 'pre' });
      await pw(page.locator('.announcement')).toContainText('is created');
      await fits(page);
      await h.screenshot(page, `new-article-created-${size}`, true);

      // The same address again: the API's conflict is said in words.
      await page.evaluate(() => (location.hash = '#/articles'));
      await page.getByRole('button', { name: 'New article' }).click();
      await url.fill(address);
      await title.fill('The same page again');
      await form.getByRole('button', { name: 'Create article' }).click();
      await pw(form.getByRole('alert')).toContainText('Not created:');
    });

  it('offers imports to admins only', async () => {
    const moderator = await open(mod, '#/queue/pending', DESKTOP);
    await pw(
      moderator.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Queues' }),
    ).toBeVisible();
    await pw(moderator.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Import' })).toHaveCount(
      0,
    );
    await moderator.evaluate(() => (location.hash = '#/imports'));
    await pw(moderator.getByRole('alert')).toHaveText('Only administrators can import comments.');

    const chief = await open(admin, '#/queue/pending', DESKTOP);
    await chief.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Import' }).click();
    await pw(chief.getByRole('heading', { level: 1, name: 'Import comments' })).toBeVisible();
  });

  for (const [size, width] of [
    ['wide', DESKTOP],
    ['phone', PHONE],
  ] as const)
    it(`tries a Disqus export, then imports it, reading the outcome on screen at ${width} px`, async () => {
      const page = await open(admin, '#/imports', width);
      const form = page.getByRole('form', { name: 'Upload an export' });

      // Nothing chosen: said next to the fields, nothing sent.
      await form.getByRole('button', { name: 'Upload and try' }).click();
      const file = form.getByLabel('Export file');
      await pw(file).toHaveAttribute('aria-invalid', 'true');
      expect(await description(file)).toBe('Export file must be chosen');
      expect(await description(form.getByRole('combobox', { name: 'Format' }))).toBe('Format must be chosen');
      await fits(page);
      await h.screenshot(page, `import-form-${size}`, true);

      await file.setInputFiles(fixture('disqus.xml'));
      // The format is told by the file's name; the admin sees it chosen.
      await pw(form.getByRole('combobox', { name: 'Format' })).toHaveValue('disqus');
      await form.getByRole('button', { name: 'Upload and try' }).click();
      const status = page.getByRole('region', { name: /disqus\.xml/ }).getByRole('status');
      // The first width imports the file; the second finds its comments already there.
      const fresh = size === 'wide';
      await pw(status, { timeout: 20_000 }).toHaveText(
        fresh
          ? /^Tried: nothing was changed\. Imported for real, it would give 8 comments, 2 new articles/
          : /^Tried: nothing was changed\. Imported for real, it would give 0 comments, .* 8 already imported/,
      );
      await fits(page);
      await h.screenshot(page, `import-tried-${size}`, true);

      await page.getByRole('link', { name: 'Start another import' }).click();
      await form.getByLabel('Export file').setInputFiles(fixture('disqus.xml'));
      await form.getByRole('combobox', { name: 'Format' }).selectOption('disqus');
      await form.getByRole('checkbox', { name: /^Try it first/ }).uncheck();
      await form.getByRole('button', { name: 'Upload and import' }).click();
      const done = fresh
        ? /^Imported: 8 comments, 2 new articles and 0 existing ones, .* 0 already imported, 3 left out\.$/
        : /^Imported: 0 comments, 0 new articles and 2 existing ones, .* 8 already imported, 3 left out\.$/;
      await pw(status, { timeout: 20_000 }).toHaveText(done);
      const region = page.getByRole('region', { name: /disqus\.xml/ });
      await pw(region.getByRole('term').filter({ hasText: 'Comments read' })).toHaveCount(1);
      const jobId = new URL(page.url()).hash.replace('#/imports/', '');
      const job = expectStatus(
        await h.t.http().get(`/api/admin/imports/${jobId}`).set('Authorization', `Bearer ${admin}`),
        200,
      );
      expect(job).toMatchObject({ status: 'succeeded', dryRun: false, fileName: 'disqus.xml' });
      await fits(page);
      await h.screenshot(page, `import-done-${size}`, true);
    });

  it('shows how much of a large file has gone, and stops the upload when asked', async () => {
    const page = await open(admin, '#/imports', DESKTOP);
    // A slow line, so that the upload lasts long enough to be seen going.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    const form = page.getByRole('form', { name: 'Upload an export' });
    const padded = readFileSync(fixture('disqus.xml'), 'utf8').replace(
      '<category',
      `<!-- ${'padding '.repeat((4 * 1024 * 1024) / 8)} --><category`,
    );
    await form.getByLabel('Export file').setInputFiles({
      name: 'disqus-large.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(padded),
    });
    await form.getByRole('combobox', { name: 'Format' }).selectOption('disqus');
    await form.getByRole('button', { name: 'Upload and try' }).click();
    const bar = form.getByRole('progressbar', { name: 'Uploading disqus-large.xml' });
    await pw(bar).toBeVisible();
    // (A busy machine may take a while to start sending: the bar is there, the first percent follows.)
    await pw(form.getByRole('status'), { timeout: 20_000 }).toHaveText(
      /^[1-9]\d? % sent \([\d.,]+ (KB|MB) of 4([.,]\d)? MB\)$/,
    );
    await h.screenshot(page, 'import-uploading-wide', true);
    await form.getByRole('button', { name: 'Stop the upload' }).click();
    await pw(form.getByRole('alert')).toHaveText('Not started: The upload was stopped');
    await pw(form.getByRole('button', { name: 'Upload and try' })).toBeVisible();
  }, 90_000);

  it('says why an import failed, with the line of the file', async () => {
    const page = await open(admin, '#/imports', PHONE);
    const form = page.getByRole('form', { name: 'Upload an export' });
    await form.getByLabel('Export file').setInputFiles(fixture('disqus-malformed.xml'));
    await form.getByRole('combobox', { name: 'Format' }).selectOption('disqus');
    await form.getByRole('button', { name: 'Upload and try' }).click();
    const status = page.getByRole('region', { name: /disqus-malformed\.xml/ }).getByRole('status');
    await pw(status, { timeout: 20_000 }).toHaveText(/^The import failed: .*line \d+/);
    await fits(page);
    await h.screenshot(page, 'import-failed-phone', true);
  });
});
