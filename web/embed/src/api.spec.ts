import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Api, ApiError } from './api';

/** A server that records the headers of each call and answers with the problem it is given, or an empty list. */
let server: Server;
let base: string;
let seen: IncomingHttpHeaders[];
let answer: { status: number; body: unknown } | null;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume().on('end', () => {
      const { status, body } = answer ?? { status: 200, body: { items: [], nextCursor: null } };
      res.writeHead(status, { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  answer = null;
});

describe('the requests of the embed', () => {
  it('name the site of a site="KEY" thread in every call, reads and writes alike', async () => {
    const api = new Api(base, () => 'a.token.here', 'evening');
    await api.findArticle('https://evening.example/a', null);
    await api.thread('3d6f0a1e-7a3b-4c57-9a8e-0d2b8f6e1c11', 'newest', 20);
    answer = { status: 201, body: { id: 'c' } };
    await api.post('3d6f0a1e-7a3b-4c57-9a8e-0d2b8f6e1c11', 'Hello', null, 'key-1');
    expect(seen).toHaveLength(3);
    for (const headers of seen) {
      expect(headers['comment-desk-site']).toBe('evening');
      expect(headers.authorization).toBe('Bearer a.token.here');
    }
  });

  it('name no site without the attribute: the installation’s first site, as before sites', async () => {
    const api = new Api(base, () => null);
    await api.findArticle('https://daily.example/a', null);
    expect(seen[0]).not.toHaveProperty('comment-desk-site');
    expect(seen[0]).not.toHaveProperty('authorization');
  });

  it('name the site also for a reader who is not signed in', async () => {
    await new Api(base, () => null, 'evening').findArticle('https://evening.example/a', null);
    expect(seen[0]['comment-desk-site']).toBe('evening');
  });

  it.each(['ORIGIN_NOT_ALLOWED', 'OTHER_SITE'])('give the %s refusal its code', async (code) => {
    answer = { status: 403, body: { status: 403, code, title: 'Forbidden' } };
    const refusal = await new Api(base, () => null, 'evening').findArticle('https://evening.example/a', null).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 403, code });
  });
});
