// The floor under one article's fan-out on this machine, without Comment Desk: a bare node:net
// server writes one event (the bytes of a comment.created frame) to N loopback sockets, as a sweep,
// 20 times a second, while a client process holds the N sockets as bench/live-readers.mjs does
// (one in ten reading at once, the rest once a second). Prints how long a sweep takes and the CPU
// of both processes: an event waits for the sweep under way and then for its own turn in the next.
//
//   node bench/fanout-floor.mjs [--readers 19000] [--seconds 10]
import { fork } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { cpuUsage } from 'node:process';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

if (process.argv[2] === 'client') {
  const [, , , port, count] = process.argv;
  let open = 0;
  for (let i = 0; i < Number(count); i++) {
    const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress: `127.0.1.${1 + (i % 250)}` });
    socket.on('connect', () => ++open === Number(count) && process.send({ open }));
    socket.on('error', () => undefined);
    if (i % 10 !== 0) {
      socket.on('data', () => {
        socket.pause();
        setTimeout(() => socket.resume(), 1000);
      });
    } else socket.on('data', () => undefined);
  }
  process.on('message', (m) => m.cpu && process.send({ cpu: process.cpuUsage() }));
} else {
  const readers = arg('readers', 19_000);
  const seconds = arg('seconds', 10);
  const frame = Buffer.from(
    `id: 1234567\nevent: comment.created\ndata: ${JSON.stringify({ id: '0c6f3c0e-6d2e-4d61-9a55-5d5b8c2f1b3a', articleId: '5640486d-aa68-80d6-67b7-6c958820361a', parentId: null, author: { id: 'moderator', name: 'Live desk' }, body: 'Live update 17: the minister has left the building.', status: 'published', moderationReasons: [], rejectionReason: null, replyCount: 0, createdAt: new Date().toISOString(), editedAt: null, deleted: false })}\n\n`,
  );
  const sockets = [];
  const server = createServer((s) => sockets.push(s));
  server.listen(0, '127.0.0.1', () => {
    const client = fork(new URL(import.meta.url).pathname, ['client', String(server.address().port), String(readers)]);
    client.once('message', async () => {
      const sweeps = [];
      const serverCpu = cpuUsage();
      client.send({ cpu: true });
      const clientCpu = await new Promise((r) => client.once('message', (m) => r(m.cpu)));
      const started = Date.now();
      while (Date.now() - started < seconds * 1000) {
        const t0 = performance.now();
        for (const s of sockets) s.write(frame);
        sweeps.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - (performance.now() - t0))));
      }
      const wall = (Date.now() - started) / 1000;
      const s = cpuUsage(serverCpu);
      client.send({ cpu: true });
      const c = await new Promise((r) => client.once('message', (m) => r(m.cpu)));
      sweeps.sort((a, b) => a - b);
      const at = (q) => sweeps[Math.min(sweeps.length - 1, Math.floor(q * sweeps.length))].toFixed(0);
      console.log(`${readers.toLocaleString('en-US')} sockets, ${sweeps.length} sweeps in ${wall.toFixed(1)} s`);
      console.log(
        `sweep ms: p50 ${at(0.5)}, p99 ${at(0.99)}, max ${at(1)}; ${((sweeps[Math.floor(sweeps.length / 2)] * 1000) / readers).toFixed(1)} µs a write`,
      );
      console.log(
        `CPU: writer ${(((s.user + s.system) / 1e6 / wall) * 100).toFixed(0)}% of a core, readers ${(((c.user - clientCpu.user + c.system - clientCpu.system) / 1e6 / wall) * 100).toFixed(0)}%`,
      );
      client.kill();
      server.close();
      for (const x of sockets) x.destroy();
    });
  });
}
