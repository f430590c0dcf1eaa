// One process of readers for `npm run bench -- --live`: opens its share of event streams over raw
// sockets (from its own loopback addresses, so that ports never run out), in waves. One reader in
// `sample` notes when each comment arrives (by the number in its body); the others
// read what arrived once a second (the kernel keeps it meanwhile, far below what the service
// counts as a slow reader), so that the generator's two cores go to the measured readers.
// Talks to bench/live.mjs by IPC.
import { connect } from 'node:net';

const { port, paths, count, perSecond, sourceBase, sample } = JSON.parse(process.argv[2]);
/** Arrival times of each post (by its number), over the measured readers. */
let arrivals = new Map();
const MARK = Buffer.from('"body": "Live update '); // as PostgreSQL writes jsonb out
let connected = 0;
let sampled = 0;
/** Measured readers connected, per followed path. */
const sampledPerPath = new Array(paths.length).fill(0);
let refused = 0;
let closed = 0;
let events = 0;

function open(i) {
  const socket = connect({
    host: '127.0.0.1',
    port,
    localAddress: `127.0.${sourceBase + Math.floor(i / 20_000)}.${1 + (i % 250)}`,
  });
  const measured = i % sample === 0;
  let headerDone = false;
  let carry = '';
  socket.setNoDelay(true);
  socket.on('connect', () =>
    socket.write(`GET ${paths[i % paths.length]} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n`),
  );
  socket.on('data', (chunk) => {
    const now = Date.now();
    if (!headerDone) {
      headerDone = true;
      if (chunk.indexOf('HTTP/1.1 200') !== 0) {
        refused++;
        socket.destroy();
        return;
      }
      connected++;
      if (measured) {
        sampled++;
        sampledPerPath[i % paths.length]++;
      }
    }
    if (!measured) {
      socket.pause();
      setTimeout(() => socket.resume(), 1000);
      return;
    }
    // A mark cut between two chunks is joined with the next one.
    const text = carry ? carry + chunk.toString('latin1') : null;
    const buf = text === null ? chunk : Buffer.from(text, 'latin1');
    let at = buf.indexOf(MARK);
    while (at >= 0) {
      const start = at + MARK.length;
      const end = buf.indexOf(58, start); // ':' after the number
      if (end < 0) break;
      const k = Number(buf.toString('latin1', start, end));
      let times = arrivals.get(k);
      if (!times) arrivals.set(k, (times = []));
      times.push(now);
      events++;
      at = buf.indexOf(MARK, end);
    }
    carry = at >= 0 ? buf.toString('latin1', at) : '';
  });
  socket.on('error', () => undefined);
  socket.on('close', () => closed++);
}

let next = 0;
const wave = setInterval(() => {
  for (let k = 0; k < perSecond / 10 && next < count; k++) open(next++);
  if (next >= count) clearInterval(wave);
}, 100);

process.on('message', (m) => {
  if (m.report) {
    // Delays from each post's answer (which the poster saw) to its arrival here.
    const histogram = new Array(30_001).fill(0); // ms, the last bucket is 30 s or more
    for (const [k, times] of arrivals) {
      const answered = m.answers[k];
      if (answered === undefined) continue;
      for (const t of times) histogram[Math.max(0, Math.min(30_000, t - answered))]++;
    }
    process.send({ connected, sampled, sampledPerPath, refused, closed, events, histogram });
    arrivals = new Map();
    events = 0;
  }
  if (m.exit) process.exit(0);
});
setInterval(() => process.send({ progress: { connected, refused, closed } }), 1000);
