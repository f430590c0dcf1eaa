// Heap per open stream in the real service: bootstraps dist in-process, opens N streams from a child.
process.env.LIVE_MAX_CONNECTIONS = '50000';
const { fork } = require('child_process');
(async () => {
  const { bootstrap } = require('/work/main/dist/src/main');
  const app = await bootstrap();
  const port = process.env.PORT;
  const mod = require('jsonwebtoken').sign({ sub: 'm', role: 'moderator' }, process.env.JWT_SECRET);
  const res = await fetch(`http://127.0.0.1:${port}/api/articles`, { method: 'POST', headers: { authorization: `Bearer ${mod}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://x.example/' + Date.now(), title: 't' }) });
  const { id } = await res.json();
  const measure = () => { gc(); gc(); return process.memoryUsage().heapUsed / 1e6; };
  const before = measure();
  const N = +process.argv[2] || 4000;
  const child = fork('/work/main/bench/live-readers.mjs', [JSON.stringify({ port: +port, paths: [`/api/articles/${id}/comments/stream`], count: N, perSecond: 2000, sourceBase: 40 })], { stdio: 'ignore' });
  let p = {};
  child.on('message', (m) => m.progress && (p = m.progress));
  while ((p.connected ?? 0) < N) await new Promise((r) => setTimeout(r, 300));
  await new Promise((r) => setTimeout(r, 1000));
  const after = measure();
  console.log(`streams ${N}: heap before ${before.toFixed(1)} MB, after ${after.toFixed(1)} MB, per stream ${((after - before) * 1e6 / N / 1024).toFixed(2)} KiB`);
  child.kill();
  process.exit(0);
})();
