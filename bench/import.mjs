// The import and export benchmark: generates a Disqus export, imports it twice with the compiled
// CLI (the second run imports nothing), exports the result, and prints comments a second and
// each process's peak RSS. Not part of npm test: `npm run bench:import` (builds first).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { DIST, fmtInt, nodeFlags, requireDist, SENTENCES, table } from './lib/common.mjs';

const USAGE = `node bench/import.mjs [--comments N] [--keep]
  --comments N   comments in the generated Disqus export (default 1,000,000)
  --keep         keep the generated file and the PostgreSQL data folder`;
const TARGETS = { importRate: 20_000, importRssMb: 300, exportRate: 50_000 };
const PG_FLAGS = [
  ['shared_buffers', '256MB'],
  ['work_mem', '16MB'],
  ['maintenance_work_mem', '512MB'],
  ['max_wal_size', '4GB'],
  ['checkpoint_timeout', '30min'],
];

function parseArgs(argv) {
  const opts = { comments: 1_000_000, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--comments') opts.comments = Number(argv[++i]);
    else if (argv[i] === '--keep') opts.keep = true;
    else {
      console.log(USAGE);
      process.exit(argv[i] === '--help' ? 0 : 2);
    }
  }
  return opts;
}

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * A Disqus export of `n` posts: one thread per 40 posts (long-tailed: every tenth thread gets
 * ten times its share), a third of posts are replies to an earlier post of their thread, 1% spam,
 * 1% deleted; 50,000 commenters, one post in twenty by a guest; 19-digit ids.
 */
export async function generate(file, n) {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const threads = Math.max(1, Math.floor(n / 40));
  await write(
    `<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n`,
  );
  let chunk = '';
  for (let t = 0; t < threads; t++) {
    chunk +=
      `<thread dsq:id="${7_000_000_000 + t}"><link>https://news.example/${2000 + (t % 25)}/story-${t}</link>` +
      `<title>Story number ${t} &amp; more</title><createdAt>2019-01-01T00:00:00Z</createdAt>` +
      `<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  const lastInThread = new Int32Array(threads).fill(-1);
  const base = 9_000_000_000_000_000_000n;
  let h = 0x9e3779b9;
  const rand = () => (h = (Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + 0x297a2d39) >>> 0);
  const start = Date.parse('2019-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    const r = rand();
    const thread = r % 10 === 0 ? rand() % Math.max(1, Math.floor(threads / 10)) : rand() % threads;
    const reply = rand() % 3 === 0 && lastInThread[thread] >= 0;
    const user = rand() % 50_000;
    const guest = rand() % 20 === 0;
    const body = `${SENTENCES[rand() % SENTENCES.length]} ${SENTENCES[rand() % SENTENCES.length]}`;
    chunk +=
      `<post dsq:id="${base + BigInt(i)}"><id/><message><![CDATA[<p>${escapeXml(body)} &amp; #${i}</p>]]></message>` +
      `<createdAt>${new Date(start + i * 1000).toISOString().replace('.000', '')}</createdAt>` +
      `<isDeleted>${i % 100 === 7}</isDeleted><isSpam>${i % 100 === 13}</isSpam>` +
      `<author><email>u${user}@mail.example</email><name>Reader ${user}</name>` +
      (guest
        ? `<isAnonymous>true</isAnonymous>`
        : `<isAnonymous>false</isAnonymous><username>reader${user}</username>`) +
      `</author><ipAddress>198.51.100.${user % 250}</ipAddress><thread dsq:id="${7_000_000_000 + thread}"/>` +
      (reply ? `<parent dsq:id="${base + BigInt(lastInThread[thread])}"/>` : '') +
      `</post>\n`;
    lastInThread[thread] = i;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk + '</disqus>\n');
  out.end();
  await once(out, 'finish');
}

/** Runs a compiled CLI as its npm script does; its wall time, output and peak RSS (VmHWM, sampled every 100 ms). */
async function run(script, args, env) {
  const started = Date.now();
  const child = spawn(process.execPath, [...nodeFlags(script), join(DIST, script), ...args], {
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  let peakKb = 0;
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // exited
    }
  };
  const timer = setInterval(sample, 100);
  const [code] = await once(child, 'exit');
  clearInterval(timer);
  const seconds = (Date.now() - started) / 1000;
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited ${code}:\n${stderr}\n${stdout}`);
  return { seconds, stdout, stderr, peakMb: peakKb / 1024 };
}

const figure = (stdout, label) => Number(new RegExp(`^${label}\\s+([\\d.]+)$`, 'm').exec(stdout)?.[1] ?? NaN);
/** Where an import's time went, from its summary: reading the file, writing comments, recounting. */
const phases = (stdout) =>
  ['reading the file', 'writing comments', 'recounting']
    .map((p) => figure(stdout, `seconds ${p}`).toFixed(1))
    .join(' / ');

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(join(os.tmpdir(), 'comment-desk-bench-import-'));
  chmodSync(tmp, 0o755);
  const { startEmbeddedPostgres } = requireDist('src/database/embedded-postgres.js');
  const server = await startEmbeddedPostgres(join(tmp, 'pg-home'), {
    flags: PG_FLAGS.flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  });
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench_import');
    await admin.end();
    const url = new URL(server.url);
    url.pathname = '/bench_import';
    const env = { DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' };

    const file = join(tmp, 'disqus.xml');
    let t = Date.now();
    await generate(file, opts.comments);
    const size = statSync(file).size;
    console.log(
      `Generated ${fmtInt(opts.comments)} posts, ${fmtInt(size / 1e6)} MB, in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    const rows = [];
    const results = {};
    for (const name of ['first import', 'second import (same file)']) {
      const r = await run('src/imports/import-cli.js', ['--format', 'disqus', file], env);
      const read = figure(r.stdout, 'comments read');
      const imported = figure(r.stdout, 'comments imported');
      results[name] = { ...r, read, imported, rate: read / r.seconds };
      rows.push([
        name,
        fmtInt(read),
        fmtInt(imported),
        r.seconds.toFixed(1),
        phases(r.stdout),
        fmtInt(read / r.seconds),
        fmtInt(r.peakMb),
      ]);
    }
    const exportFile = join(tmp, 'export.ndjson');
    t = Date.now();
    const e = await run('src/exports/export-cli.js', [exportFile], env);
    const exported = Number(/^Exported (\d+) comments/.exec(e.stderr)?.[1] ?? NaN);
    rows.push([
      'export',
      fmtInt(exported),
      '',
      e.seconds.toFixed(1),
      '',
      fmtInt(exported / e.seconds),
      fmtInt(e.peakMb),
    ]);

    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const { rows: mismatch } = await db.query(
      `SELECT count(*)::int AS n FROM articles a WHERE a.count_visible <> (SELECT count(*) FROM comments c
         WHERE c.article_id = a.id AND c.deleted_at IS NULL AND c.status IN ('published', 'approved'))`,
    );
    await db.end();

    console.log('');
    console.log(
      table(
        ['run', 'comments read', 'imported', 'seconds', 'read / write / recount s', 'comments/s', 'peak RSS MB'],
        rows,
      ),
    );
    console.log(
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')} (${os.cpus().length} cores)`,
    );
    console.log('');
    const first = results['first import'];
    const second = results['second import (same file)'];
    const checks = [
      ['import >= 20,000 comments/s (first run)', first.rate >= TARGETS.importRate],
      ['import >= 20,000 comments/s (second run)', second.rate >= TARGETS.importRate],
      ['import peak RSS < 300 MB (both runs)', Math.max(first.peakMb, second.peakMb) < TARGETS.importRssMb],
      ['second run imports nothing', second.imported === 0],
      ['export >= 50,000 comments/s', exported / e.seconds >= TARGETS.exportRate],
      ['visible counts equal a recount', mismatch[0].n === 0],
    ];
    for (const [name, met] of checks) console.log(`${met ? 'met    ' : 'MISSED '} ${name}`);
  } finally {
    await server.stop().catch(() => undefined);
    if (!opts.keep) rmSync(tmp, { recursive: true, force: true });
    else console.log(`Kept ${tmp}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
