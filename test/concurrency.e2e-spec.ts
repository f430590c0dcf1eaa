import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request, { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { CommentPoster } from '../src/comments/comment-poster';
import * as sqlModule from '../src/database/sql';
import { Transactions } from '../src/database/transactions';
import { storedAndRecountedArticleCounts, storedAndRecountedReplyCounts } from './support/recount';
import { createTestApp, TestApp } from './support/test-app';
import { expectProblem, expectStatus, until } from './support/expect';

/**
 * Real parallel HTTP requests against PostgreSQL: the locks, retries and counters of the service
 * must hold when requests race. Every request gets an answer below 500.
 */

const id = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** A deterministic pseudo-random sequence, so that a failing storm can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A promise that resolves once `n` parties have arrived. */
function barrier(n: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return {
    arrive: () => {
      if (++arrived >= n) open();
      return opened;
    },
    opened,
  };
}

describe('concurrency', () => {
  let t: TestApp;
  let server: Server;
  let mod: string;
  const http = () => request(server);
  const as = <T extends { set(k: string, v: string): T }>(req: T, token: string) =>
    req.set('Authorization', `Bearer ${token}`);
  const post = (token: string, articleId: string, body: Record<string, unknown>, key?: string) => {
    const req = as(http().post(`/api/articles/${articleId}/comments`), token);
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const createArticle = async (fields: Record<string, unknown> = {}) =>
    expectStatus(
      await as(http().post('/api/articles'), mod).send({
        url: `https://news.example/${id('a')}`,
        title: 'Racing',
        ...fields,
      }),
      201,
    );

  beforeAll(async () => {
    t = await createTestApp();
    // One listening server for all requests (supertest would otherwise listen and close per request).
    server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mod = t.token('mod-conc', 'moderator');
  });
  afterAll(async () => {
    await t?.close();
  });

  // ----------------------------------------------------------------------------------------------
  describe('a close under fire', () => {
    let desk: TestApp;
    beforeAll(async () => {
      desk = await createTestApp({}, t.databaseUrl);
    });
    afterAll(async () => {
      await desk?.close();
    });

    it('accepts no post after the close, and loses none that it accepted', async () => {
      const article = await createArticle();
      const runId = id('fire');
      type Shot = { i: number; res?: Response; sentAt: number; answeredAt?: number };
      const shoot = (i: number): Promise<Shot> => {
        const shot: Shot = { i, sentAt: Date.now() };
        return post(t.token(`${runId}-u${i}`), article.id, { body: `comment number ${i} of ${runId}` }).then((res) => {
          shot.res = res;
          shot.answeredAt = Date.now();
          return shot;
        });
      };

      // 150 posts in flight; the close goes out once the first 10 are answered; 50 more after it.
      let answered = 0;
      let fireClose!: () => void;
      const closeTrigger = new Promise<void>((r) => (fireClose = r));
      const firstWave = Array.from({ length: 150 }, (_, i) =>
        shoot(i).then((s) => {
          if (++answered === 10) fireClose();
          return s;
        }),
      );
      await closeTrigger;
      const closeSentAt = Date.now();
      // The moderator's close goes through another instance, as from a newsroom tool: on this one it
      // would wait for a pool connection behind the posts (see 'one hot article' below).
      const close = await as(request(desk.app.getHttpServer()).post(`/api/articles/${article.id}/close`), mod).send({
        message: 'Enough.',
      });
      expectStatus(close, 200);
      const closeAnsweredAt = Date.now();
      const secondWave = Array.from({ length: 50 }, (_, i) => shoot(150 + i));
      const shots = await Promise.all([...firstWave, ...secondWave]);

      const accepted = shots.filter((s) => s.res!.status === 201);
      const refused = shots.filter((s) => s.res!.status === 409);
      for (const s of refused) expectProblem(s.res!, 409, 'ARTICLE_CLOSED');
      // Everything answered before the close was sent was accepted; everything sent after it answered, refused.
      const answeredBelow500 = shots.filter((x) => x.res!.status < 500); // 5xx: checked at the end
      for (const s of answeredBelow500.filter((x) => x.answeredAt! < closeSentAt)) expect(s.res!.status).toBe(201);
      for (const s of answeredBelow500.filter((x) => x.sentAt > closeAnsweredAt)) expect(s.res!.status).toBe(409);
      expect(accepted.length).toBeGreaterThanOrEqual(10);
      expect(refused.length).toBeGreaterThanOrEqual(40);

      // Stored = accepted, exactly; each was committed before the close took the article's lock.
      const { rows: stored } = await t.db.query(
        `SELECT c.id, c.created_at <= a.closed_at AS before_close
         FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.article_id = $1`,
        [article.id],
      );
      expect(stored.map((r) => r.id).sort()).toEqual(accepted.map((s) => s.res!.body.id).sort());
      expect(stored.filter((r) => !r.before_close)).toEqual([]);
      const counts = await storedAndRecountedArticleCounts(t, [article.id]);
      expect(counts.stored[article.id]).toEqual(counts.recounted[article.id]);
      expect(counts.stored[article.id].visible).toBe(accepted.length);
      // One close, logged once.
      const { rows: closes } = await t.db.query(
        `SELECT 1 FROM moderation_log WHERE target_id = $1 AND action = 'close'`,
        [article.id],
      );
      expect(closes).toHaveLength(1);

      // And every post was answered 201 or 409: none 5xx. (On a loaded machine some can wait longer
      // than the pool's 3 s for a connection and get 503: see 'one hot article' below.)
      const others = shots.filter((s) => s.res!.status !== 201 && s.res!.status !== 409);
      expect(others.map((s) => `${s.res!.status} ${s.res!.body?.code}: ${s.res!.body?.detail}`)).toEqual([]);
    });
  });

  // ----------------------------------------------------------------------------------------------
  it('does not let one hot article starve the rest: while posts queue on its row, other requests are answered', async () => {
    // More posts to one article than the pool has connections, while a slow holder of its row
    // stands in for a long burst. Only a couple of them may wait on the row holding a connection
    // (an article is in at most two of the poster's statements); the rest wait in memory, and
    // other requests go on.
    const hot = await createArticle();
    const other = await createArticle();
    const poolSize = (t.app.get(DataSource).driver as unknown as { master: { options: { max: number } } }).master
      .options.max;
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM articles WHERE id = $1 FOR UPDATE', [hot.id]);
      const posts = Array.from(
        { length: poolSize + 10 },
        (_, i) => post(t.token(id('hot')), hot.id, { body: `hot take ${i}` }).then((r) => r), // (then() sends it)
      );
      const lockWaiters = async () =>
        (
          await t.db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        ).rows[0].n;
      await until("two posts waiting on the hot article's row", 10_000, async () => (await lockWaiters()) >= 2);
      // Answered while the row is still held: starved of a connection, it would get a 503 after
      // the pool's wait, or no answer at all until the holder commits below.
      const read = await http().get(`/api/articles/${other.id}`);
      expect(await lockWaiters()).toBe(2);
      await holder.query('COMMIT');
      const answers = await Promise.all(posts);
      expect({ status: read.status, code: read.body.code }).toEqual({ status: 200, code: undefined });
      expect(answers.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.code}`)).toEqual([]);
    } finally {
      await holder.end();
    }
  });

  // ----------------------------------------------------------------------------------------------
  it('answers posts to several articles sent together in one statement as if each came alone', async () => {
    // While a holder keeps the articles' rows, the first statements wait on them and the other posts
    // wait for those; let go, they go together across articles (post_comments_across). Each must
    // get its own answer, and its article its counts and events.
    const articles = [await createArticle(), await createArticle(), await createArticle(), await createArticle()];
    const parents = await Promise.all(
      articles.map(async (a) =>
        expectStatus(await post(t.token(id('parent')), a.id, { body: `parent in ${a.id}` }), 201),
      ),
    );
    const statements = jest.spyOn(sqlModule, 'sql');
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM articles WHERE id = ANY($1::uuid[]) FOR UPDATE', [articles.map((a) => a.id)]);
      const sent = articles.flatMap((a, k) =>
        Array.from({ length: 8 }, (_, i) => ({
          articleId: a.id,
          // the last, a reply to another article's comment: refused alone, the others of its statement stand
          body: `together ${k} ${i}`,
          parentId: i === 7 ? parents[(k + 1) % articles.length].id : i % 3 === 2 ? parents[k].id : undefined,
        })),
      );
      const answers = sent.map((s) =>
        post(t.token(id('author')), s.articleId, { body: s.body, parentId: s.parentId }).then((r) => r),
      ); // (then() sends it)
      const lockWaiters = async () =>
        (
          await t.db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        ).rows[0].n;
      await until("three statements waiting on the articles' rows", 10_000, async () => (await lockWaiters()) >= 3);
      // Every other post must be queued behind them before the rows are let go: on a busy machine
      // the last requests can still be on their way, and would then go one by one.
      const queued = () => (t.app.get(CommentPoster) as unknown as { waiting: unknown[] }).waiting.length;
      await until('the other posts queued', 10_000, async () => queued() >= sent.length - 3 || undefined);
      await holder.query('COMMIT');
      const got = await Promise.all(answers);

      expect(
        statements.mock.calls.filter(([, text]) => /post_comments_across/.test(String(text))).length,
      ).toBeGreaterThan(0);
      expect(got.map((r, i) => [r.status, r.body.articleId ?? r.body.code, r.body.body ?? sent[i].body])).toEqual(
        sent.map((s, i) => (i % 8 === 7 ? [404, 'NOT_FOUND', s.body] : [201, s.articleId, s.body])),
      );
      const articleIds = articles.map((a) => a.id);
      const counts = await storedAndRecountedArticleCounts(t, articleIds);
      expect(counts.stored).toEqual(counts.recounted);
      const replies = await storedAndRecountedReplyCounts(t, articleIds);
      expect(replies.stored).toEqual(replies.recounted);
      // Each article: one event per comment, numbered by its thread version without a gap.
      const { rows: events } = await t.db.query(
        `SELECT a.thread_version::int AS version, array_agg(e.version::int ORDER BY e.version) AS versions,
                count(*) FILTER (WHERE e.type = 'comment.created')::int AS created
         FROM articles a JOIN thread_events e ON e.article_id = a.id WHERE a.id = ANY($1::uuid[]) GROUP BY a.id`,
        [articleIds],
      );
      expect(events.map((e) => e.created)).toEqual([8, 8, 8, 8]); // the parent and 7 posts
      for (const e of events) {
        const first = e.versions[0];
        expect(e.versions).toEqual(e.versions.map((_: number, i: number) => first + i));
        expect(e.versions[e.versions.length - 1]).toBe(e.version);
      }
    } finally {
      statements.mockRestore();
      await holder.end();
    }
  });

  // ----------------------------------------------------------------------------------------------
  it('lets exactly one of two moderators acting at once with expectedStatus win, and logs it once', async () => {
    const article = await createArticle();
    const [modA, modB] = [t.token('mod-a', 'moderator'), t.token('mod-b', 'moderator')];
    const decisions: [string, string][] = [
      ['approve', 'reject'],
      ['reject', 'approve'],
      ['approve', 'approve'],
      ['reject', 'reject'],
    ];
    for (let round = 0; round < 12; round++) {
      const [da, db] = decisions[round % decisions.length];
      const comment = expectStatus(await post(t.token(id('author')), article.id, { body: `round ${round}` }), 201);
      const [a, b] = await Promise.all([
        as(http().post(`/api/moderation/comments/${comment.id}/${da}`), modA).send({ expectedStatus: 'published' }),
        as(http().post(`/api/moderation/comments/${comment.id}/${db}`), modB).send({ expectedStatus: 'published' }),
      ]);
      const winners = [a, b].filter((r) => r.status === 200);
      const losers = [a, b].filter((r) => r.status !== 200);
      expect({ round, winners: winners.length }).toEqual({ round, winners: 1 });
      expectProblem(losers[0], 409, 'CONFLICT');
      const { rows: log } = await t.db.query(
        `SELECT from_status, to_status, actor_id FROM moderation_log WHERE target_type = 'comment' AND target_id = $1 ORDER BY seq`,
        [comment.id],
      );
      expect(log).toEqual([
        { from_status: 'published', to_status: winners[0].body.status, actor_id: winners[0] === a ? 'mod-a' : 'mod-b' },
      ]);
      const {
        rows: [row],
      } = await t.db.query(`SELECT status FROM comments WHERE id = $1`, [comment.id]);
      expect(row.status).toBe(winners[0].body.status);
    }
    const counts = await storedAndRecountedArticleCounts(t, [article.id]);
    expect(counts.stored).toEqual(counts.recounted);
  });

  // ----------------------------------------------------------------------------------------------
  it('keeps every count equal to a recount, and every status change logged, after a storm of mixed actions', async () => {
    const rnd = prng(20251128);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const people = Array.from({ length: 12 }, (_, i) => ({ id: id(`storm${i}`), i }));
    const tokenOf = (p: { id: string }) => t.token(p.id);
    const articles = [await createArticle(), await createArticle(), await createArticle({ moderationMode: 'pre' })];
    const articleIds = articles.map((a) => a.id);
    let n = 0;
    const body = () => `storm comment ${++n} ${randomBytes(3).toString('hex')}`;

    // Seed: a few comments per article, from known authors.
    const known: { id: string; articleId: string; author: { id: string } }[] = [];
    for (const a of articles) {
      for (let k = 0; k < 6; k++) {
        const author = pick(people);
        const c = expectStatus(await post(tokenOf(author), a.id, { body: body() }), 201);
        known.push({ id: c.id, articleId: a.id, author });
      }
    }

    const remember = (res: Response, author: { id: string }) => {
      if (res.status === 201) known.push({ id: res.body.id, articleId: res.body.articleId, author });
      return res;
    };
    const modToken = (i: number) => t.token(`storm-mod-${i % 3}`, 'moderator');
    const action = (k: number): Promise<Response> => {
      const roll = rnd();
      const target = pick(known);
      const someone = pick(people);
      if (roll < 0.2)
        return post(tokenOf(someone), pick(articleIds), { body: body() }).then((r) => remember(r, someone));
      if (roll < 0.35)
        return post(tokenOf(someone), target.articleId, { body: body(), parentId: target.id }).then((r) =>
          remember(r, someone),
        );
      if (roll < 0.5) {
        const extra = rnd() < 0.3 ? { expectedStatus: pick(['published', 'pending', 'approved']) } : {};
        return as(http().post(`/api/moderation/comments/${target.id}/approve`), modToken(k)).send(extra);
      }
      if (roll < 0.6)
        return as(http().post(`/api/moderation/comments/${target.id}/reject`), modToken(k)).send({ reason: 'storm' });
      if (roll < 0.65) {
        const ids = [pick(known).id, pick(known).id, pick(known).id];
        return as(http().post('/api/moderation/bulk'), modToken(k)).send({
          action: pick(['approve', 'reject']),
          commentIds: [...new Set(ids)],
        });
      }
      if (roll < 0.73) {
        const by = rnd() < 0.5 ? tokenOf(target.author) : modToken(k);
        return as(http().delete(`/api/comments/${target.id}`), by);
      }
      if (roll < 0.88) {
        const reporter =
          people.find((p) => p.id !== target.author.id && rnd() < 0.5) ??
          people.find((p) => p.id !== target.author.id)!;
        return as(http().post(`/api/comments/${target.id}/reports`), tokenOf(reporter)).send({
          reason: pick(['spam', 'abuse', 'other']),
        });
      }
      return as(http().patch(`/api/comments/${target.id}`), tokenOf(target.author)).send({ body: body() });
    };

    // Waves of parallel actions, so that later actions find comments that earlier ones created.
    const results: Response[] = [];
    for (let wave = 0; wave < 6; wave++) {
      results.push(...(await Promise.all(Array.from({ length: 60 }, (_, k) => action(wave * 60 + k)))));
    }
    const bad = results.filter((r) => r.status >= 500 || ![200, 201, 204, 403, 404, 409].includes(r.status));
    expect(bad.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    for (const r of results.filter((x) => x.status >= 400)) {
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // The storm did a bit of everything.
    const okBulk = results.filter((r) => r.body?.results);
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThan(50);
    expect(results.filter((r) => r.status === 204).length).toBeGreaterThan(5);
    expect(okBulk.length).toBeGreaterThan(0);

    const counts = await storedAndRecountedArticleCounts(t, articleIds);
    expect(counts.stored).toEqual(counts.recounted);
    const replies = await storedAndRecountedReplyCounts(t, articleIds);
    expect(replies.stored).toEqual(replies.recounted);
    const { rows: reportCounts } = await t.db.query(
      `SELECT c.id, c.open_report_count AS stored,
              (SELECT count(*)::int FROM reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL) AS recounted
       FROM comments c WHERE c.article_id = ANY($1::uuid[])`,
      [articleIds],
    );
    expect(reportCounts.filter((r) => r.stored !== r.recounted)).toEqual([]);

    // Replaying each comment's log from its first status ends at its stored status.
    const { rows: comments } = await t.db.query(
      `SELECT c.id, c.status, a.moderation_mode FROM comments c JOIN articles a ON a.id = c.article_id
       WHERE c.article_id = ANY($1::uuid[])`,
      [articleIds],
    );
    const { rows: log } = await t.db.query(
      `SELECT target_id, action, from_status, to_status FROM moderation_log
       WHERE target_type = 'comment' AND article_id = ANY($1::uuid[]) ORDER BY seq`,
      [articleIds],
    );
    const byComment = new Map<string, typeof log>();
    for (const e of log) byComment.set(e.target_id, [...(byComment.get(e.target_id) ?? []), e]);
    const broken: string[] = [];
    let changes = 0;
    for (const c of comments) {
      const entries = byComment.get(c.id) ?? [];
      // A comment is created published, unless the rules held or rejected it: then the first entry says so.
      let status = entries[0]?.from_status === null && entries[0]?.to_status ? entries[0].to_status : 'published';
      for (const [i, e] of entries.entries()) {
        if (i === 0 && e.from_status === null && e.to_status) continue;
        if (e.from_status !== null && e.from_status !== status)
          broken.push(`${c.id}: ${e.action} from ${e.from_status}, but it was ${status}`);
        if (e.to_status) {
          status = e.to_status;
          changes++;
        }
      }
      if (status !== c.status) broken.push(`${c.id}: the log ends at ${status}, the comment is ${c.status}`);
    }
    expect(broken).toEqual([]);
    expect(changes).toBeGreaterThan(30);
  });

  // ----------------------------------------------------------------------------------------------
  it('creates one comment for 20 parallel retries with one Idempotency-Key, and answers each with it', async () => {
    const article = await createArticle();
    const token = t.token(id('clicker'));
    const key = id('key');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(token, article.id, { body: 'clicked twenty times' }, key)),
    );
    for (const res of answers) expectStatus(res, 200, 201);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    const { rows } = await t.db.query(`SELECT id FROM comments WHERE article_id = $1`, [article.id]);
    expect(rows.map((r) => r.id)).toEqual([answers[0].body.id]);
  });

  // ----------------------------------------------------------------------------------------------
  describe('Transactions', () => {
    let tx: Transactions;
    let rowA: string;
    let rowB: string;
    beforeAll(async () => {
      tx = t.app.get(Transactions);
      rowA = (await createArticle()).id;
      rowB = (await createArticle()).id;
    });

    it('retries the loser of a real deadlock, and both units of work succeed', async () => {
      const bothLocked = barrier(2);
      const failures: string[] = [];
      const tries: Record<string, number> = {};
      const finished: Record<string, Promise<string>> = {};
      let attempts = 0;
      const unit = (first: string, second: string, title: string, other: string) =>
        tx.run(async (m) => {
          attempts++;
          tries[title] = (tries[title] ?? 0) + 1;
          // The loser's retry starts once the winner has committed: sooner, it could take its first
          // row back before the winner (woken by the rollback) does, and deadlock with it again.
          if (tries[title] > 1) await finished[other];
          await m.query(`SELECT 1 FROM articles WHERE id = $1 FOR UPDATE`, [first]);
          await bothLocked.arrive(); // already open on a retry
          try {
            await m.query(`UPDATE articles SET title = $2 WHERE id = $1`, [second, title]);
          } catch (error) {
            failures.push((error as { code?: string }).code ?? String(error));
            throw error;
          }
          return title;
        });
      finished.one = unit(rowA, rowB, 'one', 'two');
      finished.two = unit(rowB, rowA, 'two', 'one');
      const results = await Promise.all([finished.one, finished.two]);
      expect(results).toEqual(['one', 'two']);
      expect(failures).toEqual(['40P01']); // it really deadlocked, once
      expect(attempts).toBe(3);
    });

    it('retries a real serialization failure (40001) until it succeeds', async () => {
      let attempts = 0;
      let read!: () => void;
      const hasRead = new Promise<void>((r) => (read = r));
      let committed!: () => void;
      const otherCommitted = new Promise<void>((r) => (committed = r));
      const failures: string[] = [];
      const reader = tx.run(async (m) => {
        attempts++;
        await m.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
        await m.query(`SELECT title FROM articles WHERE id = $1`, [rowA]); // the snapshot is taken here
        if (attempts === 1) {
          read();
          await otherCommitted;
        }
        try {
          await m.query(`UPDATE articles SET title = 'reader' WHERE id = $1`, [rowA]);
        } catch (error) {
          failures.push((error as { code?: string }).code ?? String(error));
          throw error;
        }
        return attempts;
      });
      await hasRead;
      await tx.run((m) => m.query(`UPDATE articles SET title = 'writer' WHERE id = $1`, [rowA]));
      committed();
      expect(await reader).toBe(2);
      expect(failures).toEqual(['40001']);
      const { rows } = await t.db.query(`SELECT title FROM articles WHERE id = $1`, [rowA]);
      expect(rows[0].title).toBe('reader');
    });

    it('retries a unit that throws 40001 once', async () => {
      let attempts = 0;
      const result = await tx.run(async (m) => {
        attempts++;
        await m.query('SELECT 1');
        if (attempts === 1)
          throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
        return 'done';
      });
      expect({ result, attempts }).toEqual({ result: 'done', attempts: 2 });
    });

    it('does not retry other errors', async () => {
      let attempts = 0;
      await expect(
        tx.run(async (m) => {
          attempts++;
          await m.query('SELECT 1/0');
        }),
      ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '22012' }) });
      expect(attempts).toBe(1);
    });
  });
});
