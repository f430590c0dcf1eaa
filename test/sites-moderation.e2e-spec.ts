import jwt from 'jsonwebtoken';
import { AddressInfo } from 'node:net';
import { expectProblem, expectStatus, until } from './support/expect';
import { uid } from './support/moderation-helpers';
import { StreamReader } from './support/stream-reader';
import { createTestApp, Role, TestApp } from './support/test-app';

/**
 * Two sites on one installation: each site's moderators see and change only their own site's
 * comments, users, notes, log and stream; a moderator granted both sees both.
 */
const SECOND_SECRET = 'the-second-sites-own-secret-0123456789';
const SITE_HEADER = 'Comment-Desk-Site';

let t: TestApp;
let port: number;

/** Someone signed in: on the first site (the test app's secret), or on `second` with its own. */
interface Caller {
  token: string;
  headers: Record<string, string>;
}
const onFirst = (sub: string, role: Role = 'commenter'): Caller => {
  const token = t.token(sub, role);
  return { token, headers: { Authorization: `Bearer ${token}` } };
};
const onSecond = (sub: string, role: Role = 'commenter'): Caller => {
  const token = jwt.sign({ sub, role, name: `${sub} name` }, SECOND_SECRET, { algorithm: 'HS256', expiresIn: '1h' });
  return { token, headers: { Authorization: `Bearer ${token}`, [SITE_HEADER]: 'second' } };
};

const send = (caller: Caller, method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object) => {
  let req = t.http()[method](path);
  for (const [name, value] of Object.entries(caller.headers)) req = req.set(name, value);
  return body === undefined ? req : req.send(body);
};

async function article(caller: Caller): Promise<string> {
  const slug = uid('article');
  const res = await send(caller, 'post', '/api/articles', {
    url: `https://news.example/${slug}`,
    title: `Title ${slug}`,
    moderationMode: 'pre',
  });
  return expectStatus(res, 201).id;
}

async function comment(caller: Caller, articleId: string, body: string): Promise<string> {
  return expectStatus(await send(caller, 'post', `/api/articles/${articleId}/comments`, { body }), 201).id;
}

const queueIds = async (caller: Caller, query = '') => {
  const page = expectStatus(await send(caller, 'get', `/api/moderation/queue/pending?limit=100${query}`), 200);
  return page.items as { id: string; article: { site: { key: string; name: string } } }[];
};

const stream = (caller: Caller, query = '') =>
  StreamReader.connect(port, `/api/moderation/stream${query}`, caller.headers);

describe('moderation across sites', () => {
  const mod1 = () => onFirst('mod-one', 'moderator');
  const admin1 = () => onFirst('admin-one', 'admin');
  const mod2 = () => onSecond('mod-two', 'moderator');
  const admin2 = () => onSecond('admin-two', 'admin');
  const reader1 = () => onFirst('reader-one');
  const reader2 = () => onSecond('reader-two');
  let article1: string;
  let article2: string;
  let c1: string;
  let c2: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    await t.db.query(
      `WITH site AS (INSERT INTO sites (key, name, identity) VALUES ('second', 'The Second Paper', $1) RETURNING id)
       INSERT INTO moderation_settings -- the first site's settings, as the second's
       SELECT (jsonb_populate_record(NULL::moderation_settings, to_jsonb(s) || jsonb_build_object('id', site.id))).*
       FROM moderation_settings s, site WHERE s.id = 1`,
      [JSON.stringify({ secrets: [SECOND_SECRET] })],
    );
    article1 = await article(mod1());
    article2 = await article(mod2());
    c1 = await comment(reader1(), article1, 'first site words');
    c2 = await comment(reader2(), article2, 'second site words');
  });

  afterAll(() => t?.close());

  it("shows each site's moderator their own site's queue and search, the cards naming the site", async () => {
    const first = await queueIds(mod1());
    expect(first.map((i) => i.id)).toEqual([c1]);
    expect(first[0].article.site).toEqual({ key: 'default', name: expect.any(String) });
    const second = await queueIds(mod2());
    expect(second.map((i) => i.id)).toEqual([c2]);
    expect(second[0].article.site).toEqual({ key: 'second', name: 'The Second Paper' });

    const search = async (caller: Caller) =>
      (expectStatus(await send(caller, 'get', '/api/moderation/comments?q=words'), 200).items as { id: string }[]).map(
        (i) => i.id,
      );
    expect(await search(mod1())).toEqual([c1]);
    expect(await search(mod2())).toEqual([c2]);
    // Another site's comment named by id is simply not there.
    const named = expectStatus(await send(mod1(), 'get', `/api/moderation/comments?commentId=${c2}`), 200);
    expect(named.items).toEqual([]);
  });

  it('refuses a named site where the caller holds no role, with a 403 problem', async () => {
    for (const path of [
      '/api/moderation/queue/pending',
      '/api/moderation/comments',
      '/api/moderation/log',
      '/api/moderation/log/moderators',
      '/api/moderation/log/users?q=reader',
    ]) {
      const sep = path.includes('?') ? '&' : '?';
      expectProblem(await send(mod1(), 'get', `${path}${sep}site=second`), 403, 'FORBIDDEN');
      expectProblem(await send(mod2(), 'get', `${path}${sep}site=default`), 403, 'FORBIDDEN');
    }
    // All of a single site's moderator's sites: theirs alone.
    expect((await queueIds(mod1(), '&site=all')).map((i) => i.id)).toEqual([c1]);
    expect((await queueIds(mod2(), '&site=all')).map((i) => i.id)).toEqual([c2]);
  });

  it("answers another site's comment as missing to single and bulk decisions", async () => {
    for (const decision of ['approve', 'reject']) {
      expectProblem(await send(mod1(), 'post', `/api/moderation/comments/${c2}/${decision}`, {}), 404, 'NOT_FOUND');
      expectProblem(await send(mod2(), 'post', `/api/moderation/comments/${c1}/${decision}`, {}), 404, 'NOT_FOUND');
    }
    expectProblem(
      await send(mod1(), 'post', `/api/moderation/comments/${c2}/restore`, {
        status: 'pending',
        expectedStatus: 'approved',
      }),
      404,
      'NOT_FOUND',
    );
    const missing = '00000000-0000-4000-8000-000000000000';
    const bulk = expectStatus(
      await send(mod1(), 'post', '/api/moderation/bulk', { action: 'approve', commentIds: [c2, missing] }),
      200,
    );
    expect(bulk.results).toEqual([
      { id: c2, ok: false, code: 'NOT_FOUND' },
      { id: missing, ok: false, code: 'NOT_FOUND' },
    ]);
    // Nothing changed: both still wait on their own site.
    expect((await queueIds(mod1())).map((i) => i.id)).toContain(c1);
    expect((await queueIds(mod2())).map((i) => i.id)).toContain(c2);
  });

  it("keeps users, bans, notes and erasure to the user's own site", async () => {
    const reader2Id = 'second:reader-two';
    expectStatus(await send(mod2(), 'get', `/api/moderation/users/${reader2Id}`), 200);
    expectStatus(await send(mod1(), 'get', '/api/moderation/users/reader-one'), 200);
    const refusals = [
      send(mod1(), 'get', `/api/moderation/users/${reader2Id}`),
      send(mod1(), 'post', `/api/moderation/users/${reader2Id}/ban`, { reason: 'no' }),
      send(mod1(), 'post', `/api/moderation/users/${reader2Id}/unban`),
      send(mod1(), 'post', `/api/moderation/users/${reader2Id}/premod`, { enabled: true }),
      send(mod1(), 'get', `/api/moderation/users/${reader2Id}/notes`),
      send(mod1(), 'post', `/api/moderation/users/${reader2Id}/notes`, { body: 'watch them' }),
      send(admin1(), 'post', `/api/moderation/users/${reader2Id}/erase`),
      send(mod2(), 'get', '/api/moderation/users/reader-one'),
      send(mod2(), 'post', '/api/moderation/users/reader-one/ban', { reason: 'no' }),
      send(mod2(), 'post', '/api/moderation/users/reader-one/notes', { body: 'watch them' }),
      send(admin2(), 'post', '/api/moderation/users/reader-one/erase'),
      // An id never seen that the naming site's login could not give.
      send(mod1(), 'post', '/api/moderation/users/second:someone/ban', { reason: 'no' }),
      send(mod2(), 'post', '/api/moderation/users/someone/ban', { reason: 'no' }),
    ];
    for (const res of await Promise.all(refusals)) expectProblem(res, 404, 'NOT_FOUND');
    const banned = await t.db.query(`SELECT id FROM users WHERE banned_at IS NOT NULL OR premod`);
    expect(banned.rows).toEqual([]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM user_notes`)).rows[0].n).toBe(0);

    // Their own site's moderator may; a user never seen is recorded on the request's site.
    expectStatus(await send(mod2(), 'post', `/api/moderation/users/${reader2Id}/notes`, { body: 'watch them' }), 201);
    const notes = expectStatus(await send(mod2(), 'get', `/api/moderation/users/${reader2Id}/notes`), 200);
    expect(notes.items).toHaveLength(1);
    expectStatus(await send(mod2(), 'post', '/api/moderation/users/second:newcomer/ban', { reason: 'spam' }), 200);
    const { rows } = await t.db.query(`SELECT s.key FROM users u JOIN sites s ON s.id = u.site_id WHERE u.id = $1`, [
      'second:newcomer',
    ]);
    expect(rows).toEqual([{ key: 'second' }]);
    // A moderator (not admin) of the user's site may not erase; that site's admin may.
    expectProblem(await send(mod2(), 'post', `/api/moderation/users/second:newcomer/erase`), 403, 'FORBIDDEN');
    expectStatus(await send(admin2(), 'post', `/api/moderation/users/second:newcomer/erase`), 200);
  });

  it("rejects, with a ban, only the banned user's waiting comments of their site", async () => {
    const pestSub = uid('pest');
    const pest = onSecond(pestSub);
    const waiting = await comment(pest, article2, 'pest words');
    const res = expectStatus(
      await send(mod2(), 'post', `/api/moderation/users/second:${pestSub}/ban`, {
        reason: 'pest',
        rejectWaiting: true,
      }),
      200,
    );
    expect(res.waitingRejections).toEqual({ rejected: 1, skipped: 0 });
    expect((await queueIds(mod2())).map((i) => i.id)).not.toContain(waiting);
  });

  it("shows each site's moderators their own site's log and people", async () => {
    const decided = await comment(reader2(), article2, 'to be rejected');
    expectStatus(await send(mod2(), 'post', `/api/moderation/comments/${decided}/reject`, {}), 200);
    const log = async (caller: Caller, query = '') =>
      expectStatus(await send(caller, 'get', `/api/moderation/log?limit=100${query}`), 200).items as {
        targetId: string;
        actor: { id: string } | null;
      }[];
    const firstLog = await log(mod1());
    const secondLog = await log(mod2());
    expect(secondLog.map((e) => e.targetId)).toContain(decided);
    expect(firstLog.map((e) => e.targetId)).not.toContain(decided);
    expect(firstLog.map((e) => e.targetId)).not.toContain('second:reader-two');
    expectStatus(await send(mod1(), 'get', `/api/moderation/log?commentId=${decided}`), 200);
    expect(await log(mod1(), `&commentId=${decided}`)).toEqual([]);

    const people = async (caller: Caller, path: string) =>
      (expectStatus(await send(caller, 'get', path), 200).items as { id: string }[]).map((p) => p.id);
    expect(await people(mod2(), '/api/moderation/log/moderators')).toContain('second:mod-two');
    expect(await people(mod1(), '/api/moderation/log/moderators')).not.toContain('second:mod-two');
    expect(await people(mod1(), '/api/moderation/log/users?q=reader')).toEqual(['reader-one']);
    expect(await people(mod2(), '/api/moderation/log/users?q=reader')).toEqual(['second:reader-two']);
  });

  it("streams to each site's moderators their own site's events, and refuses another site", async () => {
    const refused = await stream(mod1(), '?site=second');
    expectProblem(refused.problem, 403, 'FORBIDDEN');
    const first = await stream(mod1());
    const second = await stream(mod2());
    try {
      const [firstCounts] = await first.waitFor(1, 'queue.counts');
      const [secondCounts] = await second.waitFor(1, 'queue.counts');
      const pending1 = (await queueIds(mod1())).length;
      const pending2 = (await queueIds(mod2())).length;
      expect(JSON.parse(firstCounts.data).pending).toBe(pending1);
      expect(JSON.parse(secondCounts.data).pending).toBe(pending2);

      const held1 = await comment(reader1(), article1, 'held on the first');
      const held2 = await comment(reader2(), article2, 'held on the second');
      const [event1] = await first.waitFor(1, 'comment.held');
      const [event2] = await second.waitFor(1, 'comment.held');
      expect(JSON.parse(event1.data)).toMatchObject({ targetId: held1, siteId: 1 });
      expect(JSON.parse(event2.data)).toMatchObject({ targetId: held2 });
      // A later event of each site reaches its own stream only: nothing of the other came before it.
      expectStatus(await send(mod2(), 'post', `/api/moderation/comments/${held2}/approve`, {}), 200);
      expectStatus(await send(mod1(), 'post', `/api/moderation/comments/${held1}/approve`, {}), 200);
      await first.waitFor(1, 'decision');
      await second.waitFor(1, 'decision');
      const targets = (reader: StreamReader) =>
        reader.events.filter((e) => e.event !== 'queue.counts').map((e) => JSON.parse(e.data).targetId);
      expect(targets(first)).toEqual([held1, held1]);
      expect(targets(second)).toEqual([held2, held2]);
    } finally {
      first.close();
      second.close();
    }
  });

  it('lets a moderator granted both sites see both, until the grant is removed', async () => {
    const secondId = (await t.db.query(`SELECT id FROM sites WHERE key = 'second'`)).rows[0].id as number;
    await t.db.query(`INSERT INTO site_members (site_id, user_id, role) VALUES ($1, 'mod-one', 'moderator')`, [
      secondId,
    ]);
    const all = await queueIds(mod1(), '&site=all');
    expect(all.map((i) => i.id).sort()).toEqual([c1, c2].sort());
    expect(Object.fromEntries(all.map((i) => [i.id, i.article.site.key]))).toEqual({ [c1]: 'default', [c2]: 'second' });
    expect((await queueIds(mod1(), '&site=second')).map((i) => i.id)).toEqual([c2]);
    expect((await queueIds(mod1())).map((i) => i.id)).toEqual([c1]);
    expectStatus(await send(mod1(), 'get', '/api/moderation/users/second:reader-two'), 200);

    const both = await stream(mod1(), '?site=all');
    try {
      const [counts] = await both.waitFor(1, 'queue.counts');
      expect(JSON.parse(counts.data).pending).toBe(all.length);
      const held1 = await comment(reader1(), article1, 'for all of them, first');
      const held2 = await comment(reader2(), article2, 'for all of them, second');
      const held = await both.waitFor(2, 'comment.held');
      expect(held.map((e) => JSON.parse(e.data).targetId).sort()).toEqual([held1, held2].sort());
      expectStatus(await send(mod1(), 'post', `/api/moderation/comments/${held2}/approve`, {}), 200);
      await until('the decision on the second site', 5000, async () =>
        both.events.some((e) => e.event === 'decision' && JSON.parse(e.data).targetId === held2),
      );
    } finally {
      both.close();
    }

    await t.db.query(`DELETE FROM site_members WHERE user_id = 'mod-one'`);
    expectProblem(await send(mod1(), 'get', '/api/moderation/queue/pending?site=second'), 403, 'FORBIDDEN');
    const after = await queueIds(mod1(), '&site=all');
    expect(after.map((i) => i.id)).toContain(c1);
    expect(new Set(after.map((i) => i.article.site.key))).toEqual(new Set(['default']));
    expectProblem(await send(mod1(), 'post', `/api/moderation/comments/${c2}/approve`, {}), 404, 'NOT_FOUND');
    expectProblem(await send(mod1(), 'get', '/api/moderation/users/second:reader-two'), 404, 'NOT_FOUND');
  });
});
