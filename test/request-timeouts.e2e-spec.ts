import { AddressInfo, createConnection, Socket } from 'node:net';
import { until } from './support/expect';
import { StreamReader } from './support/stream-reader';
import { createTestApp, TestApp } from './support/test-app';

/** Clients that send a request's head or body too slowly, or never finish it, hold no connection for long. */

const HEADERS_SECONDS = 1;
const BODY_SECONDS = 2;

/** A connection written to by hand, keeping what it receives and whether the server closed it. */
class RawClient {
  received = '';
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (this.received += chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }
  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }
  send(text: string): void {
    if (!this.closed) this.socket.write(text);
  }
  /** The status and problem the server answered before it closed the connection. */
  async closedWith(ms: number): Promise<{ status: number; body: any }> {
    await until('the server closes the connection', ms, () => this.closed);
    const [head, body] = this.received.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 /);
    expect(head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
    expect(head).toMatch(/\r\nconnection: close/i);
    return { status: 408, body: JSON.parse(body) };
  }
  destroy(): void {
    this.socket.destroy();
  }
}

describe('request timeouts', () => {
  let t: TestApp;
  let port: number;
  const clients: RawClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  const connect = async () => {
    const client = await RawClient.connect(port);
    clients.push(client);
    return client;
  };
  const head = (method: string, path: string, headers: Record<string, string | number>) =>
    `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    '\r\n';
  const every = (ms: number, action: () => void) => timers.push(setInterval(action, ms));

  beforeAll(async () => {
    t = await createTestApp({
      REQUEST_HEADERS_TIMEOUT_SECONDS: String(HEADERS_SECONDS),
      REQUEST_BODY_TIMEOUT_SECONDS: String(BODY_SECONDS),
      LIVE_HEARTBEAT_SECONDS: '1',
    });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterEach(() => {
    timers.splice(0).forEach(clearInterval);
    clients.splice(0).forEach((c) => c.destroy());
  });
  afterAll(async () => {
    await t.close();
    delete process.env.REQUEST_HEADERS_TIMEOUT_SECONDS;
    delete process.env.REQUEST_BODY_TIMEOUT_SECONDS;
    delete process.env.LIVE_HEARTBEAT_SECONDS;
  });

  const jsonHead = (headers: Record<string, string | number>) =>
    head('POST', '/api/articles', {
      Authorization: `Bearer ${t.token('mod-slow', 'moderator')}`,
      'Content-Type': 'application/json',
      ...headers,
    });
  const uploadHead = () =>
    head('POST', '/api/admin/imports?format=disqus&dryRun=true', {
      Authorization: `Bearer ${t.token('admin-slow', 'admin')}`,
      'Content-Type': 'application/xml',
      'Transfer-Encoding': 'chunked',
    });
  const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

  it('answers 408 and closes a connection whose head never ends', async () => {
    const client = await connect();
    client.send('POST /api/articles HTTP/1.1\r\nHost: localhost\r\n');
    every(300, () => client.send('X-Slow: 1\r\n'));
    const { body } = await client.closedWith(HEADERS_SECONDS * 1000 + 5000);
    expect(body).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
  });

  it('answers 408 and closes a connection whose body stops, or comes a byte at a time', async () => {
    const stalled = await connect();
    stalled.send(jsonHead({ 'Content-Length': 1000 }) + '{"url":');
    const trickling = await connect();
    trickling.send(jsonHead({ 'Content-Length': 1000 }));
    every(200, () => trickling.send(' '));
    for (const client of [stalled, trickling]) {
      const { body } = await client.closedWith(BODY_SECONDS * 1000 + 5000);
      expect(body).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
      expect(body.detail).toBe(`The request body did not arrive within ${BODY_SECONDS} s`);
    }
  });

  it('closes an upload that stalls or trickles, and lets one that keeps coming take as long as it needs', async () => {
    const stalled = await connect();
    stalled.send(uploadHead() + chunk('<?xml version="1.0"?><disqus>'));
    const trickling = await connect();
    trickling.send(uploadHead());
    every(100, () => trickling.send(chunk(' ')));
    const steady = await connect();
    steady.send(uploadHead() + chunk('<?xml version="1.0"?><disqus>'));
    const started = Date.now();
    let ended = false;
    every(100, () => {
      if (ended) return; // (anything more would be a second request, and a malformed one: a 400 before the 202)
      if (Date.now() - started < 3 * BODY_SECONDS * 1000) steady.send(chunk(`<!-- ${'x'.repeat(16 * 1024)} -->`));
      else {
        steady.send(chunk('</disqus>') + '0\r\n\r\n');
        ended = true;
      }
    });
    for (const client of [stalled, trickling]) {
      const { body } = await client.closedWith(BODY_SECONDS * 1000 + 5000);
      expect(body).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
    }
    await until('the steady upload is answered', 4 * BODY_SECONDS * 1000 + 5000, () =>
      steady.received.includes('\r\n\r\n'),
    );
    expect(steady.received).toMatch(/^HTTP\/1\.1 202 /);
    expect(Date.now() - started).toBeGreaterThan(3 * BODY_SECONDS * 1000);
  });

  it('keeps an event stream open past both timeouts', async () => {
    const stream = await StreamReader.connect(port, '/api/moderation/stream', {
      Authorization: `Bearer ${t.token('mod-stream', 'moderator')}`,
    });
    try {
      expect(stream.status).toBe(200);
      const beats = BODY_SECONDS + HEADERS_SECONDS + 1;
      await until(`${beats} heartbeats`, (beats + 5) * 1000, () => stream.heartbeats >= beats);
      expect(stream.ended).toBe(false);
    } finally {
      stream.close();
    }
  });

  it('leaves a keep-alive connection open after a body that came in time', async () => {
    const client = await connect();
    const body = JSON.stringify({ url: 'https://news.example/in-time', title: 'In time' });
    client.send(jsonHead({ 'Content-Length': Buffer.byteLength(body) }) + body);
    await until('the answer', 5000, () => client.received.includes('\r\n\r\n'));
    expect(client.received).toMatch(/^HTTP\/1\.1 201 /);
    const answered = client.received.length;
    await new Promise((r) => setTimeout(r, (BODY_SECONDS + 1) * 1000)); // a period passes, nothing is sent
    expect(client.closed).toBe(false);
    expect(client.received.length).toBe(answered);
  });
});
