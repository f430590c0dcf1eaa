import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { Api } from './support/comments-helpers';
import { expectProblem, until } from './support/expect';
import { StreamReader } from './support/stream-reader';
import { createTestApp, createTestDatabase, TestApp } from './support/test-app';

const portOf = (app: TestApp) => (app.app.getHttpServer().address() as AddressInfo).port;
const threadPath = (articleId: string) => `/api/articles/${articleId}/comments/stream`;

describe('live thread updates (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  const readers: StreamReader[] = [];
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

  const open = async (app: TestApp, path: string, headers: Record<string, string> = {}) => {
    const reader = await StreamReader.connect(portOf(app), path, headers);
    readers.push(reader);
    return reader;
  };
  const connect = async (app: TestApp, articleId: string, lastEventId?: string) => {
    const reader = await open(app, threadPath(articleId), lastEventId ? { 'Last-Event-ID': lastEventId } : {});
    expect(reader.status).toBe(200);
    expect(reader.headers['content-type']).toMatch(/^text\/event-stream/);
    return reader;
  };
  const api = () => new Api(a);
  const article = async () => (await api().createArticle(mod())).id;
  /** Every comment posted there is held, which the moderators' stream tells. */
  const preModeratedArticle = async () => {
    const id = await article();
    await api().patchArticle(mod(), id, { moderationMode: 'pre' }).expect(200);
    return id;
  };
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

  /** Events written as a unit of work writes them (version under the article's lock, NOTIFY on commit), `kb` each. */
  const writeEvents = async (app: TestApp, articleId: string, count: number, kb: number) => {
    await app.db.query(
      `WITH bumped AS (
         UPDATE articles SET thread_version = thread_version + $2 WHERE id = $1 RETURNING thread_version - $2 AS first
       ), events AS (
         INSERT INTO thread_events (article_id, version, type, payload)
         SELECT $1, first + n, 'comment.edited', jsonb_build_object('id', $1::text, 'n', n, 'body', repeat('x', $3 * 1024))
         FROM bumped, generate_series(1, $2) AS n
       )
       SELECT pg_notify('thread_events', $1::text)`,
      [articleId, count, kb],
    );
  };

  it('drops a reader that stops reading, without holding up the others; it resumes from Last-Event-ID with nothing missed', async () => {
    const id = await article();
    const stalled = await connect(b, id);
    const steady = await connect(b, id);
    stalled.pause();
    // Batch after batch, more than the socket buffers on both sides hold, until the server gives up on it.
    let written = 0;
    await until('the stalled reader dropped', 20_000, async () => {
      await writeEvents(a, id, 20, 32);
      written += 20;
      const metrics = (await b.http().get('/api/metrics')).text;
      return /^comment_desk_live_readers_dropped_slow_total 1$/m.test(metrics);
    });
    const all = await steady.waitFor(written, undefined, 15_000);
    stalled.resume();
    await until('the stalled stream to end', 10_000, () => stalled.ended);
    const got = stalled.events.length;
    expect(got).toBeLessThan(written);
    // What it missed comes back after its last event.
    const resumed = await connect(a, id, got > 0 ? stalled.events[got - 1].id : String(BigInt(all[0].id!) - 1n));
    const rest = await resumed.waitFor(written - got, undefined, 15_000);
    expect([...stalled.events, ...rest].map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(steady.ended).toBe(false);
  });

  it('sends one stream per reader in order after a reconnect from far behind (read from the database)', async () => {
    const id = await article();
    const first = await connect(a, id);
    await writeEvents(a, id, 300, 1); // more than an instance keeps in memory
    const all = await first.waitFor(300);
    const resumed = await connect(a, id, all[0].id);
    const rest = await resumed.waitFor(299);
    expect(rest.map((e) => e.id)).toEqual(all.slice(1).map((e) => e.id));
  });

  it('catches up a crowd resuming from the same place further back than memory while events keep coming: each gets every event once, in order, and live readers keep getting theirs', async () => {
    const id = await article();
    const live = await connect(a, id);
    await writeEvents(a, id, 300, 1); // more than an instance keeps in memory
    const before = await live.waitFor(300);
    let writing = true;
    let written = 300;
    const writer = (async () => {
      while (writing) {
        await writeEvents(a, id, 1, 0);
        written++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    try {
      const crowd = await Promise.all(Array.from({ length: 30 }, () => connect(a, id, before[9].id)));
      await until(
        'the live reader getting events after the crowd came',
        5000,
        async () => live.events.length >= written,
      );
      writing = false;
      await writer;
      const all = await live.waitFor(written);
      for (const reader of crowd) {
        const got = await reader.waitFor(written - 10, undefined, 10_000);
        expect(got.map((e) => e.id)).toEqual(all.slice(10).map((e) => e.id));
      }
    } finally {
      writing = false;
      await writer;
    }
  });

  describe('moderation stream', () => {
    const modStream = (app: TestApp, headers: Record<string, string> = {}) =>
      open(app, '/api/moderation/stream', {
        Authorization: `Bearer ${app.token('mod-watch', 'moderator')}`,
        ...headers,
      });

    it('is refused to anonymous callers and to commenters, and takes no token from the URL', async () => {
      const anonymous = await open(b, '/api/moderation/stream');
      expectProblem(anonymous.problem, 401, 'UNAUTHENTICATED');
      const commenter = await open(b, '/api/moderation/stream', { Authorization: `Bearer ${b.token('nosy')}` });
      expectProblem(commenter.problem, 403, 'FORBIDDEN');
      const inUrl = await open(b, `/api/moderation/stream?token=${b.token('mod-x', 'moderator')}`);
      expect(inUrl.status).not.toBe(200);
    });

    it('tells a moderator the queue sizes on connecting, with nothing changing', async () => {
      const watcher = await modStream(b);
      const [counts] = await watcher.waitFor(1, 'queue.counts');
      expect(Object.keys(JSON.parse(counts.data)).sort()).toEqual([
        'approved',
        'pending',
        'rejected',
        'reported',
        'unmoderated',
      ]);
    });

    it('greets a moderator who connects after a change with the sizes after it, not the ones read before', async () => {
      const first = await modStream(b);
      await first.waitFor(1, 'queue.counts');
      const id = await preModeratedArticle();
      const held = await post(a, id, 'ivy', 'hold this for me');
      // The instance has seen the change once it has sent it; its sizes are read within a second.
      await until('the held comment on the stream', 5000, () =>
        first.events.find((e) => e.event === 'comment.held' && JSON.parse(e.data).targetId === held.id),
      );
      const { rows } = await a.db.query(`SELECT sum(count_pending)::int AS pending FROM articles`);
      const second = await modStream(b);
      const [greeting] = await second.waitFor(1, 'queue.counts');
      expect(JSON.parse(greeting.data).pending).toBe(rows[0].pending);
    });

    it('carries held comments, reports and decisions taken on another instance, and the queue sizes', async () => {
      const watcher = await modStream(b);
      expect(watcher.status).toBe(200);
      const id = await preModeratedArticle();
      const held = await post(a, id, 'gus', 'please look at me');
      const [heldEvent] = await watcher.waitFor(1, 'comment.held');
      expect(JSON.parse(heldEvent.data)).toMatchObject({
        action: 'hold',
        targetId: held.id,
        articleId: id,
        toStatus: 'pending',
        actor: null,
      });
      await api().approve(mod(), held.id).expect(200);
      const decision = await until('the approval', 5000, () =>
        watcher.events.find((e) => e.event === 'decision' && JSON.parse(e.data).targetId === held.id),
      );
      expect(JSON.parse(decision.data)).toMatchObject({
        action: 'approve',
        targetId: held.id,
        fromStatus: 'pending',
        toStatus: 'approved',
        actor: { id: 'mod-live', name: 'mod-live name' },
      });
      await api().report(a.token('hal'), held.id, 'spam', 'ads').expect(201);
      const [report] = await watcher.waitFor(1, 'comment.reported');
      expect(JSON.parse(report.data)).toMatchObject({
        commentId: held.id,
        articleId: id,
        reason: 'spam',
        userId: 'hal',
        openReportCount: 1,
      });
      expect(JSON.parse(report.data)).not.toHaveProperty('note');
      // The sizes, as the queues hold them, within a second or so of the change.
      await until('queue sizes with the report', 5000, () => {
        const counts = watcher.events.filter((e) => e.event === 'queue.counts').map((e) => JSON.parse(e.data));
        return counts.length > 0 && counts[counts.length - 1].reported >= 1;
      });
      const ids = watcher.events.filter((e) => e.id).map((e) => e.id!);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('delivers an event of an older transaction that commits later before the newer one, never skipping it', async () => {
      const watcher = await modStream(b);
      const older = new Client({ connectionString: a.databaseUrl });
      await older.connect();
      try {
        const event = (n: number) =>
          `INSERT INTO moderation_events (xact, type, payload)
           VALUES (pg_current_xact_id()::text::bigint, 'decision', '{"n": ${n}}'); SELECT pg_notify('moderation_events', '')`;
        await older.query('BEGIN');
        await older.query(event(1)); // takes the lower transaction id, commits last
        await a.db.query(event(2));
        // Time for the stream to see the newer event's notification (and, wrongly, deliver it).
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(watcher.events.filter((e) => e.event === 'decision')).toEqual([]);
        await older.query('COMMIT');
        const delivered = await watcher.waitFor(2, 'decision');
        expect(delivered.map((e) => JSON.parse(e.data).n)).toEqual([1, 2]);
      } finally {
        await older.end();
      }
    });

    it('is not held up by a long transaction in another database on the same server', async () => {
      const watcher = await modStream(b);
      const elsewhere = new Client({ connectionString: await createTestDatabase() });
      await elsewhere.connect();
      try {
        await elsewhere.query('BEGIN');
        await elsewhere.query('SELECT pg_current_xact_id()'); // holds a transaction id, as a writer does
        const id = await preModeratedArticle();
        const held = await post(a, id, 'ned', 'while someone else works');
        const [event] = await watcher.waitFor(1, 'comment.held');
        expect(JSON.parse(event.data).targetId).toBe(held.id);
      } finally {
        await elsewhere.query('ROLLBACK');
        await elsewhere.end();
      }
    });

    it('resumes from Last-Event-ID without a gap', async () => {
      const first = await modStream(a);
      const id = await preModeratedArticle();
      const one = await post(a, id, 'ida', 'first held');
      const [seen] = (await first.waitFor(1, 'comment.held')).filter((e) => JSON.parse(e.data).targetId === one.id);
      first.close();
      const two = await post(b, id, 'jon', 'second held');
      const three = await post(a, id, 'kim', 'third held');
      const resumed = await modStream(b, { 'Last-Event-ID': seen.id! });
      const held = await resumed.waitFor(2, 'comment.held');
      expect(held.map((e) => JSON.parse(e.data).targetId)).toEqual([two.id, three.id]);
    });
  });

  describe('with a cap on streams', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await createTestApp({ LIVE_MAX_CONNECTIONS: '2' }, a.databaseUrl);
      await small.app.listen(0, '127.0.0.1');
    });
    afterAll(() => small.close());

    it('refuses readers beyond the cap with 503 and Retry-After, keeps serving, and takes one again when a reader leaves', async () => {
      const id = await article();
      const [one] = [await open(small, threadPath(id)), await open(small, threadPath(id))];
      const refused = await open(small, threadPath(id));
      expectProblem(refused.problem, 503, 'UNAVAILABLE');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Everything else goes on: the thread reads (and is what a refused reader polls).
      const page = await small.http().get(`/api/articles/${id}/comments`).expect(200);
      await small.http().get(`/api/articles/${id}/comments`).set('If-None-Match', page.headers.etag).expect(304);
      const metrics = (await small.http().get('/api/metrics')).text;
      expect(metrics).toMatch(/^comment_desk_live_streams\{kind="thread"\} 2$/m);
      expect(metrics).toMatch(/^comment_desk_live_connections_refused_total 1$/m);
      expect(metrics).toMatch(/^comment_desk_live_max_connections 2$/m);
      one.close();
      const again = await until('a stream taken again', 5000, async () => {
        const r = await open(small, threadPath(id));
        return r.status === 200 ? r : undefined;
      });
      await post(a, id, 'lea', 'seen by the newcomer');
      expect((await again.waitFor(1))[0].event).toBe('comment.created');
      expect((await small.http().get('/api/metrics')).text).toMatch(/^comment_desk_live_events_sent_total [1-9]\d*$/m);
    });
  });

  describe('admission of a crowd', () => {
    let crowded: TestApp;
    beforeAll(async () => {
      // Two set up at a time, sixteen waiting; the rest of a burst is refused.
      crowded = await createTestApp({ LIVE_MAX_CONNECTIONS: '1000', LIVE_SETUP_CONCURRENCY: '2' }, a.databaseUrl);
      await crowded.app.listen(0, '127.0.0.1');
    });
    afterAll(() => crowded.close());

    it('refuses a burst beyond what it sets up at once with 503 and Retry-After, keeps answering, and serves every reader that comes back', async () => {
      const id = await article();
      // Setups wait on the article's read while the table is locked: every slot and the queue fill up.
      const locker = new Client({ connectionString: a.databaseUrl });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE articles IN ACCESS EXCLUSIVE MODE');
      let answers: Promise<StreamReader>[];
      try {
        let refusedSoFar = 0;
        answers = Array.from({ length: 60 }, () =>
          open(crowded, threadPath(id)).then((r) => (r.status === 503 && refusedSoFar++, r)),
        );
        await until('the burst beyond the queue refused', 10_000, () => refusedSoFar === 42);
        await crowded.http().get('/api/health').expect(200);
      } finally {
        await locker.query('COMMIT');
        await locker.end();
      }
      const first = await Promise.all(answers);
      const refused = first.filter((r) => r.status === 503);
      expect(first.filter((r) => r.status === 200)).toHaveLength(18);
      expect(refused).toHaveLength(42);
      for (const r of refused) {
        expectProblem(r.problem, 503, 'UNAVAILABLE');
        expect(r.headers.connection).toBe('close');
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(30);
      }
      // Each refused reader comes back when told to, as a client honouring Retry-After does.
      const again = await Promise.all(
        refused.map(async (r) => {
          await new Promise((resolve) => setTimeout(resolve, Number(r.headers['retry-after']) * 1000));
          return until('served on retrying', 10_000, async () => {
            const retry = await open(crowded, threadPath(id));
            return retry.status === 200 ? retry : undefined;
          });
        }),
      );
      const served = [...first.filter((r) => r.status === 200), ...again];
      expect(served).toHaveLength(60);
      await post(a, id, 'max', 'to the whole crowd');
      for (const reader of served) expect((await reader.waitFor(1))[0].event).toBe('comment.created');
    });
  });

  describe('draining', () => {
    it("resumes a drained instance's readers on another with no event missed, honouring retry: and Last-Event-ID", async () => {
      const draining = await createTestApp({ LIVE_MAX_CONNECTIONS: '1000' }, a.databaseUrl);
      await draining.app.listen(0, '127.0.0.1');
      const id = await article();
      const onDrained = await Promise.all(Array.from({ length: 10 }, () => connect(draining, id)));
      // Events keep coming before, during and after the drain.
      let written = 0;
      let writing = true;
      const writer = (async () => {
        while (writing) {
          await writeEvents(a, id, 1, 0);
          written++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      try {
        await until('events before the drain', 5000, () => onDrained.every((r) => r.events.length >= 3));
        await draining.close();
        const resumed = await Promise.all(
          onDrained.map(async (reader) => {
            await until('the drained stream to end', 5000, () => reader.ended);
            expect(reader.retries).toHaveLength(1);
            await new Promise((resolve) => setTimeout(resolve, reader.retries[0]));
            const last = reader.events[reader.events.length - 1].id!;
            return { before: reader.events, after: await connect(b, id, last) };
          }),
        );
        await until('events after the drain', 5000, () => resumed.every((r) => r.after.events.length >= 3));
        writing = false;
        await writer;
        const { rows } = await a.db.query('SELECT thread_version FROM articles WHERE id = $1', [id]);
        const lastVersion = Number(rows[0].thread_version);
        for (const { before, after } of resumed) {
          await until(
            'every event on the resumed stream',
            10_000,
            () => Number(after.events.at(-1)?.id) === lastVersion,
          );
          const versions = [...before, ...after.events].map((e) => Number(e.id));
          expect(versions).toEqual(Array.from({ length: lastVersion - versions[0] + 1 }, (_, k) => versions[0] + k));
        }
        expect(written).toBeGreaterThan(6);
      } finally {
        writing = false;
        await writer;
      }
    });
  });

  describe('heartbeats', () => {
    let beating: TestApp;
    beforeAll(async () => {
      beating = await createTestApp({ LIVE_HEARTBEAT_SECONDS: '1' }, a.databaseUrl);
      await beating.app.listen(0, '127.0.0.1');
    });
    afterAll(() => beating.close());

    it('keeps idle streams alive every LIVE_HEARTBEAT_SECONDS, thread and moderation streams alike', async () => {
      const thread = await open(beating, threadPath(await article()));
      const moderation = await open(beating, '/api/moderation/stream', {
        Authorization: `Bearer ${beating.token('mod-beat', 'moderator')}`,
      });
      await until('two heartbeats on each stream', 5000, () => thread.heartbeats >= 2 && moderation.heartbeats >= 2);
      expect(thread.ended || moderation.ended).toBe(false);
    });
  });
});
