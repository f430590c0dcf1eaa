/// <reference lib="dom" />
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Api } from './comments-helpers';
import { axeViolations, launchChromium, screenshot } from './browser';
import { createTestApp, TestApp } from './test-app';

/** The widths the console is tried at: a desktop's, and a phone's. */
export const DESKTOP = 1280;
export const PHONE = 390;

/**
 * The moderators' console in Debian's Chromium against the whole service and its PostgreSQL: one
 * app and browser per test file, one browser context per moderator, so two moderators can work at once.
 */
export class DeskHarness {
  t!: TestApp;
  api!: Api;
  origin = '';
  browser!: Browser;
  private readonly contexts: BrowserContext[] = [];
  /** Uncaught errors in any page, and anything a page's CSP refused: both fail the test. */
  readonly pageErrors: string[] = [];

  async start(env: Record<string, string> = {}): Promise<void> {
    this.t = await createTestApp(env);
    await this.t.app.listen(0, '127.0.0.1');
    this.origin = `http://127.0.0.1:${(this.t.app.getHttpServer().address() as AddressInfo).port}`;
    this.api = new Api(this.t);
    this.browser = await launchChromium();
  }

  /** Drives the console of an app and a browser that the test made itself (it stops them too). */
  attach(t: TestApp, browser: Browser): void {
    this.t = t;
    this.origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    this.api = new Api(t);
    this.browser = browser;
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.t?.close();
  }

  /** A browser context of its own, with the desk opened for `token` (through the URL fragment, as the login hands it over). */
  async open(token: string | null, path = '#/queue/pending', width: number = DESKTOP): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(5000);
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text()))
        this.pageErrors.push(message.text());
    });
    const fragment = token ? `#token=${token}` : '';
    // (The top page's only: a sandboxed frame, such as a kept email's, may not touch storage.)
    if (token)
      await page.addInitScript(
        (place) => window === window.top && sessionStorage.setItem('comment-desk.place', place),
        path,
      );
    await page.goto(`${this.origin}/desk/${fragment || path}`);
    return page;
  }

  /** Closes this test's contexts; throws if a page had an uncaught error. */
  async closeContexts(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((c) => c.close()));
    const errors = this.pageErrors.splice(0);
    if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`);
  }

  /** axe-core's WCAG A/AA rules and best practices: the serious and critical violations. */
  async seriousViolations(page: Page): Promise<string[]> {
    return (await axeViolations(page))
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`);
  }

  screenshot(page: Page, name: string, fullPage = false): Promise<void> {
    return screenshot(page, `desk-${name}`, fullPage);
  }

  /** How far the page reaches past the screen's right edge (0: no sideways scrolling), with what sticks out. */
  overflow(page: Page): Promise<{ by: number; widest: string[] }> {
    return page.evaluate(() => ({
      by: document.documentElement.scrollWidth - innerWidth,
      widest: Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
    }));
  }
}
