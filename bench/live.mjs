// npm run bench -- --live [--readers N] [--articles N] [--workers N] [--rate N] [--seconds S]
// npm run bench -- --live --burst [N] | --reconnect-storm [N]   (bench/live-crowd.mjs: a crowd
//   arriving at once, and one instance of two drained; 19,000 and 9,000 readers by default)
//
// Runs the production build as `npm run start:prod` does (V8 heap capped at 160 MB), with the
// default stream cap, and holds event streams open from reader processes (bench/live-readers.mjs),
// connecting in waves, while a moderator posts `rate` comments a second to the followed articles.
// Prints connected/refused, delivery delay (from the post's answer to the comment's arrival at a
// reader: p50, p99, max), the service's RSS over time, and the thread page's latency
// measured meanwhile by autocannon. Scenarios: all readers on one article, then spread over
// `--articles` articles.
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { BENCH_DIR, freePort, requireDist, ROOT, sleep, table } from './lib/common.mjs';
import { burst, reconnectStorm } from './live-crowd.mjs';

const KNOWN = [
  'live',
  'readers',
  'only',
  'sample',
  'articles',
  'workers',
  'rate',
  'seconds',
  'connect-rate',
  'burst',
  'reconnect-storm',
];
const unknown = process.argv.slice(2).filter((a) => a.startsWith('--') && !KNOWN.includes(a.slice(2)));
if (unknown.length > 0) {
  // A mistyped option must not start twenty thousand readers with the defaults.
  console.log(
    `usage: npm run bench -- --live [${KNOWN.slice(1)
      .map((k) => `--${k} N`)
      .join('] [')}]`,
  );
  process.exit(unknown.includes('--help') ? 0 : 2);
}
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
/** A scenario flag with an optional count: `--burst` or `--burst 5000`; undefined when absent. */
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const n = Number(process.argv[i + 1]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const BURST = flag('burst', 19_000);
const STORM = flag('reconnect-storm', 9_000);
// This machine's processes may open 20,000 files at most (a hard limit that root cannot raise
// here): the service needs some for itself, so the default stays under it.
const READERS = arg('readers', 19_000);
const SPREAD = arg('articles', 500);
const WORKERS = arg('workers', 4);
const RATE = arg('rate', 20);
const SECONDS = arg('seconds', 20);
const CONNECT_PER_SECOND = arg('connect-rate', 2000);
/** One reader in SAMPLE measures delays; all of them read everything. */
const SAMPLE = arg('sample', 10);

const children = new Set();
/** CPU seconds (user and system) a process has used so far. */
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssMb = (pid) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pct = (hist, total, p) => {
  let seen = 0;
  for (let ms = 0; ms < hist.length; ms++) if ((seen += hist[ms]) >= total * p) return ms;
  return NaN;
};

async function scenario(label, { url, port, secret }, articleIds) {
  const service = spawn(process.execPath, ['--max-old-space-size=160', 'dist/src/main'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      JWT_SECRET: secret,
      PORT: String(port),
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.add(service);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('the service did not start');
    await sleep(100);
  }
  const metric = async (name) =>
    Number(new RegExp(`^${name} (\\S+)`, 'm').exec(await (await fetch(`${base}/api/metrics`)).text())?.[1]);
  const cap = await metric('comment_desk_live_max_connections');
  console.log(
    `\n## ${label}: ${READERS.toLocaleString('en-US')} readers on ${articleIds.length} article(s); the service's cap: ${cap.toLocaleString('en-US')}`,
  );

  const rss = [];
  const sampler = setInterval(() => rss.push({ t: Date.now(), mb: rssMb(service.pid) }), 500);
  const paths = articleIds.map((id) => `/api/articles/${id}/comments/stream`);
  const workers = Array.from({ length: WORKERS }, (_, w) => {
    const share = Math.floor(READERS / WORKERS) + (w < READERS % WORKERS ? 1 : 0);
    const child = fork(join(BENCH_DIR, 'live-readers.mjs'), [
      JSON.stringify({
        port,
        paths,
        count: share,
        perSecond: CONNECT_PER_SECOND / WORKERS,
        sourceBase: 10 + w * 2,
        sample: SAMPLE,
      }),
    ]);
    children.add(child);
    child.progress = { connected: 0, refused: 0, closed: 0 };
    child.on('message', (m) => m.progress && (child.progress = m.progress));
    return child;
  });
  const sum = (k) => workers.reduce((n, c) => n + c.progress[k], 0);
  const started = Date.now();
  while (
    sum('connected') + sum('refused') < READERS &&
    Date.now() - started < (READERS / CONNECT_PER_SECOND) * 1000 + 60_000
  )
    await sleep(500);
  const connectSeconds = (Date.now() - started) / 1000;
  console.log(
    `connected ${sum('connected').toLocaleString('en-US')}, refused ${sum('refused').toLocaleString('en-US')} in ${connectSeconds.toFixed(1)} s; RSS ${rssMb(service.pid).toFixed(0)} MB`,
  );
  const answers = {};
  const report = () =>
    Promise.all(
      workers.map(
        (c) =>
          new Promise((resolve) => {
            const on = (m) => m.histogram && (c.off('message', on), resolve(m));
            c.on('message', on);
            c.send({ report: true, answers });
          }),
      ),
    );
  await report(); // drop what arrived while connecting

  // The fan-out: a moderator posts RATE comments a second, round robin over the articles, while
  // autocannon reads a thread page (cached, as anonymous readers get it) from a second process.
  const mod = jwt.sign({ sub: 'bench-live-mod', name: 'Live desk', role: 'moderator' }, secret, { expiresIn: '1h' });
  let posted = 0;
  let postErrors = 0;
  const cpuBefore = cpuSeconds(service.pid);
  const fanOutStarted = Date.now();
  const poster = setInterval(() => {
    const id = articleIds[posted % articleIds.length];
    const k = ++posted;
    fetch(`${base}/api/articles/${id}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mod}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: `Live update ${k}: ${randomBytes(24).toString('hex')}` }),
    }).then(
      (r) => (r.ok ? (answers[k] = Date.now()) : postErrors++),
      () => postErrors++,
    );
  }, 1000 / RATE);
  const page = await autocannon({
    url: `${base}/api/articles/${articleIds[0]}/comments`,
    connections: 4,
    duration: SECONDS,
  });
  clearInterval(poster);
  const cpuShare = (cpuSeconds(service.pid) - cpuBefore) / ((Date.now() - fanOutStarted) / 1000);
  await sleep(2000); // the last events arrive
  const reports = await report();
  clearInterval(sampler);

  const hist = new Array(30_001).fill(0);
  let events = 0;
  for (const r of reports) {
    events += r.events;
    r.histogram.forEach((n, ms) => (hist[ms] += n));
  }
  const max = hist.findLastIndex((n) => n > 0);
  // Post k went to article k % articles: each measured reader of it should have it.
  const perPath = articleIds.map((_, a) => reports.reduce((n, r) => n + r.sampledPerPath[a], 0));
  let expected = 0;
  for (let k = 0; k < posted - postErrors; k++) expected += perPath[k % articleIds.length];
  const dropped = await metric('comment_desk_live_readers_dropped_slow_total');
  const peak = Math.max(...rss.map((r) => r.mb));
  console.log(
    table(
      [
        'posted',
        'measured deliveries',
        'expected',
        'delay p50',
        'p99',
        'max',
        'dropped slow',
        'page req/s',
        'page p50',
        'page p99',
        'peak RSS',
        'service CPU',
      ],
      [
        [
          posted - postErrors,
          events,
          Math.round(expected),
          `${pct(hist, events, 0.5)} ms`,
          `${pct(hist, events, 0.99)} ms`,
          `${max} ms`,
          dropped,
          Math.round(page.requests.average),
          `${page.latency.p50} ms`,
          `${page.latency.p99} ms`,
          `${peak.toFixed(0)} MB`,
          `${(cpuShare * 100).toFixed(0)}%`,
        ],
      ],
    ),
  );
  const every = Math.max(1, Math.floor(rss.length / 12));
  console.log(
    `RSS over time (s: MB): ${rss
      .filter((_, i) => i % every === 0)
      .map((r) => `${((r.t - rss[0].t) / 1000).toFixed(0)}: ${r.mb.toFixed(0)}`)
      .join(', ')}`,
  );
  for (const c of workers) c.send({ exit: true });
  service.kill('SIGTERM');
  await new Promise((r) => service.once('exit', r));
  console.log(`after SIGTERM: the service exited with ${service.exitCode}`);
  return {
    cpuShare,
    label,
    connected: sum('connected'),
    refused: sum('refused'),
    events,
    expected,
    p50: pct(hist, events, 0.5),
    p99: pct(hist, events, 0.99),
    max,
    peak,
    page: page.latency,
  };
}

async function main() {
  let url = process.env.DATABASE_URL;
  let stop = async () => undefined;
  if (!url) {
    const { startEmbeddedPostgres } = requireDist('src/database/embedded-postgres.js');
    const dir = mkdtempSync(join(os.tmpdir(), 'comment-desk-bench-live-'));
    chmodSync(dir, 0o755);
    const handle = await startEmbeddedPostgres(dir, { flags: ['-c', 'max_connections=100'] });
    url = handle.url;
    stop = async () => {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: url });
  admin.on('error', () => undefined);
  await admin.connect();
  const name = `bench_live_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const dbUrl = Object.assign(new URL(url), { pathname: `/${name}` }).toString();
  const ctx = { url: dbUrl, port: await freePort(), secret: randomBytes(32).toString('base64url') };
  try {
    // The service migrates the database when it first starts; the articles are made through it then.
    const results = [];
    const makeArticles = async (n) => {
      const db = new pg.Client({ connectionString: dbUrl });
      await db.connect();
      try {
        const { rows } = await db.query(
          `INSERT INTO articles (url, title, moderation_mode, disclaimer_text)
           SELECT 'https://news.example/live/' || n || '-' || $2, 'Live ' || n, 'post', 'The comments below have not been moderated.'
           FROM generate_series(1, $1) n RETURNING id`,
          [n, randomBytes(4).toString('hex')],
        );
        return rows.map((r) => r.id);
      } finally {
        await db.end();
      }
    };
    const only = process.argv[process.argv.indexOf('--only') + 1];
    const ids = await makeArticlesAfterBoot(ctx, () => makeArticles(1));
    if (BURST || STORM) {
      const rows = [];
      if (BURST) rows.push(['burst', await burst(ctx, ids[0], children, { readers: BURST })]);
      if (STORM)
        rows.push([
          'reconnect storm',
          await reconnectStorm(ctx, (await makeArticles(1))[0], children, { readers: STORM, rate: RATE }),
        ]);
      const { writeFileSync, mkdirSync } = await import('node:fs');
      mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
      writeFileSync(
        join(BENCH_DIR, 'results', 'live-crowd-latest.json'),
        JSON.stringify(Object.fromEntries(rows), null, 2),
      );
      return;
    }
    if (only !== 'spread') results.push(await scenario('one breaking story', ctx, ids));
    if (only !== 'one') results.push(await scenario(`spread over ${SPREAD} articles`, ctx, await makeArticles(SPREAD)));
    console.log('\n## Summary');
    console.log(
      table(
        [
          'scenario',
          'connected',
          'refused',
          'delivered',
          'delay p50',
          'p99',
          'max',
          'peak RSS',
          'page p99 meanwhile',
          'service CPU',
        ],
        results.map((r) => [
          r.label,
          r.connected,
          r.refused,
          `${((100 * r.events) / Math.max(1, r.expected)).toFixed(1)}%`,
          `${r.p50} ms`,
          `${r.p99} ms`,
          `${r.max} ms`,
          `${r.peak.toFixed(0)} MB`,
          `${r.page.p99} ms`,
          `${(r.cpuShare * 100).toFixed(0)}%`,
        ]),
      ),
    );
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await stop();
  }
}

/** Starts the service once so that it migrates the new database, then makes the articles. */
async function makeArticlesAfterBoot(ctx, make) {
  const service = spawn(process.execPath, ['dist/src/main'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: ctx.url, JWT_SECRET: ctx.secret, PORT: String(ctx.port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(service);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${ctx.port}/api/health`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('the service did not start');
    await sleep(100);
  }
  service.kill('SIGTERM');
  await new Promise((r) => service.once('exit', r));
  return make();
}

main().catch((error) => {
  console.error(error);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
});
