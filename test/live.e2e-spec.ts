import { AddressInfo } from 'node:net';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { Api } from './support/comments-helpers';
import { createTestApp, TestApp } from './support/test-app';

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A reader connected to one instance's stream, collecting events as they come. */
class Reader {
  readonly events: SseEvent[] = [];
  private response?: IncomingMessage;
  private buffer = '';

  static async connect(app: TestApp, articleId: string, lastEventId?: string): Promise<Reader> {
    const reader = new Reader();
    const { port } = (app.app.getHttpServer().address() ?? {}) as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: `/api/articles/${articleId}/comments/stream`,
          headers: lastEventId ? { 'Last-Event-ID': lastEventId } : {},
        },
        (res) => {
          reader.response = res;
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => reader.take(chunk));
          resolve();
        },
      );
      req.on('error', reject);
      req.end();
    });
    return reader;
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') event.data += value;
      }
      if (event.event !== 'heartbeat') this.events.push(event);
    }
  }

  /** Polls until `count` events arrived, with a deadline. */
  async waitFor(count: number, deadlineMs = 5000): Promise<SseEvent[]> {
    const deadline = Date.now() + deadlineMs;
    while (this.events.length < count) {
      if (Date.now() > deadline)
        throw new Error(`only ${this.events.length} of ${count} events: ${JSON.stringify(this.events)}`);
      await new Promise((r) => setImmediate(r));
    }
    return this.events;
  }

  close(): void {
    this.response?.destroy();
  }
}

describe('live thread updates (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  const readers: Reader[] = [];
  const mod = () => a.token('mod-live', 'moderator');

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({}, a.databaseUrl);
    await a.app.listen(0, '127.0.0.1');
    await b.app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    readers.forEach((r) => r.close());
    await a.close();
    await b.close();
  });

  const connect = async (app: TestApp, articleId: string, lastEventId?: string) => {
    const reader = await Reader.connect(app, articleId, lastEventId);
    readers.push(reader);
    return reader;
  };
  const article = async () => (await new Api(a).createArticle(mod())).id;
  const post = async (app: TestApp, articleId: string, user: string, body: string) => {
    const res = await app
      .http()
      .post(`/api/articles/${articleId}/comments`)
      .set('Authorization', `Bearer ${app.token(user)}`)
      .send({ body });
    expect(res.status).toBe(201);
    return res.body;
  };

  it('pushes new comments, edits, moderation, deletions and closing from one instance to readers of another', async () => {
    const id = await article();
    const reader = await connect(b, id);
    const c = await post(a, id, 'ann', 'first!');
    await a
      .http()
      .patch(`/api/comments/${c.id}`)
      .set('Authorization', `Bearer ${a.token('ann')}`)
      .send({ body: 'first, edited' })
      .expect(200);
    await a
      .http()
      .post(`/api/moderation/comments/${c.id}/reject`)
      .set('Authorization', `Bearer ${mod()}`)
      .send({})
      .expect(200);
    await a
      .http()
      .post(`/api/moderation/comments/${c.id}/approve`)
      .set('Authorization', `Bearer ${mod()}`)
      .send({})
      .expect(200);
    await a.http().delete(`/api/comments/${c.id}`).set('Authorization', `Bearer ${mod()}`).expect(204);
    await a
      .http()
      .post(`/api/articles/${id}/close`)
      .set('Authorization', `Bearer ${mod()}`)
      .send({ message: 'Done here.' })
      .expect(200);
    await a.http().post(`/api/articles/${id}/reopen`).set('Authorization', `Bearer ${mod()}`).send({}).expect(200);

    const events = await reader.waitFor(7);
    expect(events.map((e) => e.event)).toEqual([
      'comment.created',
      'comment.edited',
      'comment.hidden',
      'comment.published',
      'comment.deleted',
      'article.updated',
      'article.updated',
    ]);
    expect(JSON.parse(events[0].data)).toMatchObject({ id: c.id, body: 'first!', author: { id: 'ann' } });
    expect(JSON.parse(events[1].data)).toMatchObject({ id: c.id, body: 'first, edited' });
    expect(JSON.parse(events[2].data)).toEqual({ id: c.id, parentId: null });
    expect(JSON.parse(events[3].data)).toMatchObject({ id: c.id, status: 'approved' });
    expect(JSON.parse(events[4].data)).toMatchObject({ id: c.id, deleted: true, body: null });
    expect(JSON.parse(events[5].data)).toMatchObject({ closed: true, closedMessage: 'Done here.' });
    expect(JSON.parse(events[6].data)).toMatchObject({ closed: false });
    const ids = events.map((e) => BigInt(e.id!));
    expect(ids).toEqual([...ids].sort((x, y) => (x < y ? -1 : 1)));
  });

  it('tells readers nothing about comments they cannot see', async () => {
    const id = await article();
    await a
      .http()
      .patch(`/api/articles/${id}`)
      .set('Authorization', `Bearer ${mod()}`)
      .send({ moderationMode: 'pre' })
      .expect(200);
    const reader = await connect(b, id);
    const held = await post(a, id, 'bob', 'held for review');
    await a
      .http()
      .post(`/api/moderation/comments/${held.id}/approve`)
      .set('Authorization', `Bearer ${mod()}`)
      .send({})
      .expect(200);
    const [event] = await reader.waitFor(1);
    expect(event.event).toBe('comment.published');
    expect(JSON.parse(event.data)).toMatchObject({ id: held.id, body: 'held for review', status: 'approved' });
  });

  it('resumes without a gap from Last-Event-ID', async () => {
    const id = await article();
    const first = await connect(b, id);
    await post(a, id, 'cat', 'one');
    const [seen] = await first.waitFor(1);
    first.close();
    await post(a, id, 'dan', 'two');
    await post(b, id, 'eve', 'three');
    const resumed = await connect(a, id, seen.id);
    const events = await resumed.waitFor(2);
    expect(events.map((e) => JSON.parse(e.data).body)).toEqual(['two', 'three']);
    await post(a, id, 'fay', 'four');
    expect((await resumed.waitFor(3)).map((e) => JSON.parse(e.data).body)).toEqual(['two', 'three', 'four']);
  });

  it('answers 404 for an unknown article', async () => {
    const res = await b.http().get('/api/articles/00000000-0000-4000-8000-000000000000/comments/stream');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
