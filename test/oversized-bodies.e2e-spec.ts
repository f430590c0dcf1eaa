import { execFile } from 'node:child_process';
import { AddressInfo, createConnection } from 'node:net';
import { join } from 'node:path';
import { until } from './support/expect';
import { createTestApp, TestApp } from './support/test-app';

/** A body over the limit gets its 413, whatever the client and however the body is sent. */

const MB = 1024 * 1024;
const FETCH_CLIENT = join(__dirname, 'support', 'fetch-oversized.mjs');

describe('oversized bodies', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp({ REQUEST_BODY_TIMEOUT_SECONDS: '2' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.close();
    delete process.env.REQUEST_BODY_TIMEOUT_SECONDS;
  });

  it("answers 5 MB and 50 MB sent by Node's fetch, with Content-Length or chunked, with 413 every time", async () => {
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          FETCH_CLIENT,
          `${base}/api/articles`,
          t.token('mod-big', 'moderator'),
          '5',
          '5',
          '50',
          '5:chunked',
          '50:chunked',
        ],
        { maxBuffer: 10 * MB },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    const results = JSON.parse(output);
    expect(results).toHaveLength(20);
    for (const result of results) {
      expect(result).toEqual({
        spec: result.spec,
        status: 413,
        type: expect.stringMatching(/^application\/problem\+json/),
        body: expect.objectContaining({
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
          detail: 'The request body is too large',
        }),
      });
    }
  });

  it('reads what follows the 413 no longer than the body timeout, and no more than 64 MB of it', async () => {
    /** A client whose body says 100 GB, sent as fast as the server reads it, or 1 KB every 100 ms. */
    const endless = (fast: boolean) => {
      const socket = createConnection({ port: Number(new URL(base).port), host: '127.0.0.1' });
      const state = { answer: '', closed: false, sent: 0 };
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (state.answer += chunk));
      socket.on('close', () => (state.closed = true));
      socket.on('error', () => undefined);
      socket.write(
        `POST /api/articles HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * MB}\r\n\r\n`,
      );
      const filler = Buffer.alloc(fast ? MB : 1024, 0x20);
      const send = () => {
        if (state.closed) return;
        state.sent += filler.length;
        if (socket.write(filler) && fast) setImmediate(send);
        else if (fast) socket.once('drain', send);
        else setTimeout(send, 100);
      };
      send();
      return state;
    };
    const [fast, slow] = [endless(true), endless(false)];
    for (const client of [fast, slow]) {
      await until('the connection is closed', 15_000, () => client.closed);
      expect(client.answer).toMatch(/^HTTP\/1\.1 413 /);
    }
    expect(fast.sent).toBeLessThan(100 * MB);
  });
});
