// The delivery benchmark: how fast readers post while webhooks and reply emails go out, against
// the same posts with deliveries off, and how long the deliveries take to arrive whole.
// `npm run bench:deliveries` (builds first); `npm run bench -- --scenarios deliveries` runs it too.
//
// On one seeded database (10,000 comments), twice, with the service started afresh each time:
//   off: DELIVERIES=off; 1,000 readers each post a comment (setup), then the measured run:
//        10,000 posts, 1,000 of them replies to those readers' comments (one each);
//   on:  the same, with a webhook endpoint for every posted comment and the 1,000 readers asking
//        for reply emails, so the run makes 10,000 webhooks (and the setup 1,000 more) and 1,000
//        reply emails. The receivers (bench/delivery-peers.mjs) verify every signature and count
//        distinct webhook-ids and Message-IDs.
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import pg from 'pg';
import { BENCH_DIR, fmtInt, fmtMs, freePort, postBody, require, startService, table } from './lib/common.mjs';
import { startSeededDatabase } from './seed.mjs';

const jwt = require('jsonwebtoken');

const USAGE = `node bench/deliveries.mjs [--posts N] [--readers N] [--connections N]
  --posts N        posts in the measured run (default 10,000)
  --readers N      readers who ask for reply emails, each answered once in the run (default 1,000)
  --connections N  concurrent posting connections (default 32)`;
const TARGET_RATIO = 0.9;
const DELIVERY_DEADLINE_MS = 10 * 60_000;

function parseArgs(argv) {
  const opts = { posts: 10_000, readers: 1_000, connections: 32 };
  for (let i = 0; i < argv.length; i++) {
    const key = { '--posts': 'posts', '--readers': 'readers', '--connections': 'connections' }[argv[i]];
    if (key) opts[key] = Number(argv[++i]);
    else if (argv[i] === '--scenarios' && argv[i + 1] === 'deliveries')
      i++; // (from npm run bench)
    else {
      console.log(USAGE);
      process.exit(argv[i] === '--help' ? 0 : 2);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const SECRET = 'bench-deliveries-secret-long-enough';
const sign = (sub, role = 'commenter', extra = {}) =>
  jwt.sign({ sub, role, name: `Reader ${sub}`, ...extra }, SECRET, { expiresIn: '2h' });
const readerToken = (n) =>
  sign(`mail-reader-${n}`, 'commenter', { email: `reader-${n}@bench.example`, email_verified: true });
const posterToken = (n) => sign(`poster-${n % 2000}`);
const admin = sign('bench-admin', 'admin');

async function api(origin, method, path, token, body) {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Posts `requests` ({ path, token, body }) over `connections`, each once; answers autocannon's result. */
function post(origin, requests, connections) {
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections,
        amount: requests.length,
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const r = requests[next++ % requests.length];
              req.method = 'POST';
              req.path = r.path;
              req.headers = { 'content-type': 'application/json', authorization: `Bearer ${r.token}` };
              req.body = JSON.stringify(r.body);
              return req;
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

async function pollUntil(label, check, ms = DELIVERY_DEADLINE_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${label}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function phase(name, db, peers, deliveries) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: db.url,
    JWT_SECRET: SECRET,
    DELIVERIES: deliveries ? 'on' : 'off',
    ...(deliveries
      ? {
          SMTP_URL: `smtp://127.0.0.1:${peers.smtpPort}`,
          DELIVERY_ALLOW_LOOPBACK: 'on',
          MAIL_FROM: 'Bench <bench@bench.example>',
        }
      : {}),
  };
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  // Each phase starts from an empty outbox (what the last one left is not this one's to deliver).
  await client.query('TRUNCATE outbox_events');
  const service = await startService(port, env);
  try {
    const articles = (
      await client.query(
        `SELECT id FROM articles WHERE closed_at IS NULL AND moderation_mode = 'post' ORDER BY count_visible DESC, id LIMIT 10`,
      )
    ).rows.map((r) => r.id);
    let webhooksBefore = 0;
    if (deliveries) {
      const endpoint = await api(origin, 'POST', '/api/admin/webhooks', admin, {
        url: `http://127.0.0.1:${peers.webhookPort}/hooks`,
        description: 'bench receiver',
        events: ['comment.posted'],
      });
      peers.send({ secret: endpoint.secret });
      for (let n = 0; n < opts.readers; n++)
        await api(origin, 'PUT', '/api/me/notifications', readerToken(n), {
          replies: true,
          approved: false,
          rejected: false,
          frequency: 'immediate',
        });
    }
    // Setup: each mail reader's comment, to be answered in the run.
    const parents = [];
    for (let n = 0; n < opts.readers; n++) {
      const made = await api(
        origin,
        'POST',
        `/api/articles/${articles[n % articles.length]}/comments`,
        readerToken(n),
        {
          body: `A comment to be answered (${name} ${n})`,
        },
      );
      parents.push({ id: made.id, article: articles[n % articles.length] });
    }
    if (deliveries) {
      await pollUntil('the setup delivered', async () => (await peers.counts()).webhooks >= opts.readers);
      webhooksBefore = (await peers.counts()).webhooks;
    }
    const emailsBefore = deliveries ? (await peers.counts()).emails : 0;

    const started0 = Date.now();
    const requests = Array.from({ length: opts.posts }, (_, n) => {
      // Every tenth post answers a mail reader (each once), the rest open new threads of talk.
      const parent = n % 10 === 0 && n / 10 < parents.length ? parents[n / 10] : undefined;
      const article = parent?.article ?? articles[n % articles.length];
      return {
        path: `/api/articles/${article}/comments`,
        token: posterToken(n),
        // (Replies never trip the rules, so each one is visible and makes its email.)
        body: parent
          ? { body: `An answer to reader ${n / 10} (${name} ${started0})`, parentId: parent.id }
          : { body: postBody(n, `${name}-${started0}`) },
      };
    });
    const started = Date.now();
    const result = await post(origin, requests, opts.connections);
    const postedMs = Date.now() - started;
    const row = {
      phase: name,
      rps: result.requests.total / (postedMs / 1000),
      p50: result.latency.p50,
      p99: result.latency.p99,
      created: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
    };
    if (deliveries) {
      const expected = {
        webhooks: webhooksBefore + row.created,
        emails: emailsBefore + Math.min(opts.readers, Math.ceil(opts.posts / 10)),
      };
      let webhooksAt;
      let emailsAt;
      await pollUntil('every delivery arrived', async () => {
        const c = await peers.counts();
        if (!webhooksAt && c.webhooks >= expected.webhooks) webhooksAt = Date.now();
        if (!emailsAt && c.emails >= expected.emails) emailsAt = Date.now();
        return webhooksAt && emailsAt;
      });
      const c = await peers.counts();
      Object.assign(row, {
        webhooks: c.webhooks - webhooksBefore,
        webhooksSeconds: (webhooksAt - started) / 1000,
        emails: c.emails - emailsBefore,
        emailsSeconds: (emailsAt - started) / 1000,
        duplicates: c.duplicates,
        badSignatures: c.badSignatures,
      });
    }
    return row;
  } finally {
    service.kill('SIGTERM');
    await once(service, 'exit');
    await client.end();
  }
}

function startPeers() {
  const child = fork(join(BENCH_DIR, 'delivery-peers.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => {
    child.once('message', ({ ready }) => {
      const pending = [];
      child.on('message', (m) => m.counts && pending.shift()?.(m.counts));
      resolve({
        ...ready,
        send: (m) => child.send(m),
        counts: () => new Promise((done) => (pending.push(done), child.send({ count: true }))),
        stop: () => child.disconnect(),
      });
    });
  });
}

const db = await startSeededDatabase({ name: 'deliveries', comments: 10_000, log: (m) => console.log(m) });
const peers = await startPeers();
try {
  console.log(`Posting ${fmtInt(opts.posts)} comments over ${opts.connections} connections, deliveries off, then on…`);
  const off = await phase('off', db, peers, false);
  const on = await phase('on', db, peers, true);
  const ratio = on.rps / off.rps;
  console.log();
  console.log(
    table(
      ['deliveries', 'posts/s', 'p50 ms', 'p99 ms', 'created', 'non-2xx'],
      [off, on].map((r) => [r.phase, fmtInt(r.rps), fmtMs(r.p50), fmtMs(r.p99), fmtInt(r.created), fmtInt(r.non2xx)]),
    ),
  );
  console.log();
  console.log(
    table(
      [
        'delivered',
        'count',
        'all arrived after (from the first post)',
        'duplicates (dropped by webhook-id)',
        'bad signatures',
      ],
      [
        [
          'webhooks',
          fmtInt(on.webhooks),
          `${on.webhooksSeconds.toFixed(1)} s`,
          fmtInt(on.duplicates),
          fmtInt(on.badSignatures),
        ],
        ['reply emails', fmtInt(on.emails), `${on.emailsSeconds.toFixed(1)} s`, '', ''],
      ],
    ),
  );
  console.log();
  console.log(
    `posting with deliveries going out: ${ratio.toFixed(2)}x the rate with deliveries off (target >= ${TARGET_RATIO}): ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`,
  );
} finally {
  peers.stop();
  await db.stop();
}
