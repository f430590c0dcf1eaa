// npm run bench:embed [-- --comments N --runs N --thread N]
//
// The embed's targets, measured in Debian's Chromium against the production build on
// a seeded database (bench/seed.mjs: 1,000,000 comments by default):
//   1. size: embed.js with its styles, gzipped and brotli (budget 25,000 bytes gzipped);
//   2. first draw: from the script's start (performance mark "comment-desk:start", set as
//      embed.js is evaluated) to the first 20 comments of the hottest thread drawn
//      ("comment-desk:drawn"), each run in a fresh browser context (empty HTTP cache);
//   3. memory: a thread of --thread (5,000) top-level comments paged through with "Show more",
//      the JS heap (after a forced GC) and the DOM node count sampled as the pages add up; then
//      the list is reset (sort changed) and the heap must come back down: nothing but what is
//      shown is kept.
// Prints a table; writes bench/results/embed-latest.json.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { fmtInt, freePort, quantile, recordVerdicts, ROOT, startService, table } from './lib/common.mjs';
import { startSeededDatabase } from './seed.mjs';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(`Usage: npm run bench:embed [-- --comments N --runs N --thread N]`);
  process.exit(0);
}
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const COMMENTS = arg('comments', 1_000_000);
const RUNS = arg('runs', 15);
const THREAD = arg('thread', 5_000);
const BUDGET = 25_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const children = [];
let seeded;

const ms = (n) => `${n.toFixed(0)} ms`;

async function main() {
  const log = (line) => console.log(line);
  const results = { startedAt: new Date().toISOString(), options: { COMMENTS, RUNS, THREAD } };

  // 1. Size
  const code = readFileSync(join(ROOT, 'dist/embed/embed.js'));
  results.size = {
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code).length,
    budgetGzip: BUDGET,
  };
  log(
    `embed.js: ${fmtInt(results.size.raw)} bytes, ${fmtInt(results.size.gzip)} gzipped, ${fmtInt(results.size.brotli)} brotli (budget ${fmtInt(BUDGET)} gzipped)`,
  );

  // 2. PostgreSQL, seeded, and the service
  seeded = await startSeededDatabase({ name: 'bench_embed', comments: COMMENTS, log });
  const dbUrl = seeded.url;

  const [apiPort, hostPort] = [await freePort(), await freePort()];
  const api = `http://127.0.0.1:${apiPort}`;
  const hostOrigin = `http://localhost:${hostPort}`;
  const secret = randomBytes(32).toString('base64url');
  children.push(await startService(apiPort, { DATABASE_URL: dbUrl, JWT_SECRET: secret, CORS_ORIGINS: hostOrigin }));

  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const hottest = (
    await db.query(
      `SELECT id, url, count_visible FROM articles WHERE closed_at IS NULL ORDER BY count_visible DESC LIMIT 1`,
    )
  ).rows[0];

  // The thread to page through: THREAD top-level comments, inserted directly.
  const mod = jwt.sign({ sub: 'bench-desk', role: 'moderator', name: 'Bench desk' }, secret, { expiresIn: '1h' });
  const longUrl = `https://news.example/bench/long-${randomUUID()}`;
  const created = await fetch(`${api}/api/articles`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${mod}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: longUrl, title: 'A long thread' }),
  }).then((r) => r.json());
  const author = (await db.query('SELECT id FROM users LIMIT 1')).rows[0].id;
  await db.query(
    `INSERT INTO comments (id, article_id, author_id, body, status, created_at)
     SELECT gen_random_uuid(), $1, $2, 'Comment ' || g || ': ' || repeat('words in a comment ', 6), 'published',
            now() - make_interval(secs => g)
     FROM generate_series(1, $3) g`,
    [created.id, author, THREAD],
  );
  await db.query(
    'UPDATE articles SET count_visible = $2, count_published = $2, thread_version = thread_version + 1 WHERE id = $1',
    [created.id, THREAD],
  );

  // 3. The publisher's page, on another origin
  const host = createServer((req, res) => {
    const q = new URL(req.url, hostOrigin).searchParams;
    const found = q.get('id') ? `article-id="${q.get('id')}"` : `article-url="${q.get('url')}"`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title>
<script src="${api}/embed.js" defer></script></head><body><main><h1>An article</h1>
<comment-desk-thread ${found}></comment-desk-thread></main></body></html>`);
  });
  await new Promise((r) => host.listen(hostPort, '127.0.0.1', r));
  const browser = await chromium.launch({
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
  try {
    // First draw, cold each time (a fresh context: empty HTTP cache), finding the thread by its
    // URL (two requests in a row) and by its id (two at once), alternating.
    const variants = {
      url: `url=${encodeURIComponent(hottest.url)}`,
      id: `id=${hottest.id}`,
    };
    const runs = { url: [], id: [] };
    for (let i = 0; i < RUNS + 1; i++) {
      for (const [name, query] of Object.entries(variants)) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${hostOrigin}/?${query}`);
        await page.waitForFunction(() => performance.getEntriesByName('comment-desk:drawn').length > 0, null, {
          timeout: 30_000,
        });
        const timing = await page.evaluate(() => {
          const start = performance.getEntriesByName('comment-desk:start')[0].startTime;
          const drawn = performance.getEntriesByName('comment-desk:drawn')[0].startTime;
          const shown = document.querySelector('comment-desk-thread').shadowRoot.querySelectorAll('ol > li').length;
          const page = performance
            .getEntriesByType('resource')
            .find((e) => new URL(e.name).pathname.endsWith('/comments'));
          return { start, drawn, shown, afterPage: page ? drawn - page.responseEnd : NaN };
        });
        if (timing.shown < 20) throw new Error(`only ${timing.shown} comments drawn`);
        // the first round warms the service's caches and PostgreSQL's buffers; it is not counted
        if (i > 0) runs[name].push(timing);
        await context.close();
      }
    }
    const stats = (xs) => {
      const draws = xs.map((x) => x.drawn - x.start);
      return {
        p50: quantile(draws, 0.5),
        p95: quantile(draws, 0.95),
        max: Math.max(...draws),
        fromNavigationP50: quantile(
          xs.map((x) => x.drawn),
          0.5,
        ),
        drawingP50: quantile(
          xs.map((x) => x.afterPage),
          0.5,
        ),
      };
    };
    results.firstDraw = {
      thread: hottest.url,
      visible: hottest.count_visible,
      runs: RUNS,
      ...stats(runs.url),
      byId: stats(runs.id),
      target: 300,
    };

    // Memory while paging through THREAD comments
    if (THREAD > 0) await measureMemory();
  } finally {
    await browser.close();
    host.close();
    await db.end();
  }

  async function measureMemory() {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const sample = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const { nodes } = await cdp.send('Memory.getDOMCounters');
      const shown = await page.evaluate(
        () => document.querySelector('comment-desk-thread').shadowRoot.querySelectorAll('ol > li').length,
      );
      return { shown, heapKb: Math.round(usedSize / 1024), nodes };
    };
    await page.goto(`${hostOrigin}/?url=${encodeURIComponent(longUrl)}`);
    await page.waitForFunction(() => performance.getEntriesByName('comment-desk:drawn').length > 0);
    const shownNow = () =>
      page.evaluate(() => document.querySelector('comment-desk-thread').shadowRoot.querySelectorAll('ol > li').length);
    const more = page.locator('comment-desk-thread').getByRole('button', { name: 'Show more comments' });
    const sort = page.locator('comment-desk-thread').getByRole('combobox', { name: 'Sort comments' });
    const pages = Math.ceil(THREAD / 20) - 1;
    /** Pages through the whole thread, sampling ten times; then resets the list by changing the sort. */
    const cycle = async (samples, sortAfter) => {
      samples.push(await sample());
      for (let i = 1; i <= pages; i++) {
        await more.click();
        await page.waitForFunction(
          (n) => document.querySelector('comment-desk-thread').shadowRoot.querySelectorAll('ol > li').length >= n,
          Math.min(THREAD, (i + 1) * 20),
        );
        if (i % Math.ceil(pages / 10) === 0 || i === pages) samples.push(await sample());
      }
      await sort.selectOption(sortAfter);
      await page.waitForFunction(
        () => document.querySelector('comment-desk-thread').shadowRoot.querySelectorAll('ol > li').length === 20,
      );
      return sample();
    };
    const samples = [];
    const firstReset = await cycle(samples, 'oldest');
    const secondSamples = [];
    const secondReset = await cycle(secondSamples, 'newest');
    if ((await shownNow()) !== 20) throw new Error('the list was not reset');
    // Growth per shown comment, past the first pages (which also hold compiled code and caches).
    const [a, b] = [secondSamples[1], secondSamples[secondSamples.length - 1]];
    results.memory = {
      samples,
      secondSamples,
      firstReset,
      secondReset,
      heapBytesPerShownComment: Math.round(((b.heapKb - a.heapKb) * 1024) / (b.shown - a.shown)),
      nodesPerShownComment: +((b.nodes - a.nodes) / (b.shown - a.shown)).toFixed(1),
      peakKb: Math.max(...samples.map((x) => x.heapKb), ...secondSamples.map((x) => x.heapKb)),
    };
    await context.close();
  }

  log('');
  log('First 20 comments drawn, from the script start (hottest thread, fresh context each run):');
  const f = results.firstDraw;
  const row = (how, x) => [
    how,
    `${fmtInt(f.visible)} visible`,
    RUNS,
    ms(x.p50),
    ms(x.p95),
    ms(x.max),
    ms(x.fromNavigationP50),
    ms(x.drawingP50),
    '300 ms',
  ];
  log(
    table(
      ['found by', 'thread', 'runs', 'p50', 'p95', 'max', 'p50 from navigation', 'drawing p50', 'target'],
      [row('article-url', f), row('article-id', f.byId)],
    ),
  );
  if (results.memory) {
    log('');
    log(`Paging through ${fmtInt(THREAD)} comments (heap after a forced GC):`);
    log(
      table(
        ['shown', 'JS heap', 'DOM nodes', 'second time: JS heap', 'DOM nodes'],
        results.memory.samples.map((s, i) => {
          const again = results.memory.secondSamples[i] ?? {};
          return [
            fmtInt(s.shown),
            `${fmtInt(s.heapKb)} kB`,
            fmtInt(s.nodes),
            `${fmtInt(again.heapKb)} kB`,
            fmtInt(again.nodes),
          ];
        }),
      ),
    );
    const m = results.memory;
    log(
      `per shown comment: ${fmtInt(m.heapBytesPerShownComment)} bytes of heap, ${m.nodesPerShownComment} DOM nodes; peak ${fmtInt(m.peakKb)} kB. ` +
        `Reset to 20 after paging through: ${fmtInt(m.firstReset.heapKb)} kB and ${fmtInt(m.firstReset.nodes)} nodes; ` +
        `after a second time through: ${fmtInt(m.secondReset.heapKb)} kB and ${fmtInt(m.secondReset.nodes)} nodes`,
    );
  }
  const verdicts = [
    ['size', results.size.gzip <= BUDGET],
    ['first draw p50 within 300 ms (by article-url)', results.firstDraw.p50 <= 300],
    ['first draw p50 within 300 ms (by article-id)', results.firstDraw.byId.p50 <= 300],
  ];
  if (results.memory) {
    // Paging through again from a warm start: resetting the list must give back (nearly) all
    // that paging took; what stays is V8's code and caches, not comments.
    const m = results.memory;
    const grown = m.secondSamples[m.secondSamples.length - 1].heapKb - m.secondSamples[0].heapKb;
    m.givenBack = (m.secondSamples[m.secondSamples.length - 1].heapKb - m.secondReset.heapKb) / grown;
    verdicts.push([
      `memory follows what is shown: the reset gives back ${(m.givenBack * 100).toFixed(0)}% of what paging took (at least 90%), DOM back to ${fmtInt(m.secondReset.nodes)} nodes`,
      m.givenBack >= 0.9 && m.secondReset.nodes <= m.firstReset.nodes,
    ]);
  }
  recordVerdicts('embed', results, verdicts, log);
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
