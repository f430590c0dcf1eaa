import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PostgresThrottlerStorage } from '../src/rate-limits/postgres-throttler.storage';
import { createTestApp, createTestDatabase, TestApp } from './support/test-app';

type Res = { status: number; body: any; headers: Record<string, string> };

describe('automatic moderation (e2e)', () => {
  let t: TestApp;
  const admin = () => t.token('admin-1', 'admin');
  const mod = () => t.token('mod-1', 'moderator');
  let seq = 0;
  const reader = () => {
    const id = `reader-${++seq}`;
    return { id, token: t.token(id) };
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const settings = async (patch: Record<string, unknown>) => {
    const res = await t.http().put('/api/moderation/settings').set('Authorization', `Bearer ${admin()}`).send(patch);
    expect(res.status).toBe(200);
  };
  const article = async (body: Record<string, unknown> = {}) => {
    const res = await t
      .http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${mod()}`)
      .send({ url: `https://news.example/${++seq}`, title: 'A story', ...body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const post = (token: string, articleId: string, body: string, parentId?: string): Promise<Res> =>
    t
      .http()
      .post(`/api/articles/${articleId}/comments`)
      .set('Authorization', `Bearer ${token}`)
      .send({ body, parentId });
  const log = async (commentId: string) =>
    (await t.http().get(`/api/moderation/log?commentId=${commentId}`).set('Authorization', `Bearer ${mod()}`)).body
      .items;
  const thread = async (articleId: string) => (await t.http().get(`/api/articles/${articleId}/comments`)).body.items;
  const queue = async (name: string, articleId: string) =>
    (await t.http().get(`/api/moderation/queue/${name}?articleId=${articleId}`).set('Authorization', `Bearer ${mod()}`))
      .body.items;

  describe('banned words', () => {
    beforeAll(() => settings({ bannedWords: ['foo', 'ass', 'bad word'] }));
    afterAll(() => settings({ bannedWords: [] }));

    it('rejects the comment, tells the author which words, logs the system decision and keeps it off the thread', async () => {
      const a = await article();
      const res = await post(reader().token, a, 'What a foo this is');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'rejected', moderationReasons: ['banned words: foo'] });
      expect(await thread(a)).toEqual([]);
      const [entry] = await log(res.body.id);
      expect(entry).toMatchObject({ action: 'reject', actor: null, toStatus: 'rejected', reason: 'banned words: foo' });
      expect((await queue('rejected', a)).map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    });

    it.each([['F0O'], ['fo.o'], ['fooooo'], ['FÓÒ'], ['ＦＯＯ'], ['you a.s.s'], ['such a BAD w0rd']])(
      'catches the evasion %p',
      async (body) => {
        const res = await post(reader().token, await article(), body);
        expect(res.body.status).toBe('rejected');
      },
    );

    it.each([['a class act'], ['an assessment'], ['the food'], ['as good as it gets'], ['bad and worse words']])(
      'lets %p through',
      async (body) => {
        const res = await post(reader().token, await article(), body);
        expect(res.body).toMatchObject({ status: 'published', moderationReasons: [] });
      },
    );

    it('applies to edits: an edited body with a banned word is rejected, logged as edit then the system decision', async () => {
      const r = reader();
      const c = (await post(r.token, await article(), 'an innocent remark')).body;
      const edited = await t
        .http()
        .patch(`/api/comments/${c.id}`)
        .set('Authorization', `Bearer ${r.token}`)
        .send({ body: 'now with foo' });
      expect(edited.status).toBe(200);
      expect(edited.body.status).toBe('rejected');
      const [decision, edit] = await log(c.id);
      expect(edit).toMatchObject({ action: 'edit', actor: { id: r.id } });
      expect(decision).toMatchObject({ action: 'reject', actor: null, fromStatus: 'published', toStatus: 'rejected' });
    });

    it('reads a list of 10,000 words, changed without a restart', async () => {
      const words = Array.from({ length: 10_000 }, (_, i) => `w${i.toString(36)}q`);
      await settings({ bannedWords: [...words, 'zebra'] });
      expect((await post(reader().token, await article(), 'a zebra crossing')).body.status).toBe('rejected');
      expect((await post(reader().token, await article(), 'a horse crossing')).body.status).toBe('published');
      await settings({ bannedWords: ['foo', 'ass', 'bad word'] });
      expect((await post(reader().token, await article(), 'another zebra')).body.status).toBe('published');
    });
  });

  describe('banned words written to slip through', () => {
    beforeAll(() => settings({ bannedWords: ['idiot', 'ass', 'scheiße'] }));
    afterAll(() => settings({ bannedWords: [] }));

    it.each([
      ['idiot.you', 'idiot'],
      ['you idiot...really', 'idiot'],
      ['idiot=bad', 'idiot'],
      ['x=idiot', 'idiot'],
      ['@idiot', 'idiot'],
      ['idiot-face', 'idiot'],
      ['idiot_face', 'idiot'],
      ['a\uFEFFss', 'ass'],
      ['a\u200Bss, a\u200Dss, a\u2060ss, a\u00ADss', 'ass'],
      ['SCHEISSE', 'scheiße'],
      ['scheisse', 'scheiße'],
      ['ıdıot', 'idiot'],
      ['4$$', 'ass'],
      ['\u202Essa\u202C', 'ass'],
      ['ＩＤＩＯＴ', 'idiot'],
      ['\u0430ss', 'ass'],
      ['\u{1D422}\u{1D41D}\u{1D422}\u{1D428}\u{1D42D}', 'idiot'],
      ['ⓘⓓⓘⓞⓣ', 'idiot'],
      ['i\u0301di\u0308ot', 'idiot'],
      ['idiooooot', 'idiot'],
      ['i.d.i.o.t', 'idiot'],
    ])('rejects %p as %p', async (body, word) => {
      const res = await post(reader().token, await article(), body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'rejected', moderationReasons: [`banned words: ${word}`] });
    });

    it.each([
      ['a class act'],
      ['we assess the passage'],
      ['Massachusetts grass'],
      ['the ambassador'],
      ['an idiotic plan'],
      ['eine Scheibe Brot'],
      ['the 455 bus'],
    ])('publishes %p', async (body) => {
      const res = await post(reader().token, await article(), body);
      expect(res.body).toMatchObject({ status: 'published', moderationReasons: [] });
    });
  });

  describe('holds', () => {
    it('holds suspect words with the reason, shown to moderators in the queue', async () => {
      await settings({ suspectWords: ['refund'] });
      try {
        const a = await article();
        const res = await post(reader().token, a, 'Ask for a REFUND now');
        expect(res.body).toMatchObject({ status: 'pending', moderationReasons: ['suspect words: refund'] });
        const [item] = await queue('pending', a);
        expect(item).toMatchObject({ id: res.body.id, moderationReasons: ['suspect words: refund'] });
        expect((await log(res.body.id))[0]).toMatchObject({
          action: 'hold',
          actor: null,
          reason: 'suspect words: refund',
        });
      } finally {
        await settings({ suspectWords: [] });
      }
    });

    it('holds more than maxLinks links', async () => {
      await settings({ maxLinks: 1 });
      try {
        const a = await article();
        expect((await post(reader().token, a, 'see https://one.example')).body.status).toBe('published');
        const held = await post(reader().token, a, 'see https://one.example and www.two.com');
        expect(held.body.status).toBe('pending');
        expect(held.body.moderationReasons[0]).toMatch(/^2 links/);
      } finally {
        await settings({ maxLinks: 5 });
      }
    });

    it('holds a new commenter until premodNewCommenters of their comments were approved; never moderators', async () => {
      await settings({ premodNewCommenters: 1 });
      try {
        const a = await article();
        const r = reader();
        const first = await post(r.token, a, 'my first comment');
        expect(first.body).toMatchObject({
          status: 'pending',
          moderationReasons: ['new commenter (0 of 1 comments approved)'],
        });
        const approve = await t
          .http()
          .post(`/api/moderation/comments/${first.body.id}/approve`)
          .set('Authorization', `Bearer ${mod()}`)
          .send({});
        expect(approve.status).toBe(200);
        expect((await post(r.token, a, 'my second comment')).body.status).toBe('published');
        expect((await post(mod(), a, 'a word from the desk')).body.status).toBe('approved');
      } finally {
        await settings({ premodNewCommenters: 0 });
      }
    });

    it('withholds a comment that reaches reportThreshold open reports, until a moderator decides', async () => {
      await settings({ reportThreshold: 2 });
      try {
        const a = await article();
        const c = (await post(reader().token, a, 'a contested claim')).body;
        const report = (token: string) =>
          t
            .http()
            .post(`/api/comments/${c.id}/reports`)
            .set('Authorization', `Bearer ${token}`)
            .send({ reason: 'abuse' });
        expect((await report(reader().token)).status).toBe(201);
        expect((await thread(a)).map((x: { id: string }) => x.id)).toEqual([c.id]);
        expect((await report(reader().token)).status).toBe(201);
        expect(await thread(a)).toEqual([]);
        const [held] = await queue('pending', a);
        expect(held).toMatchObject({ id: c.id, status: 'pending', openReportCount: 2 });
        expect(held.moderationReasons).toContain('2 open reports (threshold 2)');
        expect((await log(c.id))[0]).toMatchObject({
          action: 'hold',
          actor: null,
          fromStatus: 'published',
          toStatus: 'pending',
        });
        await t
          .http()
          .post(`/api/moderation/comments/${c.id}/approve`)
          .set('Authorization', `Bearer ${mod()}`)
          .send({})
          .expect(200);
        expect((await thread(a)).map((x: { id: string }) => x.id)).toEqual([c.id]);
        expect(await queue('reported', a)).toEqual([]);
      } finally {
        await settings({ reportThreshold: 3 });
      }
    });
  });

  describe('repeat posts', () => {
    it('refuses the same text from the same author within a few minutes, with 409', async () => {
      const a = await article();
      const r = reader();
      const first = await post(r.token, a, 'Well said.');
      expect(first.status).toBe(201);
      const again = await post(r.token, a, '  Well said.  ');
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('CONFLICT');
      expect((await post(reader().token, a, 'Well said.')).status).toBe(201);
      await t.db.query(`UPDATE comments SET created_at = now() - interval '10 minutes' WHERE id = $1`, [first.body.id]);
      expect((await post(r.token, a, 'Well said.')).status).toBe(201);
    });

    it('lets only one of several racing copies in', async () => {
      const a = await article();
      const r = reader();
      const results = await Promise.all(Array.from({ length: 5 }, () => post(r.token, a, 'Me first!')));
      expect(results.map((x) => x.status).sort()).toEqual([201, 409, 409, 409, 409]);
    });

    it("checks through the author's recent comments, not the trigram index, when authors write a lot", async () => {
      // The plan PL/pgSQL caches once the statistics say so: it once took the trigram index for
      // `body = …` and spent 10 to 30 ms of every post under the article's lock.
      const a = await article();
      const w = reader();
      expect((await post(w.token, a, `Hello from ${w.id}`)).status).toBe(201);
      // Statistics of a busy site: 30 authors with a hundred comments each in the last minutes.
      await t.db.query(`INSERT INTO users (id, name) SELECT 'filler-' || i, NULL FROM generate_series(0, 29) i`);
      await t.db.query(
        `INSERT INTO comments (article_id, author_id, body, status, created_at)
         SELECT $1, 'filler-' || i % 30, 'This is the clearest explanation of the budget I have read so far, number ' || i, 'published', now() - interval '1 minute'
         FROM generate_series(1, 3000) i`,
        [a],
      );
      const db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
      try {
        await db.query(`VACUUM ANALYZE comments`);
        const plans: string[] = [];
        db.on('notice', (n) => plans.push(n.message ?? ''));
        await db.query(`LOAD 'auto_explain'`);
        await db.query(`SET auto_explain.log_min_duration = 0`);
        await db.query(`SET auto_explain.log_nested_statements = on`);
        await db.query(`SET auto_explain.log_level = notice`);
        await db.query(`SET plan_cache_mode = force_generic_plan`);
        const {
          rows: [{ version, mode }],
        } = await db.query(
          `SELECT s.version, a.moderation_mode AS mode FROM moderation_settings s, articles a WHERE s.id = 1 AND a.id = $1`,
          [a],
        );
        const {
          rows: [{ outcomes }],
        } = await db.query(`SELECT post_comments($1, $2::jsonb) AS outcomes`, [
          a,
          JSON.stringify([
            {
              id: randomUUID(),
              author: w.id,
              name: null,
              body: `Hello from ${w.id}`,
              parent: null,
              status: 'published',
              reasons: [],
              final: false,
              settingsVersion: version,
              premod: false,
              approved: 0,
              mode,
              key: null,
              view: {},
              action: null,
              reason: null,
            },
          ]),
        ]);
        expect(outcomes).toEqual([{ outcome: 'repeat' }]);
        const check = plans.find((p) => p.includes('INSERT INTO comments AS c'));
        expect(check).toContain('IDX_comments_author');
        expect(check).not.toContain('IDX_comments_body_trgm');
      } finally {
        await db.end();
      }
    });
  });
});

describe('rate limits (e2e)', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await createTestApp({ RATE_LIMITS: 'on' });
    second = await createTestApp({ RATE_LIMITS: 'on' }, first.databaseUrl);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    process.env.RATE_LIMITS = 'off';
  });

  const article = async () => {
    const res = await first
      .http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${first.token('mod-rl', 'moderator')}`)
      .send({ url: `https://news.example/rl-${Math.random()}`, title: 'Busy' });
    return res.body.id as string;
  };
  const post = (app: TestApp, user: string, articleId: string, n: number): Promise<Res> =>
    app
      .http()
      .post(`/api/articles/${articleId}/comments`)
      .set('Authorization', `Bearer ${app.token(user)}`)
      .send({ body: `comment ${n}` });

  it('lets a user post a burst of 3, then answers 429 RATE_LIMITED with Retry-After, per user', async () => {
    const a = await article();
    for (let n = 1; n <= 3; n++) expect((await post(first, 'quick', a, n)).status).toBe(201);
    const limited = await post(first, 'quick', a, 4);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await post(first, 'someone-else', a, 1)).status).toBe(201);
  });

  it('shares the limit between two instances of the service', async () => {
    const a = await article();
    expect((await post(first, 'roaming', a, 1)).status).toBe(201);
    expect((await post(second, 'roaming', a, 2)).status).toBe(201);
    expect((await post(first, 'roaming', a, 3)).status).toBe(201);
    expect((await post(second, 'roaming', a, 4)).status).toBe(429);
  });

  it('limits reports per user, with limits changed at run time reaching another instance', async () => {
    const a = await article();
    const target = (await post(first, 'author-rl', a, 1)).body.id;
    await first.db.query(
      `UPDATE moderation_settings SET rate_limits = jsonb_set(rate_limits, '{report}', '{"limit": 1, "perSeconds": 60}')`,
    );
    await first
      .http()
      .put('/api/moderation/settings')
      .set('Authorization', `Bearer ${first.token('adm', 'admin')}`)
      .send({})
      .expect(200);
    // Through the instance that did not see the change: its cached settings expire within a second.
    const report = () =>
      second
        .http()
        .post(`/api/comments/${target}/reports`)
        .set('Authorization', `Bearer ${second.token('snitch')}`)
        .send({ reason: 'spam' });
    const deadline = Date.now() + 5000;
    let statuses: number[] = [];
    do {
      statuses = [(await report()).status, (await report()).status];
    } while (!statuses.includes(429) && Date.now() < deadline);
    expect(statuses).toContain(429);
  });

  it('limits edits per user: a burst of 5, then 429', async () => {
    const a = await article();
    const id = (await post(first, 'editor-rl', a, 1)).body.id;
    const edit = (n: number) =>
      first
        .http()
        .patch(`/api/comments/${id}`)
        .set('Authorization', `Bearer ${first.token('editor-rl')}`)
        .send({ body: `take ${n}` });
    const statuses: number[] = [];
    for (let n = 0; n < 6; n++) statuses.push((await edit(n)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  /**
   * A database whose per-address limit is set before any instance starts: an instance caches the
   * settings for a second, so a limit changed after its start may not apply to the first requests.
   */
  const withAddressLimit = async (limit: number, perSeconds: number) => {
    const url = await createTestDatabase();
    const setup = new Client({ connectionString: url });
    await setup.connect();
    await setup.query(`UPDATE moderation_settings SET rate_limits = jsonb_set(rate_limits, '{address}', $1)`, [
      { limit, perSeconds },
    ]);
    await setup.end();
    return url;
  };

  it('limits every request from one client address, with a higher ceiling', async () => {
    const own = await createTestApp({ RATE_LIMITS: 'on' }, await withAddressLimit(5, 60));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await own.http().get('/api/health')).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      // Without TRUST_PROXY, a forwarded address is not believed: still the same client.
      expect((await own.http().get('/api/health').set('X-Forwarded-For', '198.51.100.7')).status).toBe(429);
    } finally {
      await own.close();
    }
  });

  it('lets exactly the limit through a burst of concurrent requests, across instances, every time', async () => {
    const url = await withAddressLimit(5, 3600);
    const one = await createTestApp({ RATE_LIMITS: 'on' }, url);
    const two = await createTestApp({ RATE_LIMITS: 'on' }, url);
    try {
      for (let round = 0; round < 25; round++) {
        await one.db.query(`DELETE FROM rate_limit_buckets`);
        const burst = await Promise.all(
          Array.from({ length: 24 }, (_, i) => (i % 2 ? one : two).http().get('/api/health')),
        );
        const statuses = burst.map((res) => res.status);
        expect({ round, allowed: statuses.filter((s) => s === 200).length }).toEqual({ round, allowed: 5 });
        expect(statuses.filter((s) => s === 429)).toHaveLength(19);
        for (const res of burst.filter((r) => r.status === 429)) {
          expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        }
      }
    } finally {
      await two.close();
      await one.close();
    }
  });

  it('gives no token back to a take whose transaction began before the last take committed', async () => {
    // A statement's now() is its transaction's start: one that waited for the row's lock while
    // another instance's take committed sees a last take "in its future".
    const own = await createTestApp({ RATE_LIMITS: 'on' }, await withAddressLimit(5, 3600));
    try {
      await own.db.query(
        `INSERT INTO rate_limit_buckets (key, tokens, granted, allowed, updated_at, expires_at)
         VALUES ('address:late', 0, 5, true, now() + interval '5 seconds', now() + interval '1 hour')`,
      );
      const storage = new PostgresThrottlerStorage(own.app.get(DataSource));
      expect((await storage.increment('address:late', 3_600_000, 5)).isBlocked).toBe(true);
      const {
        rows: [bucket],
      } = await own.db.query(`SELECT tokens, granted FROM rate_limit_buckets WHERE key = 'address:late'`);
      expect(bucket).toEqual({ tokens: 0, granted: 0 });
    } finally {
      await own.close();
    }
  });

  it('counts the clients behind a trusted proxy by their forwarded addresses', async () => {
    const own = await createTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'loopback' }, await withAddressLimit(3, 60));
    try {
      const from = async (client: string) =>
        (await own.http().get('/api/health').set('X-Forwarded-For', client)).status;
      const first: number[] = [];
      for (let i = 0; i < 4; i++) first.push(await from('198.51.100.7'));
      expect(first).toEqual([200, 200, 200, 429]);
      expect(await from('203.0.113.9')).toBe(200); // another reader behind the same proxy
      expect(await from('203.0.113.9, 198.51.100.7')).toBe(429); // the proxy appends the address it saw
    } finally {
      await own.close();
    }
  });
});
