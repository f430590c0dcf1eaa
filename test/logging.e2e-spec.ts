import { createTestApp, TestApp } from './support/test-app';

describe('request logs', () => {
  let t: TestApp;
  let lines: string[];
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info', CORS_ORIGINS: 'https://news.example' });
  });
  beforeEach(() => {
    lines = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());
  afterAll(async () => {
    await t.close();
    process.env.LOG_LEVEL = 'silent';
  });

  const requestLines = () => lines.map((l) => JSON.parse(l)).filter((l) => l.req);
  const warnings = () => lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40);

  it('writes one JSON line per request with its request id, and never the token, the body or the query', async () => {
    const token = t.token('mod-log', 'moderator');
    const secretBody = 'a very private comment body 7f3a';
    const article = await t
      .http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${token}`)
      .send({ url: 'https://news.example/log', title: 'Logged' });
    const res = await t
      .http()
      .post(`/api/articles/${article.body.id}/comments?secret=q9z`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Request-Id', 'req-123')
      .send({ body: secretBody });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-123');

    const logged = requestLines();
    expect(logged).toHaveLength(2);
    expect(logged[1]).toMatchObject({
      req: { id: 'req-123', method: 'POST', path: `/api/articles/${article.body.id}/comments` },
      res: { statusCode: 201 },
    });
    const text = lines.join('\n');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]);
    expect(text).not.toContain(secretBody);
    expect(text).not.toContain('q9z');
  });

  it('makes up a request id when none (or a strange one) is given', async () => {
    const res = await t.http().get('/api/health').set('X-Request-Id', 'spaces are not allowed');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLines()[0].req.id).toBe(res.headers['x-request-id']);
  });

  it('names an origin that CORS refuses at warn level, once, though the answer itself is a 200', async () => {
    const from = (origin: string) => t.http().get('/api/health').set('Origin', origin);
    const refused = await from('https://refused.example');
    expect(refused.status).toBe(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    await from('https://refused.example');
    const allowed = await from('https://news.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://news.example');
    await from('https://another-refused.example');

    expect(warnings().map((w) => w.origin)).toEqual(['https://refused.example', 'https://another-refused.example']);
    expect(warnings()[0].msg).toContain('CORS_ORIGINS');
  });
});
