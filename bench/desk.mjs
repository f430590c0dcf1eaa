// npm run bench:desk [-- --comments N --runs N --decisions N --searches N] [-- --database URL]
//
// The console's targets, against the production build on a seeded database
// (bench/seed.mjs: 1,000,000 comments by default), in Debian's Chromium:
//   1. size: the console's JavaScript and CSS, gzipped (budget 150,000 bytes);
//   2. first draw: from navigating to /desk/ to the pending queue's first 50 cards on screen
//      (performance mark "comment-desk:queue-drawn"), each run in a fresh browser context;
//   3. a keyboard decision: from the key press `f` to the next card having the focus, measured
//      in the page (keydown's timeStamp to the focusin of the next card);
//   4. search: GET /api/moderation/comments?q=<one word> over all the comments, words from the
//      seed's vocabulary (common and rare), timed from this process.
// --database URL uses a database seeded before (by bench/seed.mjs) instead of seeding one; the
// runs approve pending comments in it. Prints a table; writes bench/results/desk-latest.json.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { fmtInt, fmtMs, freePort, quantile, recordVerdicts, ROOT, startService, table } from './lib/common.mjs';
import { startSeededDatabase } from './seed.mjs';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(`Usage: npm run bench:desk [-- --comments N --runs N --decisions N --searches N] [-- --database URL]`);
  process.exit(0);
}
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const COMMENTS = arg('comments', 1_000_000);
const RUNS = arg('runs', 10);
const DECISIONS = arg('decisions', 40);
const SEARCHES = arg('searches', 20);
const DATABASE = args.includes('--database') ? args[args.indexOf('--database') + 1] : undefined;
const BUDGET = 150_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** One-word queries: words of the seed's sentences (common), and words that few comments hold. */
const WORDS = ['minister', 'council', 'budget', 'refund', 'pension', 'flooding', 'zebra', 'inflation'];

const children = [];
let seeded;

async function main() {
  const log = (line) => console.log(line);
  const results = { startedAt: new Date().toISOString(), options: { COMMENTS, RUNS, DECISIONS, SEARCHES } };

  // 1. Size
  const assets = join(ROOT, 'dist/desk/assets');
  const files = readdirSync(assets).filter((n) => /\.(js|css)$/.test(n));
  const gzip = files.reduce((sum, n) => sum + gzipSync(readFileSync(join(assets, n)), { level: 9 }).length, 0);
  results.size = { files, gzip, budget: BUDGET };
  log(`console: ${files.length} files, ${fmtInt(gzip)} bytes gzipped (budget ${fmtInt(BUDGET)})`);

  // 2. PostgreSQL, seeded, and the service as start:prod runs it
  if (!DATABASE) seeded = await startSeededDatabase({ name: 'bench_desk', comments: COMMENTS, log });
  const dbUrl = DATABASE ?? seeded.url;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const secret = randomBytes(32).toString('base64url');
  children.push(await startService(port, { DATABASE_URL: dbUrl, JWT_SECRET: secret }));
  const mod = jwt.sign({ sub: 'bench-desk', role: 'moderator', name: 'Bench Desk' }, secret, { expiresIn: '2h' });
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const { rows: counts } = await db.query(
    `SELECT count(*) AS comments, count(*) FILTER (WHERE status = 'pending') AS pending FROM comments`,
  );
  results.comments = Number(counts[0].comments);
  results.pending = Number(counts[0].pending);
  await db.end();

  // 4. Search (first, on the API alone: the browser's runs below change the pending queue)
  results.search = [];
  for (const word of WORDS) {
    const times = [];
    let found = 0;
    for (let i = 0; i < SEARCHES + 2; i++) {
      const started = performance.now();
      const res = await fetch(`${origin}/api/moderation/comments?q=${word}&limit=25`, {
        headers: { Authorization: `Bearer ${mod}` },
      });
      const body = await res.json();
      if (!res.ok) throw new Error(`search ${word}: ${res.status} ${JSON.stringify(body)}`);
      if (i >= 2) times.push(performance.now() - started); // two warm-up rounds
      found = body.items.length;
    }
    results.search.push({ word, found, times, p50: quantile(times, 0.5), p95: quantile(times, 0.95) });
  }

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    // 2. First draw of the pending queue, cold each time (fresh context: empty HTTP cache)
    const draws = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${origin}/desk/#token=${mod}`);
      await page.waitForFunction(() => performance.getEntriesByName('comment-desk:queue-drawn').length > 0, null, {
        timeout: 30_000,
      });
      const { drawn, cards } = await page.evaluate(() => ({
        drawn: performance.getEntriesByName('comment-desk:queue-drawn')[0].startTime,
        cards: document.querySelectorAll('article.card').length,
      }));
      if (cards < 50) throw new Error(`only ${cards} cards drawn`);
      if (i > 0) draws.push(drawn); // the first run warms the service and PostgreSQL
      await context.close();
    }
    results.firstDraw = { runs: RUNS, p50: quantile(draws, 0.5), p95: quantile(draws, 0.95), max: Math.max(...draws) };

    // 3. Keyboard decisions, one after another, as a moderator works the queue
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${origin}/desk/#token=${mod}`);
    await page.waitForFunction(() => document.querySelectorAll('article.card').length >= 50);
    await page.evaluate(() => {
      const w = window;
      w.__pressed = 0;
      w.__latencies = [];
      document.addEventListener('keydown', (e) => e.key === 'f' && (w.__pressed = e.timeStamp), true);
      document.addEventListener('focusin', (e) => {
        if (w.__pressed && e.target instanceof HTMLElement && e.target.matches('article.card')) {
          w.__latencies.push(performance.now() - w.__pressed);
          w.__pressed = 0;
        }
      });
    });
    await page.keyboard.press('j');
    for (let i = 0; i < DECISIONS; i++) {
      await page.keyboard.press('f');
      await page.waitForFunction((n) => window.__latencies.length >= n, i + 1);
    }
    const latencies = await page.evaluate(() => window.__latencies);
    results.decision = { count: latencies.length, p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95) };
    await context.close();
  } finally {
    await browser.close();
  }

  log('');
  log(
    `Pending queue (${fmtInt(results.pending)} pending of ${fmtInt(results.comments)}), 50 cards drawn from navigation:`,
  );
  const f = results.firstDraw;
  log(
    table(
      ['runs', 'p50', 'p95', 'max', 'target'],
      [[f.runs, `${fmtMs(f.p50)} ms`, `${fmtMs(f.p95)} ms`, `${fmtMs(f.max)} ms`, '1,000 ms']],
    ),
  );
  log('');
  const d = results.decision;
  log(
    `Keyboard decision (f) to the next card focused, ${d.count} in a row: p50 ${fmtMs(d.p50)} ms, p95 ${fmtMs(d.p95)} ms (target p95 100 ms)`,
  );
  log('');
  log(`Search over ${fmtInt(results.comments)} comments, one word, ${SEARCHES} runs each:`);
  log(
    table(
      ['word', 'found (page of 25)', 'p50', 'p95'],
      results.search.map((s) => [s.word, s.found, `${fmtMs(s.p50)} ms`, `${fmtMs(s.p95)} ms`]),
    ),
  );
  const searchP50 = quantile(
    results.search.flatMap((x) => x.times),
    0.5,
  );
  const worst = Math.max(...results.search.map((x) => x.p50));
  const verdicts = [
    [`size ${fmtInt(gzip)} bytes gzipped, within 150,000`, gzip <= BUDGET],
    [`50 cards drawn: p50 ${fmtMs(f.p50)} ms, within 1 s`, f.p50 <= 1000],
    [`keyboard decision to next card: p95 ${fmtMs(d.p95)} ms, under 100 ms`, d.p95 < 100],
    [
      `one-word search: p50 ${fmtMs(searchP50)} ms over every word (the slowest word's p50: ${fmtMs(worst)} ms), under 50 ms`,
      searchP50 < 50,
    ],
  ];
  recordVerdicts('desk', results, verdicts, log);
}

async function cleanup() {
  for (const child of children) child.kill('SIGTERM');
  await seeded?.stop();
}

main()
  .then(cleanup)
  .catch(async (error) => {
    console.error(error);
    await cleanup();
    process.exit(1);
  });
