// The one client process of `npm run bench -- --live --burst | --reconnect-storm`: readers over
// raw sockets (from several loopback addresses, so that ports never run out) that behave as the
// embed's EventSource does: on 503 they wait the Retry-After they were given and try again; when
// a stream ends they wait its `retry:` and reconnect with Last-Event-ID, to `reconnectPort` when
// one is given (the load balancer sending them to the instance still up). Each reader notes
// whether an event's id ever skipped one (its thread's versions have no gaps), read straight
// from the bytes. Talks to bench/live-crowd.mjs by IPC.
import { connect } from 'node:net';

const { path, sourceBase } = JSON.parse(process.argv[2]);
const HEAD_END = Buffer.from('\r\n\r\n');
const ID = Buffer.from('\nid: ');
const RETRY = Buffer.from('\nretry: ');
/** Without a `retry:`, EventSource waits about this long before reconnecting. */
const DEFAULT_RETRY_MS = 3000;

const readers = [];
const stats = { refusals: 0, errors: 0, drained: 0, resumed: 0 };

const digitsAt = (buf, at) => {
  let n = 0;
  for (let i = at; i < buf.length && buf[i] >= 48 && buf[i] <= 57; i++) n = n * 10 + buf[i] - 48;
  return n;
};

class Reader {
  constructor(index, port, reconnectPort) {
    this.index = index;
    this.port = port;
    this.reconnectPort = reconnectPort;
    this.lastId = 0;
    this.gaps = 0;
    this.events = 0;
    this.attempts = 0;
    this.refused = 0;
    this.open = false;
    this.servedAt = 0;
    this.firstAsked = Date.now();
    this.resumedCount = 0;
  }

  connect() {
    this.attempts++;
    const socket = connect({
      host: '127.0.0.1',
      port: this.port,
      localAddress: `127.0.${sourceBase + (Math.floor(this.index / 250) % 200)}.${1 + (this.index % 250)}`,
    });
    let head = null; // bytes of the response head until it is complete
    let retryMs = DEFAULT_RETRY_MS;
    let status = 0;
    let carry = null;
    socket.on('connect', () => {
      const resume = this.lastId > 0 ? `Last-Event-ID: ${this.lastId}\r\n` : '';
      socket.write(`GET ${path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n${resume}\r\n`);
    });
    socket.on('data', (chunk) => {
      if (status === 0) {
        head = head ? Buffer.concat([head, chunk]) : chunk;
        const end = head.indexOf(HEAD_END);
        if (end < 0) return;
        status = digitsAt(head, 9);
        if (status !== 200) {
          const text = head.toString('latin1', 0, end);
          const after = Number(/\r\nretry-after: *(\d+)/i.exec(text)?.[1] ?? 5);
          socket.destroy();
          if (status === 503) {
            stats.refusals++;
            this.refused++;
          } else stats.errors++;
          return this.later(after * 1000);
        }
        this.open = true;
        if (!this.servedAt) this.servedAt = Date.now();
        if (this.lastId > 0) (this.resumedCount++, stats.resumed++);
        chunk = head.subarray(end + 2); // keeps a '\n' before the first field
        head = null;
      }
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      let at = buf.indexOf(ID);
      let done = 0;
      while (at >= 0) {
        const start = at + ID.length;
        const end = buf.indexOf(10, start);
        if (end < 0) break;
        const id = digitsAt(buf, start);
        if (this.lastId > 0 && id !== this.lastId + 1) this.gaps++;
        this.lastId = id;
        this.events++;
        done = end;
        at = buf.indexOf(ID, end);
      }
      const retry = buf.indexOf(RETRY);
      if (retry >= 0 && buf.indexOf(10, retry + RETRY.length) >= 0) retryMs = digitsAt(buf, retry + RETRY.length);
      // An id cut between two reads is joined with the next one.
      const tail = Math.max(done, buf.length - ID.length);
      const cut = at >= 0 ? at : buf.indexOf(10, tail);
      carry = cut >= 0 ? buf.subarray(cut) : null;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (status === 0) {
        stats.errors++;
        return this.later(1000);
      }
      if (status !== 200) return;
      this.open = false;
      if (stopping) return;
      stats.drained++;
      if (this.reconnectPort) this.port = this.reconnectPort;
      this.later(retryMs);
    });
  }

  later(ms) {
    if (!stopping) setTimeout(() => this.connect(), ms);
  }
}

let stopping = false;

process.on('message', (m) => {
  if (m.open) {
    // Everyone at once, as a push alert sends them.
    const { port, count, reconnectPort } = m.open;
    for (let k = 0; k < count; k++) {
      const reader = new Reader(readers.length, port, reconnectPort);
      readers.push(reader);
      reader.connect();
    }
  }
  if (m.report) {
    const byPort = {};
    let served = 0;
    let refusedReaders = 0;
    let maxAttempts = 0;
    let gaps = 0;
    let resumedReaders = 0;
    let resumedWithGaps = 0;
    let behind = 0;
    let silent = 0;
    const servedAfter = [];
    for (const r of readers) {
      if (r.open) byPort[r.port] = (byPort[r.port] ?? 0) + 1;
      if (r.servedAt) (served++, servedAfter.push(r.servedAt - r.firstAsked));
      if (r.refused > 0) refusedReaders++;
      maxAttempts = Math.max(maxAttempts, r.attempts);
      gaps += r.gaps;
      if (r.resumedCount > 0) (resumedReaders++, r.gaps > 0 && resumedWithGaps++);
      if (m.report.lastId !== undefined && r.lastId !== m.report.lastId) behind++;
      if (r.open && r.events === 0) silent++;
    }
    servedAfter.sort((a, b) => a - b);
    process.send({
      readers: readers.length,
      served,
      openByPort: byPort,
      refusedReaders,
      maxAttempts,
      gaps,
      resumedReaders,
      resumedWithGaps,
      behind,
      silent,
      servedAfterP50: servedAfter[Math.floor(servedAfter.length / 2)] ?? null,
      servedAfterMax: servedAfter.at(-1) ?? null,
      ...stats,
    });
  }
  if (m.exit) {
    stopping = true;
    process.exit(0);
  }
});
