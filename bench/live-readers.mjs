// One process of readers for `npm run bench -- --live`: opens its share of event streams over raw
// sockets (from its own loopback addresses, so that ports never run out), in waves. One reader in
// `sample` keeps a histogram of delays from each comment's createdAt to its arrival; the others
// only read, so that the load generator's CPU goes to reading. Talks to bench/live.mjs by IPC.
import { connect } from 'node:net';

const { port, paths, count, perSecond, sourceBase, sample } = JSON.parse(process.argv[2]);
const histogram = new Uint32Array(30_001); // ms, the last bucket is 30 s or more
const MARK = Buffer.from('"createdAt": "'); // as PostgreSQL writes jsonb out
let connected = 0;
let sampled = 0;
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
      if (measured) sampled++;
    }
    if (!measured) return;
    // A timestamp cut between two chunks is joined with the next one.
    const text = carry ? carry + chunk.toString('latin1') : null;
    const buf = text === null ? chunk : Buffer.from(text, 'latin1');
    let at = buf.indexOf(MARK);
    while (at >= 0) {
      const start = at + MARK.length;
      if (start + 24 > buf.length) break;
      const delay = now - Date.parse(buf.toString('latin1', start, start + 24));
      histogram[Math.max(0, Math.min(30_000, delay))]++;
      events++;
      at = buf.indexOf(MARK, start);
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
  if (m === 'report') {
    process.send({ connected, sampled, refused, closed, events, histogram: Array.from(histogram) });
    histogram.fill(0);
    events = 0;
  }
  if (m === 'exit') process.exit(0);
});
setInterval(() => process.send({ progress: { connected, refused, closed } }), 1000);
