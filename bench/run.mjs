// npm run bench [-- --quick] [-- --comments N --articles N --hot N --duration S ...]
//
// Seeds two databases (small: 10,000 comments; large: 1,000,000 by default) on one PostgreSQL
// (embedded, started here, or the server of DATABASE_URL), then for each size runs the service
// (node dist/src/main, the production build) and the baseline (bench/baseline-server.mjs:
// node:http + pg, no framework) against the same database, and loads each scenario with
// autocannon from a child process, alternating the two. Prints throughput and latency of both,
// the ratio, the service's peak memory, growth from small to large, the statements each request
// sends, and EXPLAIN (ANALYZE, BUFFERS) of the service's hot queries on the large database;
// writes everything to bench/results/latest.json. See bench/README.md.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { loadAverage, parentPid } from './lib/cpu.mjs';
import { BENCH_DIR, fmtInt, fmtMs, freePort, postBody, requireDist, ROOT, sleep, table } from './lib/common.mjs';
import { checkCounters, describeLine, seedDatabase } from './seed.mjs';

// ---------------------------------------------------------------------------------------------
// Options

const USAGE = `usage: npm run bench [-- options]
  --quick               smoke run: large = 20,000 comments on 200 articles (hot 1,000), 3 s runs, 1 s warm-up
  --articles N          articles in the large database (default 1000)
  --comments N          comments in the large database (default 1000000)
  --hot N               comments in the hottest thread (default 50000)
  --small-comments N    comments in the small database (default 10000; articles and hot scaled to it)
  --duration S          seconds per measured run (default 10; quick 3)
  --warmup S            seconds of warm-up before each run (default 3; quick 1)
  --connections N       concurrent connections (default 32)
  --rounds N            measured runs per scenario and system, alternating, averaged (default 1)
  --sizes LIST          small,large (default both)
  --scenarios LIST      thread-first,thread-deep,thread-reader,replies,queue,post,post-hot,approve (default all);
                        or deliveries alone: posting while webhooks and reply emails go out, against
                        deliveries off (bench/deliveries.mjs: --posts N, --readers N, --connections N)
  --post-articles N     posts go round-robin to the N hottest open articles (default 10)
  --profile             run the measured service with --cpu-prof; prints where its CPU time goes
                        (profiles in bench/results/profiles/)
  --rate-limits         run the service with RATE_LIMITS=on (every request counted against its address,
                        posts against their user), the limits raised so that none is refused: what
                        counting costs in production
  --live                the live-updates benchmark instead (bench/live.mjs): --readers N (19000),
                        --only one|spread, --sample N (1 reader in N measures delays: 10),
                        --articles N (500), --workers N (4), --rate N posts/s (20), --seconds S (20)
  --keep                keep the PostgreSQL data folder (embedded) or the databases (DATABASE_URL)
  --out FILE            also write the JSON there (always: bench/results/latest.json)`;

function parseArgs(argv) {
  const o = { quick: false, keep: false };
  const num = (name, v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    switch (a) {
      case '--quick':
        o.quick = true;
        break;
      case '--keep':
        o.keep = true;
        break;
      case '--profile':
        o.profile = true;
        break;
      case '--rate-limits':
        o.rateLimits = true;
        break;
      case '--articles':
        o.articles = num('articles', v());
        break;
      case '--comments':
        o.comments = num('comments', v());
        break;
      case '--hot':
        o.hot = num('hot', v());
        break;
      case '--small-comments':
        o.smallComments = num('small-comments', v());
        break;
      case '--duration':
        o.duration = num('duration', v());
        break;
      case '--warmup':
        o.warmup = num('warmup', v());
        break;
      case '--connections':
        o.connections = num('connections', v());
        break;
      case '--rounds':
        o.rounds = Math.max(1, num('rounds', v()));
        break;
      case '--post-articles':
        o.postArticles = num('post-articles', v());
        break;
      case '--sizes':
        o.sizes = v().split(',');
        break;
      case '--scenarios':
        o.scenarios = v().split(',');
        break;
      case '--out':
        o.out = v();
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  const q = o.quick;
  const large = {
    articles: o.articles ?? (q ? 200 : 1000),
    comments: o.comments ?? (q ? 20_000 : 1_000_000),
    hot: o.hot ?? (q ? 1000 : 50_000),
  };
  const smallComments = o.smallComments ?? 10_000;
  const small = {
    articles: Math.max(20, Math.round(smallComments / 100)),
    comments: smallComments,
    hot: Math.max(10, Math.min(smallComments, Math.round((large.hot * smallComments) / large.comments))),
  };
  return {
    quick: q,
    keep: o.keep,
    profile: !!o.profile,
    rateLimits: !!o.rateLimits,
    out: o.out,
    sizes: Object.fromEntries(
      [
        ['small', small],
        ['large', large],
      ].filter(([name]) => (o.sizes ?? ['small', 'large']).includes(name)),
    ),
    duration: o.duration ?? (q ? 3 : 10),
    warmup: o.warmup ?? (q ? 1 : 3),
    connections: o.connections ?? 32,
    rounds: o.rounds ?? 1,
    postArticles: o.postArticles ?? 10,
    scenarios: o.scenarios ?? SCENARIOS.map((s) => s.name),
  };
}

// What PostgreSQL runs with. fsync, full_page_writes and synchronous_commit stay at their (safe)
// defaults so that inserts pay for durability as they would in production; the rest sizes memory
// for a 1M-comment set and keeps checkpoints out of the measured runs (one is forced after seeding).
const PG_FLAGS = [
  ['shared_buffers', '1GB'],
  ['max_connections', '200'],
  ['work_mem', '8MB'],
  ['maintenance_work_mem', '512MB'],
  ['effective_cache_size', '2GB'],
  ['max_wal_size', '4GB'],
  ['checkpoint_timeout', '30min'],
];

const SCENARIOS = [
  { name: 'thread-first', label: 'thread: first page, hottest', kind: 'get', growth: true, explain: true },
  { name: 'thread-deep', label: 'thread: deep page (cursor)', kind: 'get', growth: true, explain: true },
  // Signed-in readers each get their own page (they also see their own held comments), so the
  // service's page cache cannot serve them from one entry: this is the uncached thread read.
  {
    name: 'thread-reader',
    label: 'thread: first page, signed-in readers',
    kind: 'get',
    growth: true,
    explain: true,
    readers: true,
  },
  { name: 'replies', label: 'replies: first page', kind: 'get', growth: true, explain: true },
  { name: 'queue', label: 'queue: pending, all articles', kind: 'get', growth: true, explain: true, moderator: true },
  { name: 'post', label: 'post a comment', kind: 'post', bare: true },
  // A live blog: every connection posts to the same article.
  { name: 'post-hot', label: 'post a comment, all to one article', kind: 'post', hot: true, bare: true },
  { name: 'approve', label: 'approve a pending comment', kind: 'approve', bare: true },
];

const TARGETS = {
  readRatio: 0.8, // thread first/deep page: >= 0.8x the baseline's rps
  readP99: 50, // ... and p99 < 50 ms
  postRatio: 0.6, // post and approve: >= 0.6x the bare server's rps ...
  writeP99: 60, // ... with p99 < 60 ms
  hotPostsPerSecond: 1500, // post-hot: posts a second into one article
  growth: 1.5, // p50 large / small for thread and queue
  rssMb: 300,
};

// ---------------------------------------------------------------------------------------------
// Processes

const children = new Set();
let tmp;
let postgres;

function startNode(label, args, env, logFile) {
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  child.label = label;
  child.logFile = logFile;
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  children.add(child);
  child.exited.then(() => children.delete(child));
  return child;
}

async function waitHealthy(child, port) {
  const deadline = Date.now() + 90_000;
  let exited = false;
  child.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  const tail = existsSync(child.logFile) ? readFileSync(child.logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
  throw new Error(`${child.label} did not become healthy on port ${port}. Its last output:\n${tail}`);
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

/**
 * The service and the baseline on one database; with `capture`, both record their SQL. With
 * `bareUrl`, the bare server too, on its own copy of the database (it keeps no article counts).
 */
async function startServers(dbUrl, secret, capture, profileDir, bareUrl) {
  const [servicePort, baselinePort, barePort] = [await freePort(), await freePort(), await freePort()];
  const env = (port, file) => ({
    DATABASE_URL: dbUrl,
    JWT_SECRET: secret,
    PORT: String(port),
    RATE_LIMITS: opts.rateLimits ? 'on' : 'off',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    BENCH_SQL_CAPTURE: file ?? '',
  });
  const pre = capture ? ['--require', join(BENCH_DIR, 'sql-capture.cjs')] : [];
  const files = capture
    ? { service: join(tmp, `sql-service-${Date.now()}.jsonl`), baseline: join(tmp, `sql-baseline-${Date.now()}.jsonl`) }
    : {};
  for (const f of Object.values(files)) writeFileSync(f, '');
  const prof = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  // The service runs with the node flags of its production start (npm run start:prod).
  const prodFlags = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    .scripts['start:prod'].split(/\s+/)
    .filter((a) => a.startsWith('--'));
  const service = startNode(
    'service',
    [...prodFlags, ...pre, ...prof, join(ROOT, 'dist/src/main.js')],
    env(servicePort, files.service),
    join(tmp, 'service.log'),
  );
  const baseline = startNode(
    'baseline',
    [...pre, join(BENCH_DIR, 'baseline-server.mjs')],
    env(baselinePort, files.baseline),
    join(tmp, 'baseline.log'),
  );
  const bare =
    bareUrl &&
    startNode(
      'bare',
      [join(BENCH_DIR, 'bare-server.mjs')],
      { ...env(barePort), DATABASE_URL: bareUrl },
      join(tmp, 'bare.log'),
    );
  await Promise.all([
    waitHealthy(service, servicePort),
    waitHealthy(baseline, baselinePort),
    bare && waitHealthy(bare, barePort),
  ]);
  return {
    bare: bare && { name: 'bare', child: bare, port: barePort, url: `http://127.0.0.1:${barePort}` },
    service: {
      name: 'service',
      child: service,
      port: servicePort,
      url: `http://127.0.0.1:${servicePort}`,
      sqlFile: files.service,
    },
    baseline: {
      name: 'baseline',
      child: baseline,
      port: baselinePort,
      url: `http://127.0.0.1:${baselinePort}`,
      sqlFile: files.baseline,
    },
    stop: () => Promise.all([stopChild(service), stopChild(baseline), bare && stopChild(bare)]),
  };
}

function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** Samples VmRSS of the given processes every 100 ms; peak() since the last reset. */
function rssSampler(pids) {
  const peak = Object.fromEntries(Object.keys(pids).map((k) => [k, 0]));
  const timer = setInterval(() => {
    for (const [k, pid] of Object.entries(pids)) peak[k] = Math.max(peak[k], memoryOf(pid).rss || 0);
  }, 100);
  return {
    peak: () => ({ ...peak }),
    reset: () => Object.keys(peak).forEach((k) => (peak[k] = 0)),
    stop: () => clearInterval(timer),
  };
}

/** V8 heap in use, from the service's Prometheus metrics (if it has them and they are open). */
async function serviceHeapMb(server) {
  try {
    const res = await fetch(`${server.url}/api/metrics`);
    if (!res.ok) return undefined;
    const m = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([\d.e+]+)/m.exec(await res.text());
    return m ? Number(m[1]) / 2 ** 20 : undefined;
  } catch {
    return undefined;
  }
}

let loadCount = 0;
function runLoad(cfg) {
  const file = join(tmp, `load-${++loadCount}.json`);
  writeFileSync(file, JSON.stringify(cfg));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BENCH_DIR, 'load.mjs'), file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      children.delete(child);
      if (code !== 0) return reject(new Error(`load generator failed (${code}): ${err}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`load generator printed no result: ${out} ${err}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Data

function dbUrl(serverUrl, name) {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const LISTED = `status IN ('published', 'approved') AND (deleted_at IS NULL OR reply_count > 0)`;

/** What the scenarios read and write, picked from the seeded data. */
async function pickTargets(db, opts, secret) {
  const {
    rows: [hot],
  } = await db.query(
    `SELECT id, count_visible FROM articles WHERE closed_at IS NULL AND moderation_mode = 'post' ORDER BY count_visible DESC, id LIMIT 1`,
  );
  const {
    rows: [{ n: topLevel }],
  } = await db.query(
    `SELECT count(*)::int AS n FROM comments WHERE article_id = $1 AND parent_id IS NULL AND ${LISTED}`,
    [hot.id],
  );
  const {
    rows: [deep],
  } = await db.query(
    `SELECT created_at, id FROM comments WHERE article_id = $1 AND parent_id IS NULL AND ${LISTED}
     ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
    [hot.id, Math.max(0, Math.floor(topLevel / 2) - 1)],
  );
  const deepCursor = Buffer.from(JSON.stringify(['thread:newest', deep.created_at.toISOString(), deep.id])).toString(
    'base64url',
  );
  const {
    rows: [parent],
  } = await db.query(
    `SELECT id, reply_count FROM comments WHERE article_id = $1 AND parent_id IS NULL AND status IN ('published', 'approved')
       AND deleted_at IS NULL ORDER BY reply_count DESC, id LIMIT 1`,
    [hot.id],
  );
  const { rows: postArticles } = await db.query(
    `SELECT id FROM articles WHERE closed_at IS NULL AND moderation_mode = 'post' ORDER BY count_visible DESC, id LIMIT $1`,
    [opts.postArticles],
  );
  // Replies (a third of the posts) go to the first visible top-level comments of their article.
  const { rows: parentRows } = await db.query(
    `SELECT a.id AS article_id, array(SELECT c.id FROM comments c WHERE c.article_id = a.id AND c.parent_id IS NULL
       AND c.status IN ('published', 'approved') AND c.deleted_at IS NULL
       AND c.id::text ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' -- what IsUUID() takes
       ORDER BY c.created_at, c.id LIMIT 50) AS ids
     FROM unnest($1::uuid[]) AS a(id)`,
    [postArticles.map((r) => r.id)],
  );
  const { rows: users } = await db.query(
    `SELECT id, name FROM users WHERE id LIKE 'u%' AND NOT premod AND banned_at IS NULL ORDER BY md5(id) LIMIT 2000`,
  );
  const {
    rows: [{ n: userCount }],
  } = await db.query(`SELECT count(*)::int AS n FROM users WHERE id LIKE 'u%'`);
  const sign = (sub, name, role) => jwt.sign({ sub, name, role }, secret, { algorithm: 'HS256', expiresIn: '6h' });
  const moderatorTokens = Array.from({ length: 64 }, (_, i) => sign(`mod${i + 1}`, `Moderator ${i + 1}`, 'moderator'));
  // More distinct readers than the service's page cache holds (2,000 entries), taken in turn.
  const signedInTokens = Array.from({ length: 5000 }, (_, i) =>
    sign(`reader-${i}`, `Signed-in reader ${i}`, 'commenter'),
  );
  // A reader with a held comment in the hot thread, and a cursor whose page starts with it.
  const {
    rows: [held],
  } = await db.query(
    `SELECT c.author_id, c.created_at, c.id, u.name FROM comments c JOIN users u ON u.id = c.author_id
     WHERE c.article_id = $1 AND c.parent_id IS NULL AND c.status = 'pending' AND c.deleted_at IS NULL
     ORDER BY c.created_at DESC, c.id DESC LIMIT 1`,
    [hot.id],
  );
  const ownCheck = held && {
    token: sign(held.author_id, held.name, 'commenter'),
    cursor: Buffer.from(
      JSON.stringify(['thread:newest', new Date(held.created_at.getTime() + 1).toISOString(), held.id]),
    ).toString('base64url'),
  };
  return {
    hotArticle: hot.id,
    hotVisible: hot.count_visible,
    hotTopLevel: topLevel,
    deepOffset: Math.floor(topLevel / 2),
    deepCursor,
    repliesParent: parent.id,
    repliesCount: parent.reply_count,
    postArticles: postArticles.map((r) => r.id),
    replyParents: Object.fromEntries(parentRows.map((r) => [r.article_id, r.ids])),
    readerTokens: users.map((u) => sign(u.id, u.name, 'commenter')),
    moderatorTokens,
    signedInTokens,
    ownCheck,
    userCount,
  };
}

function scenarioPath(name, t) {
  switch (name) {
    case 'thread-first':
      return `/api/articles/${t.hotArticle}/comments`;
    case 'thread-deep':
      return `/api/articles/${t.hotArticle}/comments?cursor=${t.deepCursor}`;
    case 'thread-reader':
      return `/api/articles/${t.hotArticle}/comments`;
    case 'replies':
      return `/api/comments/${t.repliesParent}/replies`;
    case 'queue':
      return '/api/moderation/queue/pending';
    default:
      return undefined;
  }
}

/** Pending comments for an approve run (one per request): 2/3 top-level, 1/3 replies, on open articles. */
async function makePendingPool(db, n, userCount) {
  const replies = Math.floor(n / 3);
  const { rows } = await db.query(
    `WITH open AS (SELECT array_agg(id) AS ids FROM articles WHERE closed_at IS NULL),
     top AS (
       INSERT INTO comments (article_id, author_id, body, status, moderation_reasons, created_at)
       SELECT o.ids[1 + floor(random() * cardinality(o.ids))::int], 'u' || (1 + floor(random() * $3))::int,
              'Held for review: what an idiot would say, number ' || g, 'pending', ARRAY['suspect words: idiot'],
              now() - random() * interval '1 hour'
       FROM open o, generate_series(1, $1::int) g
       RETURNING id, article_id),
     rep AS (
       INSERT INTO comments (article_id, parent_id, author_id, body, status, moderation_reasons, created_at)
       SELECT p.article_id, p.id, 'u' || (1 + floor(random() * $3))::int,
              'A held reply: what an idiot would say', 'pending', ARRAY['suspect words: idiot'], now() - random() * interval '1 hour'
       FROM (SELECT c.id, c.article_id FROM comments c JOIN articles a ON a.id = c.article_id
             WHERE c.parent_id IS NULL AND c.status IN ('published', 'approved') AND c.deleted_at IS NULL AND a.closed_at IS NULL
             ORDER BY random() LIMIT $2) p
       RETURNING id, article_id),
     pool AS (SELECT * FROM top UNION ALL SELECT * FROM rep),
     counted AS (
       UPDATE articles a SET count_pending = a.count_pending + x.n
       FROM (SELECT article_id, count(*)::int AS n FROM pool GROUP BY article_id) x WHERE a.id = x.article_id)
     SELECT id FROM pool ORDER BY random()`,
    [n - replies, replies, userCount],
  );
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Capture pass: the same requests to both, their answers compared, their SQL recorded.

function readCapture(file, from) {
  const text = readFileSync(file, 'utf8').slice(from);
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((s) => !/pg_try_advisory_xact_lock|rate_limit_buckets|schedule_close_logged_at/.test(s.text));
}

async function captured(server, fn) {
  const from = statSync(server.sqlFile).size;
  const response = await fn();
  await sleep(30);
  return { response, statements: readCapture(server.sqlFile, from) };
}

async function call(server, path, { method = 'GET', token, body } = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

function firstDifference(a, b, path = '$') {
  if (isDeepStrictEqual(a, b)) return null;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    return `${path}: service ${JSON.stringify(a)?.slice(0, 120)} vs baseline ${JSON.stringify(b)?.slice(0, 120)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference(a[k], b[k], `${path}.${k}`);
    if (d) return d;
  }
  return `${path}: differs`;
}

function compareAnswers(scenario, svc, base) {
  const diff =
    svc.status !== base.status ? `status ${svc.status} vs ${base.status}` : firstDifference(svc.json, base.json);
  return { scenario, status: svc.status, items: svc.json?.items?.length, same: !diff, difference: diff };
}

async function capturePass(dbUrlOfSize, secret, targets, scenarios, explain, log) {
  const servers = await startServers(dbUrlOfSize, secret, true);
  const checks = [];
  const statements = {};
  try {
    for (const s of scenarios.filter((x) => x.kind === 'get')) {
      const token = s.moderator ? targets.moderatorTokens[0] : s.readers ? targets.signedInTokens[0] : undefined;
      const path = scenarioPath(s.name, targets);
      const svc = await captured(servers.service, () => call(servers.service, path, { token }));
      const again = await captured(servers.service, () => call(servers.service, path, { token })); // from the page cache, if any
      const base = await captured(servers.baseline, () => call(servers.baseline, path, { token }));
      checks.push(compareAnswers(s.name, svc.response, base.response));
      statements[s.name] = { service: svc.statements, serviceRepeat: again.statements, baseline: base.statements };
    }
    if (scenarios.some((s) => s.readers) && targets.ownCheck) {
      // a reader's own held comment: on their page (with its reasons), on nobody else's
      const path = `/api/articles/${targets.hotArticle}/comments?cursor=${targets.ownCheck.cursor}`;
      const token = targets.ownCheck.token;
      checks.push(
        compareAnswers(
          'thread-own',
          await call(servers.service, path, { token }),
          await call(servers.baseline, path, { token }),
        ),
      );
    }
    if (scenarios.some((s) => s.name === 'post')) {
      const article = targets.postArticles[0];
      const post = (server, n) =>
        captured(server, () =>
          call(server, `/api/articles/${article}/comments`, {
            method: 'POST',
            token: targets.readerTokens[n],
            body: { body: postBody(n, 'check') },
          }),
        );
      const svc = await post(servers.service, 0);
      const base = await post(servers.baseline, 1);
      const keys = (j) =>
        Object.keys(j ?? {})
          .sort()
          .join(',');
      const same =
        svc.response.status === 201 &&
        base.response.status === 201 &&
        keys(svc.response.json) === keys(base.response.json) &&
        svc.response.json.status === base.response.json.status;
      checks.push({
        scenario: 'post',
        status: svc.response.status,
        same,
        difference: same
          ? null
          : `service ${svc.response.status} ${JSON.stringify(svc.response.json).slice(0, 200)} vs baseline ${base.response.status} ${JSON.stringify(base.response.json).slice(0, 200)}`,
      });
      statements.post = { service: svc.statements, baseline: base.statements };
    }
    if (scenarios.some((s) => s.name === 'approve')) {
      const ids = await withClient(dbUrlOfSize, (db) => makePendingPool(db, 2, targets.userCount));
      const approve = (server, id) =>
        captured(server, () =>
          call(server, `/api/moderation/comments/${id}/approve`, {
            method: 'POST',
            token: targets.moderatorTokens[1],
            body: { expectedStatus: 'pending' },
          }),
        );
      const svc = await approve(servers.service, ids[0]);
      const base = await approve(servers.baseline, ids[1]);
      const strip = (j) => ({
        ...j,
        id: undefined,
        articleId: undefined,
        parentId: undefined,
        createdAt: undefined,
        author: undefined,
        body: undefined,
      });
      const same =
        svc.response.status === 200 &&
        base.response.status === 200 &&
        isDeepStrictEqual(Object.keys(svc.response.json).sort(), Object.keys(base.response.json).sort()) &&
        svc.response.json.status === 'approved' &&
        base.response.json.status === 'approved';
      checks.push({
        scenario: 'approve',
        status: svc.response.status,
        same,
        difference: same ? null : firstDifference(strip(svc.response.json), strip(base.response.json)),
      });
      statements.approve = { service: svc.statements, baseline: base.statements };
    }
  } finally {
    await servers.stop();
  }
  for (const c of checks) {
    log(
      `  check ${c.scenario.padEnd(12)} ${c.same ? 'same answer from both' : `DIFFERENT: ${c.difference}`}${c.items !== undefined ? ` (${c.items} items)` : ''}`,
    );
  }
  let plans;
  if (explain) plans = await explainStatements(dbUrlOfSize, scenarios, statements);
  return { checks, statements, plans };
}

const isQuery = (text) => /^\s*(SELECT|WITH)\b/i.test(text) && !/\bFOR\s+(NO KEY\s+)?(UPDATE|SHARE)\b/i.test(text);

async function explainStatements(url, scenarios, statements) {
  const plans = {};
  await withClient(url, async (db) => {
    for (const s of scenarios.filter((x) => x.explain && statements[x.name])) {
      plans[s.name] = {};
      for (const who of ['service', 'baseline']) {
        plans[s.name][who] = [];
        for (const st of statements[s.name][who].filter((x) => isQuery(x.text))) {
          const sql = `EXPLAIN (ANALYZE, BUFFERS) ${st.text}`;
          await db.query(sql, st.values); // once to warm
          const { rows } = await db.query(sql, st.values);
          plans[s.name][who].push({ text: st.text, values: st.values, plan: rows.map((r) => r['QUERY PLAN']) });
        }
      }
    }
  });
  return plans;
}

// ---------------------------------------------------------------------------------------------
// Measured pass

/** Several rounds of one system in one scenario: mean rate and latencies, summed counts. */
function combineRounds(list) {
  if (list.length === 1) return list[0];
  const mean = (k) => list.reduce((a, r) => a + r[k], 0) / list.length;
  const sum = (k) => list.reduce((a, r) => a + (r[k] ?? 0), 0);
  const statuses = {};
  for (const r of list)
    for (const [code, n] of Object.entries(r.statuses ?? {})) statuses[code] = (statuses[code] ?? 0) + n;
  return {
    ...list[list.length - 1],
    rps: mean('rps'),
    p50: mean('p50'),
    p90: mean('p90'),
    p99: mean('p99'),
    mean: mean('mean'),
    max: Math.max(...list.map((r) => r.max)),
    requests: sum('requests'),
    ok: sum('ok'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    exhausted: sum('exhausted'),
    cpu: list[0].cpu && {
      ...Object.fromEntries(Object.keys(list[0].cpu).map((k) => [k, list.reduce((a, r) => a + r.cpu[k], 0)])),
      loadAverage: list[0].cpu.loadAverage,
    },
    statuses,
    peakRssMb: Math.max(...list.map((r) => r.peakRssMb ?? 0)),
    rounds: list.map((r) => Math.round(r.rps)),
  };
}

async function measuredPass(url, secret, targets, scenarios, opts, log, profileDir, bareUrl) {
  const servers = await startServers(url, secret, false, profileDir, bareUrl);
  const sampler = rssSampler({ service: servers.service.child.pid, baseline: servers.baseline.child.pid });
  const startRss = {
    service: memoryOf(servers.service.child.pid).rss,
    baseline: memoryOf(servers.baseline.child.pid).rss,
  };
  const results = [];
  let memory;
  let postRps = 0;
  try {
    for (const [i, s] of scenarios.entries()) {
      const order = i % 2 === 0 ? [servers.service, servers.baseline] : [servers.baseline, servers.service];
      if (s.bare && servers.bare) order.splice(i % 3, 0, servers.bare);
      // The bare server loaded by the plain autocannon CLI too: a check on this benchmark's generator.
      if (s.name === 'post' && servers.bare) order.push({ ...servers.bare, name: 'bareCli' });
      const row = { scenario: s.name, label: s.label };
      let pools = {};
      if (s.kind === 'approve') {
        const guess = postRps > 0 ? postRps : 1500;
        const size = (Math.ceil(guess * (opts.duration + opts.warmup) * 1.5) + 500) * opts.rounds;
        await withClient(url, async (db) => {
          pools = {
            service: await makePendingPool(db, size, targets.userCount),
            baseline: await makePendingPool(db, size, targets.userCount),
          };
        });
        if (servers.bare) pools.bare = await withClient(bareUrl, (db) => makePendingPool(db, size, targets.userCount));
      }
      const runs = {};
      for (let round = 0; round < opts.rounds; round++) {
        // Each round reverses the order of the last, so that no system always follows the same one.
        for (const server of round % 2 === 0 ? order : [...order].reverse()) {
          const base = { url: server.url, connections: opts.connections, duration: opts.duration, warmup: opts.warmup };
          let cfg;
          if (s.kind === 'get') {
            cfg = {
              ...base,
              kind: 'get',
              path: scenarioPath(s.name, targets),
              headers: s.moderator ? { authorization: `Bearer ${targets.moderatorTokens[0]}` } : {},
            };
            if (s.readers) cfg.tokens = targets.signedInTokens;
          } else if (server.name === 'bareCli') {
            cfg = { ...base, kind: 'cli', articleIds: targets.postArticles, tokens: targets.readerTokens };
          } else if (s.kind === 'post') {
            cfg = {
              ...base,
              kind: 'post',
              articleIds: s.hot ? targets.postArticles.slice(0, 1) : targets.postArticles,
              replyParents: targets.replyParents,
              tokens: targets.readerTokens,
              tag: `${server.name}-${Date.now().toString(36)}`,
            };
          } else {
            const per = pools[server.name].length / opts.rounds;
            const ids = pools[server.name].slice(round * per, (round + 1) * per);
            cfg = { ...base, kind: 'approve', ids, tokens: targets.moderatorTokens };
          }
          cfg.serverPid = server.child.pid;
          cfg.postmasterPid = postgres.postmasterPid;
          cfg.otherPids = [
            process.pid,
            ...new Set(order.map((x) => x.child.pid).filter((pid) => pid !== server.child.pid)),
          ];
          await sleep(300); // let the previous run's connections close
          sampler.reset();
          const r = await runLoad(cfg);
          r.peakRssMb = sampler.peak()[server.name];
          if (server.name === 'service') r.heapUsedMb = await serviceHeapMb(server);
          (runs[server.name] ??= []).push(r);
          if (s.kind === 'post') postRps = Math.max(postRps, r.rps);
        }
      }
      for (const [name, list] of Object.entries(runs)) row[name] = combineRounds(list);
      row.ratio = row.baseline.rps > 0 ? row.service.rps / row.baseline.rps : null;
      if (row.bare) {
        row.bareRatio = row.bare.rps > 0 ? row.service.rps / row.bare.rps : null;
        row.baselineBareRatio = row.bare.rps > 0 ? row.baseline.rps / row.bare.rps : null;
      }
      results.push(row);
      const part = (r) =>
        `${fmtInt(r.rps).padStart(6)} rps${r.rounds ? ` (rounds ${r.rounds.join(', ')})` : ''}  p50 ${fmtMs(r.p50).padStart(5)}  p99 ${fmtMs(r.p99).padStart(5)} ms${cpuLine(r)}${r.non2xx || r.errors ? `  (!) non-2xx ${r.non2xx}, errors ${r.errors} ${JSON.stringify(r.statuses)}` : ''}`;
      log(
        `  ${s.name.padEnd(13)} service ${part(row.service)} | baseline ${part(row.baseline)} | ${row.ratio?.toFixed(2)}x${row.bare ? ` | bare ${part(row.bare)} | service/bare ${row.bareRatio?.toFixed(2)}x` : ''}${row.bareCli ? ` | bare, autocannon CLI ${part(row.bareCli)}` : ''}`,
      );
    }
  } finally {
    sampler.stop();
    memory = {
      service: {
        startMb: startRss.service,
        peakHwmMb: memoryOf(servers.service.child.pid).hwm,
        peakSampledMb: Math.max(0, ...results.map((r) => r.service?.peakRssMb ?? 0)),
      },
      baseline: {
        startMb: startRss.baseline,
        peakHwmMb: memoryOf(servers.baseline.child.pid).hwm,
        peakSampledMb: Math.max(0, ...results.map((r) => r.baseline?.peakRssMb ?? 0)),
      },
    };
    await servers.stop();
  }
  return { results, memory };
}

/** CPU per request (ms) of one system's runs: the server, PostgreSQL, the load generator, the machine. */
function cpuPerRequest(r) {
  if (!r.cpu || !r.requests) return undefined;
  const per = (ms) => ms / r.requests;
  return {
    server: per(r.cpu.serverMs),
    postgres: per(r.cpu.postgresMs),
    loadGenerator: per(r.cpu.loadGeneratorMs),
    others: per(r.cpu.othersMs),
    machine: per(r.cpu.machineBusyMs),
    idleShare: r.cpu.machineIdleMs / (r.cpu.machineIdleMs + r.cpu.machineBusyMs),
    loadAverage: r.cpu.loadAverage,
  };
}

const cpuMs = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');

function cpuPair(r) {
  const c = r && cpuPerRequest(r);
  return c ? `${cpuMs(c.server)} + ${cpuMs(c.postgres)}` : '-';
}

function cpuLine(r) {
  const c = cpuPerRequest(r);
  if (!c) return '';
  const ms = cpuMs;
  return `  cpu/req ${ms(c.server)} + pg ${ms(c.postgres)} (gen ${ms(c.loadGenerator)}, idle systems ${ms(c.others)}, machine ${ms(c.machine)}, idle ${Math.round(c.idleShare * 100)}%, load ${c.loadAverage[0]})`;
}

// ---------------------------------------------------------------------------------------------
// CPU profile of the service (--profile): self time by package and by function

function summarizeProfiles(dir) {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length) return undefined;
  const byPackage = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const f of files) {
    const prof = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const self = new Map();
    prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
    for (const node of prof.nodes) {
      const us = self.get(node.id) ?? 0;
      if (!us) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') continue;
      total += us;
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
      const pkg = m
        ? m[1]
        : url.includes('/dist/src/')
          ? '(service code)'
          : url.startsWith('node:')
            ? '(node internals)'
            : url
              ? url
              : `(${functionName || 'native'})`;
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
      const where = url
        ? `${url
            .replace(/^.*node_modules\//, '')
            .replace(/^.*\/dist\//, 'dist/')
            .replace(/^file:\/\//, '')}:${lineNumber + 1}`
        : '';
      const key = `${functionName || '(anonymous)'} ${where}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    }
  }
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
  return {
    dir: dir.replace(`${ROOT}/`, ''),
    busyMs: total / 1000,
    packages: top(byPackage, 15),
    functions: top(byFunction, 25),
  };
}

// ---------------------------------------------------------------------------------------------
// Report

function printReport(report, opts) {
  const out = [];
  const p = (s = '') => out.push(s);
  const sizes = Object.keys(report.sizes);
  p('');
  p(
    `=== Comment Desk benchmark: ${opts.connections} connections, ${opts.duration} s per run after ${opts.warmup} s warm-up${opts.rounds > 1 ? `, ${opts.rounds} rounds averaged` : ''} ===`,
  );
  p(
    `service: node dist/src/main (NestJS, production build, RATE_LIMITS=${opts.rateLimits ? 'on, limits raised' : 'off'}, LOG_LEVEL=warn); baseline: bench/baseline-server.mjs (node:http + pg)`,
  );
  p(
    `note: the service caches thread and reply pages per article version and viewer, so the anonymous page scenarios are served from that cache after the first request; thread-reader (5,000 signed-in readers in turn) is not`,
  );
  p(
    `machine: ${report.machine.cpus} x ${report.machine.cpuModel}, ${report.machine.memGb} GB, node ${report.machine.node}; ${report.postgres.version}`,
  );
  for (const size of sizes) p(`${size}: ${describeLine(report.sizes[size].data)}`);
  p('');
  const rows = [];
  for (const size of sizes) {
    for (const r of report.sizes[size].results) {
      const flag = (x) => (x.non2xx || x.errors ? ' !' : '');
      rows.push([
        r.scenario,
        size,
        fmtInt(r.service.rps) + flag(r.service),
        fmtMs(r.service.p50),
        fmtMs(r.service.p99),
        fmtInt(r.baseline.rps) + flag(r.baseline),
        fmtMs(r.baseline.p50),
        fmtMs(r.baseline.p99),
        r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
      ]);
    }
  }
  p(table(['scenario', 'size', 'svc req/s', 'p50 ms', 'p99 ms', 'base req/s', 'p50 ms', 'p99 ms', 'svc/base'], rows));
  const writes = sizes.flatMap((size) => report.sizes[size].results.filter((r) => r.bare).map((r) => ({ size, ...r })));
  if (writes.length) {
    p('');
    p(
      'Writes against the bare server (bench/bare-server.mjs: one transaction, article FOR SHARE, parent reply count, insert; no rules, counts, log, events or idempotency)',
    );
    p(
      table(
        [
          'scenario',
          'size',
          'bare req/s',
          'p50',
          'p99',
          'baseline req/s',
          'p50',
          'p99',
          'service req/s',
          'p50',
          'p99',
          'svc/bare',
          'base/bare',
          'CPU ms/req: bare',
          'service',
        ],
        writes.map((r) => [
          r.scenario,
          r.size,
          fmtInt(r.bare.rps),
          fmtMs(r.bare.p50),
          fmtMs(r.bare.p99),
          fmtInt(r.baseline.rps),
          fmtMs(r.baseline.p50),
          fmtMs(r.baseline.p99),
          fmtInt(r.service.rps),
          fmtMs(r.service.p50),
          fmtMs(r.service.p99),
          r.bareRatio === null ? '-' : `${r.bareRatio.toFixed(2)}x`,
          r.baselineBareRatio === null ? '-' : `${r.baselineBareRatio.toFixed(2)}x`,
          cpuPair(r.bare),
          cpuPair(r.service),
        ]),
      ),
    );
    p(
      "CPU ms/req: the server + PostgreSQL (all its processes) per request; the load average at the start of each system's first run:",
    );
    p(
      `  ${writes.map((r) => `${r.scenario} ${r.size}: ${['bare', 'baseline', 'service'].map((w) => `${w} ${r[w].cpu?.loadAverage?.[0] ?? '-'}`).join(', ')}`).join('; ')}`,
    );
    for (const r of writes.filter((x) => x.bareCli)) {
      p(
        `The load generator checked (${r.scenario}, ${r.size}): the bare server ${fmtInt(r.bare.rps)} req/s, p50 ${fmtMs(r.bare.p50)}, p99 ${fmtMs(r.bare.p99)} ms with this benchmark's generator; ${fmtInt(r.bareCli.rps)} req/s, p50 ${fmtMs(r.bareCli.p50)}, p99 ${fmtMs(r.bareCli.p99)} ms with the autocannon CLI (one reader, one article, top-level posts, a new body each: ${(r.bare.rps / r.bareCli.rps).toFixed(2)}x); generator CPU ${cpuMs(cpuPerRequest(r.bare)?.loadGenerator)} vs ${cpuMs(cpuPerRequest(r.bareCli)?.loadGenerator)} ms/req`,
      );
    }
    p('');
  }
  const bad = sizes.flatMap((size) =>
    report.sizes[size].results.flatMap((r) =>
      ['service', 'baseline', 'bare']
        .filter((w) => r[w] && (r[w].non2xx || r[w].errors))
        .map(
          (w) =>
            `${size} ${r.scenario} ${w}: ${r[w].non2xx} non-2xx, ${r[w].errors} errors, statuses ${JSON.stringify(r[w].statuses)}${r[w].exhausted ? `, pool exhausted for ${r[w].exhausted} requests` : ''}`,
        ),
    ),
  );
  const checks = sizes.flatMap((size) => (report.sizes[size].capture?.checks ?? []).map((c) => ({ ...c, size })));
  const differing = checks.filter((c) => !c.same);
  p(
    differing.length
      ? `(!) service and baseline answered differently: ${differing.map((c) => `${c.size} ${c.scenario}: ${c.difference}`).join('; ')}`
      : `service and baseline gave the same answers (${[...new Set(checks.map((c) => c.scenario))].join(', ')}); counters matched a recount after the runs: ${sizes.every((z) => !report.sizes[z].countersAfter?.articleMismatches && !report.sizes[z].countersAfter?.replyMismatches) ? 'yes' : 'NO'}`,
  );
  if (bad.length) {
    p('(!) runs with failed requests:');
    bad.forEach((b) => p(`    ${b}`));
  }

  p('');
  p('Peak memory (MB): VmHWM of the process over the whole pass; sampled VmRSS max during load');
  p(
    `service RSS peak per scenario, in run order (V8 heap in use after it, from /api/metrics): ${sizes.map((size) => `${size}: ${report.sizes[size].results.map((r) => `${r.scenario} ${fmtInt(r.service.peakRssMb)}${r.service.heapUsedMb !== undefined ? ` (${fmtInt(r.service.heapUsedMb)})` : ''}`).join(', ')}`).join('; ')}`,
  );
  p(
    table(
      ['size', 'service start', 'service peak (HWM)', 'service max RSS under load', 'baseline peak (HWM)'],
      sizes.map((size) => {
        const m = report.sizes[size].memory;
        return [
          size,
          fmtInt(m.service.startMb),
          fmtInt(m.service.peakHwmMb),
          fmtInt(m.service.peakSampledMb),
          fmtInt(m.baseline.peakHwmMb),
        ];
      }),
    ),
  );

  if (report.growth.length) {
    p('');
    p(
      `Growth with data size (${sizes.map((s) => `${s}: ${report.sizes[s].data.comments.toLocaleString('en-US')} comments`).join(' -> ')})`,
    );
    p(
      table(
        ['scenario', 'system', 'req/s small', 'req/s large', 'p50 small', 'p50 large', 'p50 growth'],
        report.growth.map((g) => [
          g.scenario,
          g.system,
          fmtInt(g.rpsSmall),
          fmtInt(g.rpsLarge),
          fmtMs(g.p50Small),
          fmtMs(g.p50Large),
          `${g.p50Growth.toFixed(2)}x`,
        ]),
      ),
    );
  }

  const stmtSize = sizes[sizes.length - 1];
  const st = report.sizes[stmtSize].capture?.statements;
  if (st) {
    p('');
    p(
      "Statements sent to PostgreSQL per request (round trips, BEGIN/COMMIT included); for pages, the service's first request and a repeat (page cache)",
    );
    p(
      table(
        ['scenario', 'service', 'service, repeat', 'baseline'],
        Object.entries(st).map(([name, s]) => [
          name,
          String(s.service.length),
          s.serviceRepeat ? String(s.serviceRepeat.length) : '',
          String(s.baseline.length),
        ]),
      ),
    );
  }

  p('');
  p(
    `Targets (for tuning): thread first/deep >= ${TARGETS.readRatio}x baseline req/s and p99 < ${TARGETS.readP99} ms; post and approve >= ${TARGETS.postRatio}x the bare server's req/s with p99 < ${TARGETS.writeP99} ms; post-hot >= ${fmtInt(TARGETS.hotPostsPerSecond)} posts/s; p50 growth <= ${TARGETS.growth}x; service RSS < ${TARGETS.rssMb} MB`,
  );
  p(
    table(
      ['target', 'measured', 'met'],
      report.targets.map((t) => [t.name, t.measured, t.met ? 'yes' : 'NO']),
    ),
  );

  for (const size of sizes) {
    const prof = report.sizes[size].profile;
    if (!prof) continue;
    p('');
    p(
      `Where the service's CPU went, ${size} pass (all scenarios; busy ${fmtInt(prof.busyMs)} ms sampled; ${prof.dir}):`,
    );
    p(
      table(
        ['package', 'self ms', 'share'],
        prof.packages.map((x) => [x.name, fmtInt(x.ms), `${(x.share * 100).toFixed(1)}%`]),
      ),
    );
    p('');
    p(
      table(
        ['function', 'self ms', 'share'],
        prof.functions.map((x) => [x.name.slice(0, 110), fmtInt(x.ms), `${(x.share * 100).toFixed(1)}%`]),
      ),
    );
  }

  const plans = report.sizes[stmtSize].capture?.plans;
  if (plans) {
    p('');
    p(`EXPLAIN (ANALYZE, BUFFERS) of the service's queries per request, ${stmtSize} database (second execution):`);
    for (const [name, both] of Object.entries(plans)) {
      both.service.forEach((s, i) => {
        p('');
        p(`--- ${name} #${i + 1}: ${s.text.replace(/\s+/g, ' ').slice(0, 300)}${s.text.length > 300 ? ' ...' : ''}`);
        p(`    parameters: ${JSON.stringify(s.values ?? []).slice(0, 200)}`);
        s.plan.forEach((l) => p(`    ${l}`));
      });
    }
  }
  console.log(out.join('\n'));
}

function targetsOf(report) {
  const t = [];
  const large = report.sizes.large ?? report.sizes[Object.keys(report.sizes).pop()];
  const find = (name) => large?.results.find((r) => r.scenario === name);
  for (const name of ['thread-first', 'thread-deep']) {
    const r = find(name);
    if (!r) continue;
    t.push({
      name: `${name} req/s ratio`,
      measured: `${(r.ratio ?? 0).toFixed(2)}x`,
      met: (r.ratio ?? 0) >= TARGETS.readRatio,
    });
    t.push({
      name: `${name} service p99`,
      measured: `${fmtMs(r.service.p99)} ms`,
      met: r.service.p99 < TARGETS.readP99,
    });
  }
  for (const name of ['post', 'approve']) {
    const r = find(name);
    if (!r?.bare) continue;
    t.push({
      name: `${name} req/s, service / bare`,
      measured: `${(r.bareRatio ?? 0).toFixed(2)}x`,
      met: (r.bareRatio ?? 0) >= TARGETS.postRatio,
    });
    t.push({
      name: `${name} service p99`,
      measured: `${fmtMs(r.service.p99)} ms`,
      met: r.service.p99 < TARGETS.writeP99,
    });
  }
  const hot = find('post-hot');
  if (hot)
    t.push({
      name: 'post-hot posts/s (one article)',
      measured: fmtInt(hot.service.rps),
      met: hot.service.rps >= TARGETS.hotPostsPerSecond && !hot.service.non2xx && !hot.service.errors,
    });
  for (const [size, entry] of Object.entries(report.sizes)) {
    if (!entry.countersAfter) continue;
    const { articleMismatches: a, replyMismatches: r } = entry.countersAfter;
    t.push({ name: `${size}: counts equal a recount after the runs`, measured: `${a + r} mismatches`, met: !a && !r });
  }
  for (const g of report.growth.filter(
    (x) => x.system === 'service' && ['thread-first', 'thread-deep', 'thread-reader', 'queue'].includes(x.scenario),
  )) {
    t.push({
      name: `${g.scenario} p50 growth`,
      measured: `${g.p50Growth.toFixed(2)}x`,
      met: g.p50Growth <= TARGETS.growth,
    });
  }
  const rss = Math.max(...Object.values(report.sizes).map((s) => s.memory.service.peakHwmMb));
  t.push({ name: 'service peak RSS', measured: `${fmtInt(rss)} MB`, met: rss < TARGETS.rssMb });
  return t;
}

// ---------------------------------------------------------------------------------------------
// Main

async function cleanup() {
  for (const child of children) child.kill('SIGKILL');
  if (postgres?.embedded) {
    await postgres.stop().catch(() => undefined);
    if (!opts?.keep && postgres.dir) rmSync(postgres.dir, { recursive: true, force: true });
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

let opts;
async function main() {
  opts = parseArgs(process.argv.slice(2));
  const scenarios = SCENARIOS.filter((s) => opts.scenarios.includes(s.name));
  const started = Date.now();
  const log = (line) => console.log(line);
  if (!existsSync(join(ROOT, 'dist/src/main.js')))
    throw new Error('dist/src/main.js is missing: run "npm run build" first (npm run bench does).');
  tmp = mkdtempSync(join(os.tmpdir(), 'comment-desk-bench-run-'));

  if (process.env.DATABASE_URL) {
    postgres = { url: process.env.DATABASE_URL, embedded: false };
    log(`PostgreSQL: the server of DATABASE_URL (its own settings apply)`);
  } else {
    const { startEmbeddedPostgres } = requireDist('src/database/embedded-postgres.js');
    const dir = mkdtempSync(join(os.tmpdir(), 'comment-desk-bench-pg-'));
    chmodSync(dir, 0o755); // the server runs as its own user when we are root
    const handle = await startEmbeddedPostgres(dir, { flags: PG_FLAGS.flatMap(([k, v]) => ['-c', `${k}=${v}`]) });
    postgres = { ...handle, dir, embedded: true };
    log(
      `PostgreSQL: embedded, data in ${dir}; ${PG_FLAGS.map(([k, v]) => `${k}=${v}`).join(', ')}; fsync, full_page_writes, synchronous_commit at their defaults (on)`,
    );
  }
  const secret = randomBytes(32).toString('base64url');
  const prefix = postgres.embedded ? 'bench' : `comment_desk_bench_${process.pid}`;
  const report = {
    startedAt: new Date(started).toISOString(),
    options: opts,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    postgres: {},
    sizes: {},
    growth: [],
    targets: [],
  };
  await withClient(postgres.url, async (admin) => {
    report.postgres.version = (await admin.query('SELECT version()')).rows[0].version.split(' on ')[0];
    // The postmaster, when the server runs on this machine: its CPU is counted per request.
    const backend = (await admin.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    postgres.postmasterPid = parentPid(backend);
    const { rows } = await admin.query(`SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)`, [
      [
        'shared_buffers',
        'work_mem',
        'max_connections',
        'fsync',
        'synchronous_commit',
        'full_page_writes',
        'effective_cache_size',
        'max_wal_size',
        'checkpoint_timeout',
      ],
    ]);
    report.postgres.settings = Object.fromEntries(
      rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]),
    );
    for (const size of Object.keys(opts.sizes)) {
      await admin.query(`DROP DATABASE IF EXISTS ${prefix}_${size}`);
      await admin.query(`DROP DATABASE IF EXISTS ${prefix}_${size}_bare`);
      await admin.query(`CREATE DATABASE ${prefix}_${size}`);
    }
  });

  for (const [size, spec] of Object.entries(opts.sizes)) {
    log(
      `Seeding ${size}: ${spec.comments.toLocaleString('en-US')} comments, ${spec.articles.toLocaleString('en-US')} articles, hottest thread ${spec.hot.toLocaleString('en-US')}`,
    );
    const data = await seedDatabase(dbUrl(postgres.url, `${prefix}_${size}`), { ...spec, log });
    log(`  ${describeLine(data)} (${data.seconds.toFixed(1)} s)`);
    if (opts.rateLimits) {
      // Counted, never refused: the load comes from one address and a few thousand readers.
      const never = { limit: 1e9, perSeconds: 60 };
      await withClient(dbUrl(postgres.url, `${prefix}_${size}`), (db) =>
        db.query(`UPDATE moderation_settings SET rate_limits = $1, version = version + 1 WHERE id = 1`, [
          { post: never, edit: never, report: never, address: never },
        ]),
      );
    }
    if (scenarios.some((s) => s.bare)) {
      // The bare server's copy: it keeps no article counts, so it must not write to the checked one.
      await withClient(postgres.url, (admin) =>
        admin.query(`CREATE DATABASE ${prefix}_${size}_bare TEMPLATE ${prefix}_${size} STRATEGY FILE_COPY`),
      );
    }
    report.sizes[size] = { spec, data };
  }

  const sizeNames = Object.keys(opts.sizes);
  for (const size of sizeNames) {
    const url = dbUrl(postgres.url, `${prefix}_${size}`);
    const entry = report.sizes[size];
    const targets = await withClient(url, (db) => pickTargets(db, opts, secret));
    entry.targets = {
      hotArticle: targets.hotArticle,
      hotVisible: targets.hotVisible,
      hotTopLevel: targets.hotTopLevel,
      deepOffset: targets.deepOffset,
      repliesParent: targets.repliesParent,
      repliesCount: targets.repliesCount,
      postArticles: targets.postArticles,
    };
    log(
      `\n== ${size}: hottest thread ${targets.hotVisible.toLocaleString('en-US')} visible comments (${targets.hotTopLevel.toLocaleString('en-US')} listed top-level; deep page after #${targets.deepOffset.toLocaleString('en-US')}); replies page of a comment with ${targets.repliesCount} replies`,
    );
    const explain = size === sizeNames[sizeNames.length - 1];
    entry.capture = await capturePass(url, secret, targets, scenarios, explain, log);
    const profileDir = opts.profile
      ? join(BENCH_DIR, 'results', 'profiles', `${report.startedAt.replace(/[:.]/g, '-')}-${size}`)
      : undefined;
    const bareUrl = scenarios.some((s) => s.bare) ? dbUrl(postgres.url, `${prefix}_${size}_bare`) : undefined;
    const { results, memory } = await measuredPass(url, secret, targets, scenarios, opts, log, profileDir, bareUrl);
    entry.results = results;
    entry.memory = memory;
    if (profileDir) entry.profile = summarizeProfiles(profileDir);
    entry.countersAfter = await withClient(url, (db) => checkCounters(db));
    const { articleMismatches: a, replyMismatches: r } = entry.countersAfter;
    log(
      `  counters after the runs: ${a || r ? `MISMATCH (${a} articles, ${r} reply counts disagree with a recount)` : 'consistent with a recount'}`,
    );
  }

  if (report.sizes.small?.results && report.sizes.large?.results) {
    for (const s of scenarios.filter((x) => x.growth)) {
      const a = report.sizes.small.results.find((r) => r.scenario === s.name);
      const b = report.sizes.large.results.find((r) => r.scenario === s.name);
      for (const system of ['service', 'baseline']) {
        report.growth.push({
          scenario: s.name,
          system,
          rpsSmall: a[system].rps,
          rpsLarge: b[system].rps,
          p50Small: a[system].p50,
          p50Large: b[system].p50,
          p50Growth: b[system].p50 / Math.max(a[system].p50, 0.01),
        });
      }
    }
  }
  report.targets = targetsOf(report);
  report.durationSeconds = (Date.now() - started) / 1000;
  printReport(report, opts);

  mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
  const json = JSON.stringify(report, null, 2);
  writeFileSync(join(BENCH_DIR, 'results', 'latest.json'), json);
  writeFileSync(join(BENCH_DIR, 'results', `${report.startedAt.replace(/[:.]/g, '-')}.json`), json);
  if (opts.out) writeFileSync(opts.out, json);
  console.log(`\nWrote bench/results/latest.json. Total ${(report.durationSeconds / 60).toFixed(1)} min.`);

  if (!postgres.embedded && !opts.keep) {
    await withClient(postgres.url, async (admin) => {
      for (const size of sizeNames) {
        await admin.query(`DROP DATABASE IF EXISTS ${prefix}_${size} WITH (FORCE)`);
        await admin.query(`DROP DATABASE IF EXISTS ${prefix}_${size}_bare WITH (FORCE)`);
      }
    });
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

// `--live` is its own benchmark: readers holding event streams (bench/live.mjs); so is the
// `deliveries` scenario: posting while webhooks and emails go out (bench/deliveries.mjs).
const named = process.argv[process.argv.indexOf('--scenarios') + 1];
if (process.argv.includes('--live')) await import('./live.mjs');
else if (process.argv.includes('--scenarios') && named === 'deliveries') await import('./deliveries.mjs');
else
  main()
    .then(() => cleanup())
    .catch(async (error) => {
      console.error(error.stack ?? error);
      await cleanup();
      process.exit(1);
    });
