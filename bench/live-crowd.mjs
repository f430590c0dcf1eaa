// The crowd scenarios of `npm run bench -- --live`, each against the production build as
// `start:prod` runs it (V8 heap capped at 160 MB), readers in one client process
// (bench/live-crowd-readers.mjs) that retry as the embed does:
// --burst N: N readers on one article connect in the same second. The instance must stay up,
//   answer /api/health throughout, and serve everyone, refusing with 503 + Retry-After meanwhile.
// --reconnect-storm N: two instances, N readers on each, a moderator posting; one instance gets
//   SIGTERM and its readers reconnect to the other with Last-Event-ID. No instance may die, no
//   resumed reader may miss an event, and the survivor's RSS must stay under 400 MB.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { BENCH_DIR, freePort, sleep, startService, table } from './lib/common.mjs';

const rssMb = (pid) => {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0; // it has exited
  }
};
/** CPU seconds (user and system) a process has used so far. */
const cpuSeconds = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The readers' process, and a way to ask it how things stand. */
function crowd(children, path) {
  const child = fork(join(BENCH_DIR, 'live-crowd-readers.mjs'), [JSON.stringify({ path, sourceBase: 10 })]);
  children.add(child);
  const report = (extra = {}) =>
    new Promise((resolve) => {
      const on = (m) => m.readers !== undefined && (child.off('message', on), resolve(m));
      child.on('message', on);
      child.send({ report: extra });
    });
  return { child, report, open: (port, count, reconnectPort) => child.send({ open: { port, count, reconnectPort } }) };
}

/** Health answers and their worst latency while `run` runs; RSS of `pids` sampled meanwhile. */
async function watching(base, pids, run) {
  const health = { ok: 0, failed: 0, worstMs: 0 };
  const peaks = pids.map(() => 0);
  let stop = false;
  const checker = (async () => {
    while (!stop) {
      const started = Date.now();
      try {
        const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(10_000) });
        res.ok ? health.ok++ : health.failed++;
      } catch {
        health.failed++;
      }
      health.worstMs = Math.max(health.worstMs, Date.now() - started);
      await sleep(250);
    }
  })();
  const sampler = setInterval(() => pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i], rssMb(pid)))), 250);
  try {
    return { result: await run(), health, peaks };
  } finally {
    stop = true;
    clearInterval(sampler);
    await checker;
  }
}

function poster(base, articleId, secret, rate) {
  const token = jwt.sign({ sub: 'bench-live-mod', name: 'Live desk', role: 'moderator' }, secret, { expiresIn: '1h' });
  let posted = 0;
  let failed = 0;
  const timer = setInterval(() => {
    const k = ++posted;
    fetch(`${base()}/api/articles/${articleId}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: `Live update ${k}: ${randomBytes(24).toString('hex')}` }),
    }).then(
      (r) => r.ok || failed++,
      () => failed++,
    );
  }, 1000 / rate);
  return { stop: () => clearInterval(timer), counts: () => ({ posted, failed }) };
}

async function lastVersion(url, articleId) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return Number(
      (await db.query('SELECT thread_version FROM articles WHERE id = $1', [articleId])).rows[0].thread_version,
    );
  } finally {
    await db.end();
  }
}

/** Polls `check` every half second until it answers, or `ms` have passed; says how it goes every 10 s. */
async function until(what, ms, check, progress) {
  const started = Date.now();
  let said = started;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ms) return undefined;
    if (progress && Date.now() - said >= 10_000) {
      said = Date.now();
      console.log(`  ${((said - started) / 1000).toFixed(0)} s, ${what}: ${await progress()}`);
    }
    await sleep(500);
  }
}

/** What the service says of its streams, for the progress lines. */
async function streamsNow(base) {
  try {
    const text = await (await fetch(`${base}/api/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const m = (name) =>
      /^(\S+) (\S+)$/m.exec(
        text
          .split('\n')
          .filter((l) => l.startsWith(name))
          .join('\n'),
      )?.[2];
    return `streams ${m('comment_desk_live_streams{kind="thread"}')}, refused ${m('comment_desk_live_connections_refused_total')} (memory ${m('comment_desk_live_connections_refused_memory_total')}), events sent ${m('comment_desk_live_events_sent_total')}, heap ${m('nodejs_heap_size_used_bytes') ? (Number(m('nodejs_heap_size_used_bytes')) / 2 ** 20).toFixed(0) + ' MB' : '?'}`;
  } catch (error) {
    return `metrics: ${error.message}`;
  }
}

export async function burst(ctx, articleId, children, { readers, deadlineSeconds = 300 }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = await startService(port, { DATABASE_URL: ctx.url, JWT_SECRET: ctx.secret });
  children.add(service);
  console.log(`\n## burst: ${fmt(readers)} readers on one article, all in the same second (load ${load()})`);
  console.log('(an error: a connection closed without an answer, which the reader retries after 1 s)');
  const client = crowd(children, `/api/articles/${articleId}/comments/stream`);
  const started = Date.now();
  const { result, health, peaks } = await watching(base, [service.pid], async () => {
    client.open(port, readers);
    let last;
    const all = await until(
      'everyone served',
      deadlineSeconds * 1000,
      async () => {
        last = await client.report();
        return last.served >= readers && last;
      },
      async () =>
        `served ${fmt(last.served)}, open ${fmt(last.openByPort[port] ?? 0)}, 503s ${fmt(last.refusals)}, errors ${fmt(last.errors)}; ${await streamsNow(base)}`,
    );
    const allSeconds = (Date.now() - started) / 1000;
    // Then the crowd is live: a few posts reach every one of them.
    const posts = poster(() => base, articleId, ctx.secret, 5);
    await sleep(4000);
    posts.stop();
    const version = await lastVersion(ctx.url, articleId);
    let behind;
    const caughtUp = await until(
      `every reader has the last post (${version})`,
      20_000,
      async () => {
        behind = await client.report({ lastId: version });
        return behind.behind === 0 && behind;
      },
      async () =>
        `${fmt(behind.behind)} behind, ${fmt(behind.silent)} open with no event yet; ${await streamsNow(base)}`,
    );
    return { all, allSeconds, final: caughtUp ?? (await client.report({ lastId: version })), posts: posts.counts() };
  });
  const cpu = cpuSeconds(service.pid);
  const metrics = await fetch(`${base}/api/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const metric = (name) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN);
  const alive = service.exitCode === null && service.signalCode === null;
  const f = result.final;
  const row = {
    readers,
    served: f.served,
    refusals: f.refusals,
    refusedReaders: f.refusedReaders,
    refusedForMemory: metric('comment_desk_live_connections_refused_memory_total'),
    errors: f.errors,
    maxAttempts: f.maxAttempts,
    allServedSeconds: result.all ? result.allSeconds : null,
    servedAfterP50: f.servedAfterP50,
    servedAfterMax: f.servedAfterMax,
    lastPostEverywhere: f.behind === 0,
    health,
    peakRss: peaks[0],
    serviceCpuSeconds: cpu,
    alive,
  };
  console.log(
    table(
      [
        'served',
        '503s',
        'readers told to retry',
        'of them for memory',
        'errors',
        'most tries',
        'all served after',
        'health ok/failed, worst',
        'every reader has the last post',
        'peak RSS',
        'service CPU',
        'instance',
      ],
      [
        [
          `${fmt(f.served)} of ${fmt(readers)}`,
          fmt(f.refusals),
          fmt(f.refusedReaders),
          fmt(row.refusedForMemory),
          fmt(f.errors),
          f.maxAttempts,
          result.all ? `${result.allSeconds.toFixed(1)} s` : 'NOT within the deadline',
          `${health.ok}/${health.failed}, ${health.worstMs} ms`,
          f.behind === 0 ? 'yes' : `no: ${fmt(f.behind)} behind`,
          `${peaks[0].toFixed(0)} MB`,
          `${cpu.toFixed(1)} s`,
          alive ? 'up' : `DIED (${service.exitCode ?? service.signalCode})`,
        ],
      ],
    ),
  );
  client.child.send({ exit: true });
  service.kill('SIGTERM');
  await new Promise((r) => (service.exitCode !== null || service.signalCode !== null ? r() : service.once('exit', r)));
  return row;
}

export async function reconnectStorm(ctx, articleId, children, { readers, rate = 10, deadlineSeconds = 300 }) {
  const [portA, portB] = [await freePort(), await freePort()];
  const env = { DATABASE_URL: ctx.url, JWT_SECRET: ctx.secret };
  const a = await startService(portA, env);
  children.add(a);
  const b = await startService(portB, env);
  children.add(b);
  const baseB = `http://127.0.0.1:${portB}`;
  console.log(`\n## reconnect storm: ${fmt(readers)} readers on each of two instances, one drained (load ${load()})`);
  const client = crowd(children, `/api/articles/${articleId}/comments/stream`);
  let aExit;
  a.once('exit', (code, signal) => (aExit = { code, signal }));
  const { result, health, peaks } = await watching(baseB, [a.pid, b.pid], async () => {
    client.open(portA, readers, portB);
    client.open(portB, readers, portB);
    let last;
    const progress = async () =>
      `open on the survivor ${fmt(last.openByPort[portB] ?? 0)}, on the other ${fmt(last.openByPort[portA] ?? 0)}, 503s ${fmt(last.refusals)}, errors ${fmt(last.errors)}; ${await streamsNow(baseB)}`;
    const settled = await until(
      'everyone served',
      deadlineSeconds * 1000,
      async () => {
        last = await client.report();
        return last.served >= 2 * readers && last;
      },
      progress,
    );
    if (!settled) return { settled: false };
    let target = portA;
    const posts = poster(() => `http://127.0.0.1:${target}`, articleId, ctx.secret, rate);
    await sleep(5000);
    const drainedAt = Date.now();
    target = portB;
    a.kill('SIGTERM');
    const moved = await until(
      'every reader on the survivor',
      deadlineSeconds * 1000,
      async () => {
        last = await client.report();
        return (last.openByPort[portB] ?? 0) >= 2 * readers && last;
      },
      progress,
    );
    const movedSeconds = (Date.now() - drainedAt) / 1000;
    await sleep(5000);
    posts.stop();
    const version = await lastVersion(ctx.url, articleId);
    const final =
      (await until('every reader has the last post', 20_000, async () => {
        const r = await client.report({ lastId: version });
        return r.behind === 0 && r;
      })) ?? (await client.report({ lastId: version }));
    return { settled: true, moved: !!moved, movedSeconds, final, posts: posts.counts() };
  });
  const bAlive = b.exitCode === null && b.signalCode === null;
  const f = result.final ?? {};
  const row = {
    readers,
    moved: result.moved,
    movedSeconds: result.movedSeconds,
    resumedReaders: f.resumedReaders,
    resumedWithGaps: f.resumedWithGaps,
    gaps: f.gaps,
    behind: f.behind,
    refusals: f.refusals,
    posts: result.posts,
    drainedExit: aExit,
    survivorAlive: bAlive,
    peakRssDrained: peaks[0],
    peakRssSurvivor: peaks[1],
    health,
  };
  console.log(
    table(
      [
        'resumed on the survivor',
        'all moved after',
        'resumed readers with a missed event',
        'behind at the end',
        '503s meanwhile',
        'posts ok',
        'drained instance',
        'survivor',
        'survivor peak RSS',
        'survivor health ok/failed, worst',
      ],
      [
        [
          fmt(f.resumedReaders ?? 0),
          result.moved ? `${result.movedSeconds.toFixed(1)} s` : 'NOT within the deadline',
          fmt(f.resumedWithGaps ?? NaN),
          fmt(f.behind ?? NaN),
          fmt(f.refusals ?? NaN),
          result.posts ? `${fmt(result.posts.posted - result.posts.failed)} of ${fmt(result.posts.posted)}` : '-',
          aExit ? `exited ${aExit.code ?? aExit.signal}` : 'still running',
          bAlive ? 'up' : `DIED (${b.exitCode ?? b.signalCode})`,
          `${peaks[1].toFixed(0)} MB`,
          `${health.ok}/${health.failed}, ${health.worstMs} ms`,
        ],
      ],
    ),
  );
  client.child.send({ exit: true });
  for (const s of [a, b]) if (s.exitCode === null && s.signalCode === null) s.kill('SIGTERM');
  await Promise.all(
    [a, b].map((s) => new Promise((r) => (s.exitCode !== null || s.signalCode !== null ? r() : s.once('exit', r)))),
  );
  return row;
}
