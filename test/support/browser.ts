/// <reference lib="dom" />
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { signToken } from './test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(__dirname, '..', 'screenshots');

/** Debian's Chromium, headless; Playwright's own browser downloads are not used. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage, timeout: 15_000 });
}

export interface ThreadOptions {
  /** 'provider': the embed signs readers in with its site's OpenID provider itself; 'email': by an emailed link. */
  signIn?: 'provider' | 'email';
  articleUrl?: string;
  articleId?: string;
  title?: string;
  /** Who the publisher's login signs in when the thread asks for it. */
  user?: string;
  userName?: string;
  lang?: string;
  dir?: 'rtl' | 'ltr';
  sort?: string;
  pollSeconds?: number;
  theme?: 'light' | 'dark';
  /** Signs this user in with a token set before embed.js runs. */
  earlyUser?: string;
  /** The thread's site="KEY": its calls name that site, whose login the publisher's login signs tokens with. */
  site?: string;
  /** The site whose secret the publisher's login signs with, when not the thread's own (a page mixed up). */
  loginSite?: string;
}

/**
 * A publisher's site on an origin of its own (localhost, while the API is on 127.0.0.1), with a
 * strict Content Security Policy: scripts from itself and the API only, no inline script or style,
 * connections to the API only. Its login hands the thread a token signed with the test secret.
 */
export class HostSite {
  private server!: Server;
  origin = '';
  /** The HS256 secrets of the sites other than the first, by key: the login signs their readers' tokens with them. */
  readonly siteSecrets = new Map<string, string>();

  constructor(private readonly api: () => string) {}

  /** A reader's token from the login of the site `site` (the first site's, the test secret, if none or 'default'). */
  private signIn(sub: string, name: string, site: string | null): string {
    if (!site || site === 'default') return signToken(sub, 'commenter', { name });
    const secret = this.siteSecrets.get(site);
    if (!secret) throw new Error(`The host page knows no secret of the site ${site}`);
    return jwt.sign({ sub, role: 'commenter', name }, secret, { algorithm: 'HS256', expiresIn: '1h' });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/host.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        return res.end(HOST_SCRIPT);
      }
      if (url.pathname === '/early.js') {
        // Sets the token before embed.js has defined the element (a deferred script before it).
        const token = this.signIn(
          url.searchParams.get('user') ?? 'reader',
          url.searchParams.get('name') ?? 'Early Reader',
          url.searchParams.get('site'),
        );
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        return res.end(`document.querySelector('comment-desk-thread').token = ${JSON.stringify(token)};`);
      }
      if (url.pathname === '/login') {
        const sub = url.searchParams.get('user') ?? 'reader';
        const name = url.searchParams.get('name') ?? `${sub} name`;
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return res.end(this.signIn(sub, name, url.searchParams.get('site')));
      }
      if (url.pathname === '/article') {
        const q = url.searchParams;
        const attr = (name: string, value: string | null) => (value ? ` ${name}="${escapeAttr(value)}"` : '');
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': [
            "default-src 'none'",
            `script-src 'self' ${this.api()}`,
            `connect-src 'self' ${this.api()}`,
            "style-src 'self'",
            "base-uri 'none'",
          ].join('; '),
        });
        return res.end(`<!doctype html>
<html lang="${escapeAttr(q.get('lang') ?? 'en')}"${attr('dir', q.get('dir'))}>
<head><meta charset="utf-8"><title>A news page</title>
<script src="/host.js"></script>
${q.get('early') ? `<script src="/early.js?user=${encodeURIComponent(q.get('early')!)}${q.get('login-site') ? `&amp;site=${encodeURIComponent(q.get('login-site')!)}` : ''}" defer></script>` : ''}
<script src="${this.api()}/embed.js" defer></script>
</head>
<body>
<main>
<h1>A news page</h1>
<p>The article's text, then the comments.</p>
<comment-desk-thread${attr('site', q.get('site'))}${attr('sign-in', q.get('sign-in'))}${attr('data-login-site', q.get('login-site'))}${attr('article-url', q.get('url'))}${attr('article-id', q.get('id'))}${attr('article-title', q.get('title'))}${attr('sort', q.get('sort'))}${attr('poll-seconds', q.get('poll'))}${attr('theme', q.get('theme'))}${attr('data-user', q.get('user'))}${attr('data-name', q.get('name'))}></comment-desk-thread>
</main>
</body>
</html>`);
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.origin = `http://localhost:${(this.server.address() as AddressInfo).port}`;
  }

  page(options: ThreadOptions): string {
    const q = new URLSearchParams();
    if (options.articleUrl) q.set('url', options.articleUrl);
    if (options.articleId) q.set('id', options.articleId);
    if (options.title) q.set('title', options.title);
    if (options.user) q.set('user', options.user);
    if (options.userName) q.set('name', options.userName);
    if (options.lang) q.set('lang', options.lang);
    if (options.dir) q.set('dir', options.dir);
    if (options.sort) q.set('sort', options.sort);
    if (options.pollSeconds) q.set('poll', String(options.pollSeconds));
    if (options.earlyUser) q.set('early', options.earlyUser);
    if (options.theme) q.set('theme', options.theme);
    if (options.site) q.set('site', options.site);
    if (options.signIn) q.set('sign-in', options.signIn);
    if (options.loginSite ?? options.site) q.set('login-site', (options.loginSite ?? options.site)!);
    return `${this.origin}/article?${q}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const HOST_SCRIPT = `
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
document.addEventListener('comment-desk-login', function (event) {
  var thread = event.target;
  var q = '?user=' + encodeURIComponent(thread.dataset.user || 'reader') + '&name=' + encodeURIComponent(thread.dataset.name || 'Ada Reader') + (thread.dataset.loginSite ? '&site=' + encodeURIComponent(thread.dataset.loginSite) : '');
  fetch('/login' + q).then(function (r) { return r.text(); }).then(function (token) { thread.token = token; });
});
`;

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; failureSummary?: string }[];
}

/** axe-core's WCAG 2.x A and AA rules (2.2 included) and its best practices, run in the page. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** What has the keyboard focus, looking inside shadow roots: its role-ish tag and its text or label. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return '';
    const label =
      el.getAttribute('aria-label') ||
      (el as HTMLInputElement).labels?.[0]?.textContent ||
      (el.tagName === 'ARTICLE' ? el.textContent : '') ||
      el.textContent ||
      '';
    return `${el.tagName.toLowerCase()}: ${label.trim().replace(/\s+/g, ' ')}`;
  });
}

// ---- waiting for states ------------------------------------------------------------------------

const DEFAULT_WAIT_MS = 5000;

/** Polls `check` until it passes or the deadline passes; then fails with what it last saw. */
export async function waitUntil<T>(
  check: () => Promise<{ ok: boolean; got: T }>,
  what: string,
  timeout = DEFAULT_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let last: { ok: boolean; got: T } | undefined;
  for (;;) {
    try {
      last = await check();
    } catch (error) {
      last = { ok: false, got: (error as Error).message as T };
    }
    if (last.ok) return;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last.got)} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const matches = (got: string, want: string | RegExp) => (typeof want === 'string' ? got === want : want.test(got));

/** Assertions that wait for the page to reach a state (as Playwright Test's `expect` does). */
export function pw(locator: Locator, { timeout = DEFAULT_WAIT_MS }: { timeout?: number } = {}) {
  const until = <T>(what: string, check: () => Promise<{ ok: boolean; got: T }>, ms = timeout) =>
    waitUntil(check, `${locator} ${what}`, ms);
  return {
    toBeVisible: (o: { timeout?: number } = {}) =>
      until('to be visible', async () => ({ ok: await locator.first().isVisible(), got: 'not visible' }), o.timeout),
    toBeHidden: () =>
      until('to be hidden', async () => {
        const count = await locator.count();
        return { ok: count === 0 || !(await locator.first().isVisible()), got: 'visible' };
      }),
    toHaveCount: (n: number) =>
      until(`to have count ${n}`, async () => {
        const got = await locator.count();
        return { ok: got === n, got };
      }),
    toBeFocused: () =>
      until('to be focused', async () => ({
        ok: await locator.first().evaluate((el) => {
          let active: Element | null = document.activeElement;
          while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
          return active === el;
        }),
        got: 'not focused',
      })),
    toHaveValue: (value: string) =>
      until(`to have value ${JSON.stringify(value)}`, async () => {
        const got = await locator.first().inputValue();
        return { ok: got === value, got };
      }),
    toHaveText: (text: string | RegExp) =>
      until(`to have text ${text}`, async () => {
        const got = squash(await locator.first().textContent());
        return { ok: matches(got, text), got };
      }),
    toContainText: (text: string) =>
      until(`to contain ${text}`, async () => {
        const got = squash(await locator.first().textContent());
        return { ok: got.includes(text), got };
      }),
    toHaveAttribute: (name: string, value: string) =>
      until(`to have ${name}=${value}`, async () => {
        const got = await locator.first().getAttribute(name);
        return { ok: got === value, got };
      }),
  };
}

/** Polls a value until it satisfies a matcher, with a deadline. */
pw.poll = <T>(read: () => Promise<T> | T, { timeout = DEFAULT_WAIT_MS }: { timeout?: number } = {}) => {
  const until = (what: string, ok: (v: T) => boolean) =>
    waitUntil(
      async () => {
        const got = await read();
        return { ok: ok(got), got };
      },
      what,
      timeout,
    );
  return {
    toBe: (want: T) => until(`to be ${JSON.stringify(want)}`, (v) => v === want),
    toBeGreaterThan: (n: number) => until(`to be > ${n}`, (v) => (v as unknown as number) > n),
  };
};
