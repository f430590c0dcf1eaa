import { createTestApp, TestApp } from './support/test-app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates, posts, reads, closes', async () => {
    const mod = t.token('mod1', 'moderator');
    const alice = t.token('alice');
    const a = await t.http().post('/api/articles').set('Authorization', `Bearer ${mod}`).send({ url: 'https://news.example/a1', title: 'A1' });
    expect(a.status).toBe(201);
    const id = a.body.id;
    const c = await t.http().post(`/api/articles/${id}/comments`).set('Authorization', `Bearer ${alice}`).send({ body: ' hello ' });
    expect(c.status).toBe(201);
    expect(c.body.body).toBe('hello');
    const r = await t.http().post(`/api/articles/${id}/comments`).set('Authorization', `Bearer ${alice}`).send({ body: 'reply', parentId: c.body.id });
    expect(r.status).toBe(201);
    const th = await t.http().get(`/api/articles/${id}/comments`);
    expect(th.status).toBe(200);
    console.log(JSON.stringify(th.body, null, 1));
    const cl = await t.http().post(`/api/articles/${id}/close`).set('Authorization', `Bearer ${mod}`).send({});
    expect(cl.status).toBe(200);
    const p = await t.http().post(`/api/articles/${id}/comments`).set('Authorization', `Bearer ${alice}`).send({ body: 'late' });
    expect(p.status).toBe(409);
    console.log(p.headers['content-type'], p.body);
    const nf = await t.http().get(`/api/nope`);
    console.log(nf.status, nf.body);
    const bad = await t.http().post(`/api/articles`).set('Authorization', `Bearer ${mod}`).set('Content-Type', 'application/json').send('{bad');
    console.log(bad.status, bad.body);
    const log = await t.http().get(`/api/moderation/log`).set('Authorization', `Bearer ${mod}`);
    console.log(log.status, JSON.stringify(log.body));
  });
});
