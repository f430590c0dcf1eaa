// One load run, in a process of its own so that the servers and the sampling process are not
// slowed by the load generator's event loop: a warm-up, then the measured autocannon run.
//
//   node bench/load.mjs config.json   ->   prints the result as JSON on stdout
//
// config: { url, connections, duration, warmup, kind: 'get' | 'post' | 'approve' | 'cli', path?, headers?,
//           tag?, articleIds?, replyParents?, tokens?, ids?, serverPid?, postmasterPid?, otherPids? }; a 'get' with tokens
//           rotates them, one per request. With the pids, the result has the CPU that the measured run cost
//           the server, PostgreSQL, this process and the whole machine (bench/lib/cpu.mjs).
import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { postBody } from './lib/common.mjs';
import { cpuSnapshot } from './lib/cpu.mjs';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let counter = 0;
let exhausted = 0;

function requests() {
  if (cfg.kind === 'get' && !cfg.tokens) return [{ method: 'GET', path: cfg.path, headers: cfg.headers ?? {} }];
  if (cfg.kind === 'get') {
    // Each request as another signed-in reader.
    return [
      {
        setupRequest: (req) => {
          const n = counter++;
          req.method = 'GET';
          req.path = cfg.path;
          req.headers = { authorization: `Bearer ${cfg.tokens[n % cfg.tokens.length]}` };
          return req;
        },
      },
    ];
  }
  if (cfg.kind === 'post') {
    // Each request: another reader, another hot article, a body never posted before; every third
    // a reply to one of the article's first comments.
    return [
      {
        setupRequest: (req) => {
          const n = counter++;
          const articleId = cfg.articleIds[n % cfg.articleIds.length];
          const parents = cfg.replyParents?.[articleId] ?? [];
          const parentId = n % 3 === 2 && parents.length ? parents[Math.floor(n / 3) % parents.length] : undefined;
          req.method = 'POST';
          req.path = `/api/articles/${articleId}/comments`;
          req.headers = {
            'content-type': 'application/json',
            authorization: `Bearer ${cfg.tokens[n % cfg.tokens.length]}`,
          };
          req.body = JSON.stringify({ body: postBody(n, cfg.tag), parentId });
          return req;
        },
      },
    ];
  }
  if (cfg.kind === 'approve') {
    // Each request approves another pending comment, as another moderator.
    return [
      {
        setupRequest: (req) => {
          const n = counter++;
          if (n >= cfg.ids.length) exhausted++;
          req.method = 'POST';
          req.path = `/api/moderation/comments/${cfg.ids[n % cfg.ids.length]}/approve`;
          req.headers = {
            'content-type': 'application/json',
            authorization: `Bearer ${cfg.tokens[n % cfg.tokens.length]}`,
          };
          req.body = '{"expectedStatus":"pending"}';
          return req;
        },
      },
    ];
  }
  if (cfg.kind === 'cli') return undefined;
  throw new Error(`unknown kind ${cfg.kind}`);
}

/**
 * kind 'cli': the same posts as a plain `npx autocannon` sends them, a check on this generator: one
 * reader, one article, top-level posts, a new body each time ([<id>] replaced by autocannon).
 */
function runCli(duration) {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [
    ...['-c', String(cfg.connections), '-d', String(duration), '-t', '20', '-m', 'POST', '-j', '-I'],
    ...['-H', 'content-type=application/json', '-H', `authorization=Bearer ${cfg.tokens[0]}`],
    ...['-b', JSON.stringify({ body: `${postBody(0, 'cli')} [<id>]` })],
    `${cfg.url}/api/articles/${cfg.articleIds[0]}/comments`,
  ];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [bin, ...args], { maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      error ? reject(new Error(`autocannon CLI failed: ${error.message} ${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

function run(duration) {
  if (cfg.kind === 'cli') return runCli(duration);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: cfg.url, connections: cfg.connections, duration, requests: requests(), timeout: 20 },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

if (cfg.warmup > 0) await run(cfg.warmup);
const warmupRequests = counter;
exhausted = 0;
const cpu = cpuSnapshot({ serverPid: cfg.serverPid, postmasterPid: cfg.postmasterPid, otherPids: cfg.otherPids });
const r = await run(cfg.duration);
const used = cpu.since();
const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
process.stdout.write(
  JSON.stringify({
    rps: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    mean: r.latency.mean,
    max: r.latency.max,
    requests: r.requests.total,
    duration: r.duration,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statuses,
    bytesPerSec: r.throughput.average,
    warmupRequests,
    exhausted,
    cpu: used,
  }),
);
