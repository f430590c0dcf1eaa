// node bench/live-heap.mjs [N] [--catch-up]: what an open event stream holds in the heap. Runs the
// production build as `start:prod` does (160 MB old space), opens N readers of one article (1,000 by
// default; with --catch-up they resume from further back than the channel keeps in memory; --keep
// keeps the snapshots), and
// compares two heap snapshots (each taken after a full collection): before and with the N streams
// open. Prints the heap used per stream and the kinds of objects that make it up.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort, nodeFlags, requireDist, ROOT, sleep, waitHealthy } from './lib/common.mjs';

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1000);
const CATCH_UP = process.argv.includes('--catch-up');

/** Self sizes and counts by kind of object ("type:constructor"), from a .heapsnapshot file. */
function census(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byKind = new Map();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt]];
    const name =
      type === 'object' || type === 'closure' || type === 'native' ? snap.strings[snap.nodes[i + nameAt]] : '';
    const kind = `${type}:${name}`.slice(0, 80);
    const size = snap.nodes[i + sizeAt];
    const k = byKind.get(kind) ?? { size: 0, count: 0 };
    k.size += size;
    k.count++;
    byKind.set(kind, k);
    total += size;
  }
  return { byKind, total };
}

async function main() {
  const diag = mkdtempSync(join(os.tmpdir(), 'live-heap-'));
  const dbDir = mkdtempSync(join(os.tmpdir(), 'live-heap-db-'));
  chmodSync(dbDir, 0o755);
  const { startEmbeddedPostgres } = requireDist('src/database/embedded-postgres.js');
  const db = await startEmbeddedPostgres(dbDir, { flags: ['-c', 'max_connections=100'] });
  const port = await freePort();
  const service = spawn(
    process.execPath,
    [...nodeFlags('src/main.js'), '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${diag}`, 'dist/src/main.js'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        PORT: String(port),
        RATE_LIMITS: 'off',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const sockets = [];
  try {
    await waitHealthy(`http://127.0.0.1:${port}`);
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    const { rows } = await client.query(
      `INSERT INTO articles (url, title, moderation_mode, disclaimer_text) VALUES ('https://news.example/heap', 'Heap', 'post', '') RETURNING id`,
    );
    const articleId = rows[0].id;
    const addEvents = (count) =>
      client.query(
        `WITH bumped AS (UPDATE articles SET thread_version = thread_version + $2 WHERE id = $1 RETURNING thread_version - $2 AS first),
         events AS (INSERT INTO thread_events (article_id, version, type, payload)
           SELECT $1, first + n, 'comment.edited', jsonb_build_object('id', $1::text, 'n', n, 'body', repeat('x', 300))
           FROM bumped, generate_series(1, $2) AS n)
         SELECT pg_notify('thread_events', $1::text)`,
        [articleId, count],
      );
    const open = (count, lastEventId) =>
      Promise.all(
        Array.from(
          { length: count },
          (_, k) =>
            new Promise((resolve, reject) => {
              const socket = connect({
                host: '127.0.0.1',
                port,
                localAddress: `127.0.${1 + Math.floor(k / 250)}.${1 + (k % 250)}`,
              });
              let head = '';
              socket.on('connect', () =>
                socket.write(
                  `GET /api/articles/${articleId}/comments/stream HTTP/1.1\r\nHost: heap\r\n${lastEventId ? `Last-Event-ID: ${lastEventId}\r\n` : ''}\r\n`,
                ),
              );
              socket.on('data', (chunk) => {
                if (head === null) return;
                head += chunk.toString('latin1');
                if (!head.includes('\r\n\r\n')) return;
                if (!head.startsWith('HTTP/1.1 200')) return reject(new Error(head.split('\r\n')[0]));
                head = null;
                resolve();
              });
              socket.on('error', reject);
              sockets.push(socket);
            }),
        ),
      );
    const snapshot = async (label) => {
      const before = new Set(readdirSync(diag));
      service.kill('SIGUSR2');
      for (;;) {
        await sleep(500);
        const file = readdirSync(diag).find((f) => !before.has(f));
        if (!file) continue;
        const size = statSync(join(diag, file)).size;
        await sleep(1000);
        if (statSync(join(diag, file)).size === size && size > 0) {
          await waitHealthy(`http://127.0.0.1:${port}`);
          console.log(`${label}: ${file}, ${(size / 2 ** 20).toFixed(0)} MB`);
          return join(diag, file);
        }
      }
    };
    await open(10); // the channel, its reads and the code paths of a stream, warmed up
    await addEvents(CATCH_UP ? 400 : 5);
    await sleep(1000);
    const a = census(await snapshot('before'));
    await open(N, CATCH_UP ? '3' : undefined);
    await addEvents(5);
    await sleep(3000);
    const b = census(await snapshot(`with ${N} more streams`));
    console.log(`\nheap per stream: ${((b.total - a.total) / N).toFixed(0)} bytes (${N} streams)\n`);
    const rowsOut = [...b.byKind]
      .map(([kind, { size, count }]) => {
        const old = a.byKind.get(kind) ?? { size: 0, count: 0 };
        return { kind, perStream: (size - old.size) / N, countPerStream: (count - old.count) / N };
      })
      .filter((r) => Math.abs(r.perStream) >= 8)
      .sort((x, y) => y.perStream - x.perStream);
    for (const r of rowsOut.slice(0, 40))
      console.log(`${r.perStream.toFixed(0).padStart(7)} B  ${r.countPerStream.toFixed(2).padStart(6)}×  ${r.kind}`);
    await client.end();
  } finally {
    for (const s of sockets) s.destroy();
    service.kill('SIGKILL');
    await db.stop();
    rmSync(dbDir, { recursive: true, force: true });
    if (process.argv.includes('--keep')) console.log(`snapshots kept in ${diag}`);
    else rmSync(diag, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
