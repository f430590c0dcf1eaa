import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { ClosingSweeper } from '../src/articles/closing-sweeper';
import { createTestApp, Role, TestApp } from './support/test-app';
import { DEFAULT_CLOSED_MESSAGE, expectProblem } from './support/expect';

/**
 * Articles, per the HTTP contract (docs/openapi.json): creating, reading, listing, changing, closing and reopening,
 * closing by schedule (closeAt, autoCloseAfterDays) and the closing sweep.
 * All tests share one app and one database; each creates the articles it looks at.
 */

const DEFAULT_DISCLAIMER = 'The comments below have not been moderated.';
const COUNT_KEYS = ['approved', 'pending', 'published', 'rejected', 'reported', 'visible'];
const ARTICLE_KEYS = [
  'closeAt',
  'closed',
  'closedAt',
  'closedMessage',
  'counts',
  'createdAt',
  'disclaimer',
  'externalId',
  'id',
  'moderationMode',
  'title',
  'updatedAt',
  'url',
];
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

type Who = 'anonymous' | Role;
const USER_IDS: Record<Role, string> = { commenter: 'alice', moderator: 'mod-1', admin: 'admin-1' };

let t: TestApp;
let sweeper: ClosingSweeper;

/** One request, as `who`. */
function call(method: 'get' | 'post' | 'patch' | 'put', path: string, who: Who = 'anonymous', body?: object) {
  let req = t.http()[method](path);
  if (who !== 'anonymous') req = req.set('Authorization', `Bearer ${t.token(USER_IDS[who], who)}`);
  return body === undefined ? req : req.send(body);
}

function expectValidationError(res: Response, field: string) {
  expectProblem(res, 400, 'VALIDATION_FAILED');
  expect(Array.isArray(res.body.errors)).toBe(true);
  expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

let seq = 0;
const uniqueUrl = () => `https://news.example/articles/${++seq}-${randomUUID()}`;

async function createArticle(fields: Record<string, unknown> = {}) {
  const res = await call('post', '/api/articles', 'moderator', {
    url: uniqueUrl(),
    title: `Article ${seq}`,
    ...fields,
  });
  expect(res.status).toBe(201);
  return res.body;
}

const getArticle = (id: string, who: Who = 'moderator') => call('get', `/api/articles/${id}`, who);
const patchArticle = (id: string, body: object, who: Who = 'moderator') =>
  call('patch', `/api/articles/${id}`, who, body);
const closeArticle = (id: string, body?: object, who: Who = 'moderator') =>
  call('post', `/api/articles/${id}/close`, who, body);
const reopenArticle = (id: string, who: Who = 'moderator') => call('post', `/api/articles/${id}/reopen`, who);
let commentSeq = 0;
/** Bodies are numbered: the same text twice from one reader would be refused as a repeat. */
const postComment = (articleId: string, body = 'A comment') =>
  call('post', `/api/articles/${articleId}/comments`, 'commenter', { body: `${body} (${++commentSeq})` });

/** The article's moderation log entries, oldest first. */
async function logOf(articleId: string) {
  const res = await call('get', `/api/moderation/log?articleId=${articleId}&limit=100`, 'moderator');
  expect(res.status).toBe(200);
  return [...res.body.items].reverse();
}

const actionsOf = async (articleId: string) => (await logOf(articleId)).map((e: { action: string }) => e.action);

async function expectPostingClosed(articleId: string, message: string) {
  const res = await postComment(articleId, 'Too late');
  expectProblem(res, 409, 'ARTICLE_CLOSED');
  expect(res.body.detail).toBe(message);
}

async function expectPostingOpen(articleId: string) {
  const res = await postComment(articleId, 'Still open');
  expect(res.status).toBe(201);
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

beforeAll(async () => {
  t = await createTestApp();
  sweeper = t.app.get(ClosingSweeper);
  // Sweeps run only when a test calls sweep(): stop the background timer.
  sweeper.onApplicationShutdown();
});
afterAll(() => t.close());

describe('POST /api/articles', () => {
  it.each(['moderator', 'admin'] as const)('as %s: 201 with the full article and the defaults', async (who) => {
    const url = uniqueUrl();
    const res = await call('post', '/api/articles', who, { url, title: 'Budget vote' });
    expect(res.status).toBe(201);
    const a = res.body;
    expect(Object.keys(a).sort()).toEqual(ARTICLE_KEYS);
    expect(a).toMatchObject({
      url,
      title: 'Budget vote',
      externalId: null,
      moderationMode: 'post',
      closed: false,
      closedAt: null,
      closedMessage: null,
      closeAt: null,
      disclaimer: { show: true, text: DEFAULT_DISCLAIMER },
      counts: { visible: 0, pending: 0, published: 0, approved: 0, rejected: 0, reported: 0 },
    });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a.createdAt).toMatch(ISO_UTC);
    expect(a.updatedAt).toMatch(ISO_UTC);
    expect(Math.abs(Date.parse(a.createdAt) - Date.now())).toBeLessThan(60_000);
  });

  it('takes externalId, moderationMode and closeAt', async () => {
    const closeAt = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
    const a = await createArticle({ externalId: `cms-${randomUUID()}`, moderationMode: 'pre', closeAt });
    expect(a.externalId).toMatch(/^cms-/);
    expect(a.moderationMode).toBe('pre');
    expect(a.closeAt).toBe(closeAt);
    expect(a.closed).toBe(false);
    expect(a.disclaimer).toEqual({ show: false, text: DEFAULT_DISCLAIMER });
  });

  it('anonymous: 401 UNAUTHENTICATED; commenter: 403 FORBIDDEN', async () => {
    const body = { url: uniqueUrl(), title: 'Nope' };
    expectProblem(await call('post', '/api/articles', 'anonymous', body), 401, 'UNAUTHENTICATED');
    expectProblem(await call('post', '/api/articles', 'commenter', body), 403, 'FORBIDDEN');
    const { rows } = await t.db.query('SELECT 1 FROM articles WHERE url = $1', [body.url]);
    expect(rows).toHaveLength(0);
  });

  it('an existing url or externalId: 409 CONFLICT', async () => {
    const externalId = `cms-${randomUUID()}`;
    const first = await createArticle({ externalId });
    expectProblem(
      await call('post', '/api/articles', 'moderator', { url: first.url, title: 'Again' }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call('post', '/api/articles', 'moderator', { url: uniqueUrl(), title: 'Again', externalId }),
      409,
      'CONFLICT',
    );
  });

  it('invalid bodies: 400 VALIDATION_FAILED naming the field', async () => {
    expectValidationError(await call('post', '/api/articles', 'moderator', { url: uniqueUrl() }), 'title');
    expectValidationError(await call('post', '/api/articles', 'moderator', { url: 'not a url', title: 'T' }), 'url');
    expectValidationError(
      await call('post', '/api/articles', 'moderator', { url: uniqueUrl(), title: 'T', color: 'red' }),
      'color',
    );
    expectValidationError(
      await call('post', '/api/articles', 'moderator', { url: uniqueUrl(), title: 'T', moderationMode: 'never' }),
      'moderationMode',
    );
    expectValidationError(
      await call('post', '/api/articles', 'moderator', { url: uniqueUrl(), title: 'T', closeAt: 'soon' }),
      'closeAt',
    );
  });
});

describe('GET /api/articles/:id', () => {
  it('anyone may read it; only moderators see all six counts', async () => {
    const created = await createArticle();
    const anon = await getArticle(created.id, 'anonymous');
    expect(anon.status).toBe(200);
    expect(anon.body.counts).toEqual({ visible: 0 });
    expect(anon.body).toMatchObject({ id: created.id, url: created.url, title: created.title, closed: false });

    const commenter = await getArticle(created.id, 'commenter');
    expect(commenter.body.counts).toEqual({ visible: 0 });

    const mod = await getArticle(created.id, 'moderator');
    expect(Object.keys(mod.body.counts).sort()).toEqual(COUNT_KEYS);
    expect(mod.body).toEqual(created);
  });

  it('an unknown id: 404 NOT_FOUND; a malformed id: 400, never 500', async () => {
    expectProblem(await getArticle(randomUUID(), 'anonymous'), 404, 'NOT_FOUND');
    for (const bad of ['nope', '123', `${randomUUID()}x`, "1' OR '1'='1"]) {
      expectProblem(await getArticle(encodeURIComponent(bad), 'anonymous'), 400, 'VALIDATION_FAILED');
    }
    expectProblem(await patchArticle('nope', { title: 'x' }), 400, 'VALIDATION_FAILED');
    expectProblem(await closeArticle('nope', {}), 400, 'VALIDATION_FAILED');
    expectProblem(await reopenArticle('nope'), 400, 'VALIDATION_FAILED');
  });
});

describe('GET /api/articles?url=', () => {
  it('anyone finds the article by its url, or gets no items', async () => {
    const created = await createArticle();
    const found = await call('get', `/api/articles?url=${encodeURIComponent(created.url)}`, 'anonymous');
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({ id: created.id, url: created.url, counts: { visible: 0 } });
    expect(found.body.items[0].counts).toEqual({ visible: 0 });

    const asModerator = await call('get', `/api/articles?url=${encodeURIComponent(created.url)}`, 'moderator');
    expect(asModerator.body.items).toEqual([created]);

    const missing = await call('get', `/api/articles?url=${encodeURIComponent(uniqueUrl())}`, 'anonymous');
    expect(missing.status).toBe(200);
    expect(missing.body.items).toEqual([]);
  });
});

describe('GET /api/articles (the moderators’ list)', () => {
  it('needs a moderator: anonymous 401, commenter 403', async () => {
    expectProblem(await call('get', '/api/articles', 'anonymous'), 401, 'UNAUTHENTICATED');
    expectProblem(await call('get', '/api/articles', 'commenter'), 403, 'FORBIDDEN');
  });

  it('pages through every article newest first, without repeats or skips, ties included', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await createArticle()).id);
    // Three of them share one creation time: pages must not split a tie into skips or repeats.
    await t.db.query(`UPDATE articles SET created_at = now() + interval '1 minute' WHERE id = ANY($1)`, [
      mine.slice(1, 4),
    ]);

    const seen: { id: string; createdAt: string; counts: object }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const res = await call('get', `/api/articles?${query}`, 'moderator');
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      expect(++pages).toBeLessThan(100);
    } while (cursor);

    const ids = seen.map((a) => a.id);
    const { rows } = await t.db.query('SELECT id FROM articles');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice().sort()).toEqual(rows.map((r: { id: string }) => r.id).sort());
    const times = seen.map((a) => Date.parse(a.createdAt));
    expect(times).toEqual(times.slice().sort((x, y) => y - x));
    expect(ids.slice(0, 3).sort()).toEqual(mine.slice(1, 4).sort());
    // The other two were created one after the other: newest first.
    expect(ids.filter((id) => id === mine[0] || id === mine[4])).toEqual([mine[4], mine[0]]);
    expect(Object.keys(seen[0].counts).sort()).toEqual(COUNT_KEYS);
  });

  it('filters on closed=true / closed=false', async () => {
    const open = await createArticle();
    const scheduledLater = await createArticle({ closeAt: new Date(Date.now() + 3600_000).toISOString() });
    const closed = await createArticle();
    expect((await closeArticle(closed.id, {})).status).toBe(200);
    const overdue = await createArticle();
    await t.db.query('UPDATE articles SET close_at = $2 WHERE id = $1', [overdue.id, hoursAgo(1)]);

    const list = async (closedParam: string) => {
      const res = await call('get', `/api/articles?closed=${closedParam}&limit=100`, 'moderator');
      expect(res.status).toBe(200);
      return res.body.items as { id: string; closed: boolean }[];
    };
    const closedItems = await list('true');
    expect(closedItems.every((a) => a.closed)).toBe(true);
    expect(closedItems.map((a) => a.id)).toEqual(expect.arrayContaining([closed.id, overdue.id]));

    const openItems = await list('false');
    expect(openItems.every((a) => !a.closed)).toBe(true);
    expect(openItems.map((a) => a.id)).not.toContain(closed.id);
    expect(openItems.map((a) => a.id)).not.toContain(overdue.id);
    expect(openItems.map((a) => a.id)).toContain(scheduledLater.id);
    // An open article without a closeAt is open too.
    expect(openItems.map((a) => a.id)).toContain(open.id);
  });

  it('refuses limit=0, limit=1000, a bad closed value and forged cursors with 400', async () => {
    expectValidationError(await call('get', '/api/articles?limit=0', 'moderator'), 'limit');
    expectValidationError(await call('get', '/api/articles?limit=1000', 'moderator'), 'limit');
    expectValidationError(await call('get', '/api/articles?closed=maybe', 'moderator'), 'closed');
    const forged = [
      'not-a-cursor',
      Buffer.from(JSON.stringify(['articles', 'yesterday', 'x'])).toString('base64url'),
      // A well-formed cursor of another list.
      Buffer.from(JSON.stringify(['log', new Date().toISOString(), randomUUID()])).toString('base64url'),
    ];
    for (const cursor of forged) {
      expectValidationError(
        await call('get', `/api/articles?cursor=${encodeURIComponent(cursor)}`, 'moderator'),
        'cursor',
      );
    }
  });
});

describe('PATCH /api/articles/:id', () => {
  it('changes the title', async () => {
    const a = await createArticle();
    const res = await patchArticle(a.id, { title: 'A better title' });
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('A better title');
    expect((await getArticle(a.id, 'anonymous')).body.title).toBe('A better title');
  });

  it('mode and disclaimer: the notice follows post mode unless set, and each change is logged', async () => {
    const a = await createArticle();

    const pre = await patchArticle(a.id, { moderationMode: 'pre' });
    expect(pre.status).toBe(200);
    expect(pre.body.moderationMode).toBe('pre');
    expect(pre.body.disclaimer).toEqual({ show: false, text: DEFAULT_DISCLAIMER });

    const shown = await patchArticle(a.id, { disclaimer: { show: true } });
    expect(shown.body.disclaimer).toEqual({ show: true, text: DEFAULT_DISCLAIMER });

    const post = await patchArticle(a.id, { moderationMode: 'post', disclaimer: { show: false } });
    expect(post.body.moderationMode).toBe('post');
    expect(post.body.disclaimer.show).toBe(false);

    const auto = await patchArticle(a.id, { disclaimer: { show: null } });
    expect(auto.body.disclaimer.show).toBe(true);

    const text = await patchArticle(a.id, { disclaimer: { text: 'Comments are reviewed after they appear.' } });
    expect(text.body.disclaimer).toEqual({ show: true, text: 'Comments are reviewed after they appear.' });

    const thread = await call('get', `/api/articles/${a.id}/comments`, 'anonymous');
    expect(thread.body.article.disclaimer).toEqual({ show: true, text: 'Comments are reviewed after they appear.' });

    const log = await logOf(a.id);
    const modes = log.filter((e) => e.action === 'change_mode');
    expect(modes.map((e) => [e.fromStatus, e.toStatus])).toEqual([
      ['post', 'pre'],
      ['pre', 'post'],
    ]);
    expect(modes[0]).toMatchObject({
      actor: { id: USER_IDS.moderator, name: `${USER_IDS.moderator} name` },
      targetType: 'article',
      targetId: a.id,
    });
    const disclaimers = log.filter((e) => e.action === 'change_disclaimer');
    expect(disclaimers).toHaveLength(4);
    for (const e of disclaimers)
      expect(e.actor).toEqual({ id: USER_IDS.moderator, name: `${USER_IDS.moderator} name` });
  });

  it('a patch that changes nothing writes nothing to the log', async () => {
    const a = await createArticle();
    const before = await actionsOf(a.id);
    const res = await patchArticle(a.id, { moderationMode: 'post', disclaimer: { text: DEFAULT_DISCLAIMER } });
    expect(res.status).toBe(200);
    expect(await actionsOf(a.id)).toEqual(before);
  });

  it('sets and clears closeAt, logging schedule_close', async () => {
    const a = await createArticle();
    const closeAt = new Date(Date.now() + 24 * 3600_000).toISOString();
    const set = await patchArticle(a.id, { closeAt });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ closeAt, closed: false });

    const cleared = await patchArticle(a.id, { closeAt: null });
    expect(cleared.body).toMatchObject({ closeAt: null, closed: false });

    const schedules = (await logOf(a.id)).filter((e) => e.action === 'schedule_close');
    expect(schedules).toHaveLength(2);
    expect(schedules[0].actor).toEqual({ id: USER_IDS.moderator, name: `${USER_IDS.moderator} name` });
  });

  it('refuses commenters, unknown articles and invalid bodies', async () => {
    const a = await createArticle();
    expectProblem(await patchArticle(a.id, { title: 'x' }, 'anonymous'), 401, 'UNAUTHENTICATED');
    expectProblem(await patchArticle(a.id, { title: 'x' }, 'commenter'), 403, 'FORBIDDEN');
    expectProblem(await patchArticle(randomUUID(), { title: 'x' }), 404, 'NOT_FOUND');
    expectValidationError(await patchArticle(a.id, { moderationMode: 'sometimes' }), 'moderationMode');
    expectValidationError(await patchArticle(a.id, { disclaimer: { show: 'yes' } }), 'disclaimer.show');
    expectValidationError(await patchArticle(a.id, { url: uniqueUrl() }), 'url');
    expect((await getArticle(a.id)).body.title).toBe(a.title);
  });

  it('null for a field that cannot be empty: 400, never 500', async () => {
    const a = await createArticle();
    expectProblem(await patchArticle(a.id, { title: null }), 400, 'VALIDATION_FAILED');
    expectProblem(await patchArticle(a.id, { moderationMode: null }), 400, 'VALIDATION_FAILED');
    expect((await getArticle(a.id)).body).toMatchObject({ title: a.title, moderationMode: 'post' });
    expect(await actionsOf(a.id)).not.toContain('change_mode');
  });
});

describe('closing and reopening by hand', () => {
  it('closes with a message; readers see it and posting gets ARTICLE_CLOSED; closing again changes nothing', async () => {
    const a = await createArticle();
    const message = 'Comments on this story are closed for legal reasons.';
    const closed = await closeArticle(a.id, { message });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id: a.id, closed: true, closedMessage: message });
    expect(closed.body.closedAt).toMatch(ISO_UTC);

    const thread = await call('get', `/api/articles/${a.id}/comments`, 'anonymous');
    expect(thread.status).toBe(200);
    expect(thread.body.article).toMatchObject({ id: a.id, closed: true, closedMessage: message });
    await expectPostingClosed(a.id, message);

    const again = await closeArticle(a.id, { message: 'Another message' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ closed: true, closedAt: closed.body.closedAt, closedMessage: message });
    expect((await actionsOf(a.id)).filter((x) => x === 'close')).toHaveLength(1);

    const [entry] = (await logOf(a.id)).filter((e) => e.action === 'close');
    expect(entry).toMatchObject({
      actor: { id: USER_IDS.moderator, name: `${USER_IDS.moderator} name` },
      targetId: a.id,
    });
  });

  it('closes without a message (empty body or none) with the default message', async () => {
    for (const body of [{}, undefined]) {
      const a = await createArticle();
      const closed = await closeArticle(a.id, body);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ closed: true, closedMessage: DEFAULT_CLOSED_MESSAGE });
      expect((await getArticle(a.id, 'anonymous')).body).toMatchObject({
        closed: true,
        closedMessage: DEFAULT_CLOSED_MESSAGE,
      });
      await expectPostingClosed(a.id, DEFAULT_CLOSED_MESSAGE);
    }
  });

  it('reopens: open again, posting works, and a reopen entry is logged', async () => {
    const a = await createArticle();
    await closeArticle(a.id, { message: 'Closed for now' });
    const reopened = await reopenArticle(a.id);
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ id: a.id, closed: false, closedAt: null, closedMessage: null });
    expect((await getArticle(a.id, 'anonymous')).body.closed).toBe(false);
    await expectPostingOpen(a.id);

    const reopenEntries = (await logOf(a.id)).filter((e) => e.action === 'reopen');
    expect(reopenEntries).toHaveLength(1);
    expect(reopenEntries[0].actor).toEqual({ id: USER_IDS.moderator, name: `${USER_IDS.moderator} name` });
  });

  it('commenters may not close or reopen; anonymous callers are 401; unknown articles 404', async () => {
    const a = await createArticle();
    expectProblem(await closeArticle(a.id, {}, 'commenter'), 403, 'FORBIDDEN');
    expectProblem(await closeArticle(a.id, {}, 'anonymous'), 401, 'UNAUTHENTICATED');
    expectProblem(await closeArticle(randomUUID(), {}), 404, 'NOT_FOUND');
    expect((await getArticle(a.id)).body.closed).toBe(false);

    await closeArticle(a.id, {});
    expectProblem(await reopenArticle(a.id, 'commenter'), 403, 'FORBIDDEN');
    expect((await getArticle(a.id)).body.closed).toBe(true);
  });
});

describe('closing by closeAt', () => {
  it('a closeAt set in the past by PATCH closes the article; reopening lifts it', async () => {
    const a = await createArticle();
    const res = await patchArticle(a.id, { closeAt: hoursAgo(1).toISOString() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ closed: true, closedMessage: DEFAULT_CLOSED_MESSAGE });
    expect(res.body.closedAt).toMatch(ISO_UTC);
    expect((await getArticle(a.id, 'anonymous')).body.closed).toBe(true);
    await expectPostingClosed(a.id, DEFAULT_CLOSED_MESSAGE);

    const reopened = await reopenArticle(a.id);
    expect(reopened.body.closed).toBe(false);
    expect((await getArticle(a.id)).body.closed).toBe(false);
    await expectPostingOpen(a.id);
  });

  it('a closeAt that passed in the database closes the article; reopening lifts it', async () => {
    const a = await createArticle({ closeAt: new Date(Date.now() + 3600_000).toISOString() });
    await expectPostingOpen(a.id);
    await t.db.query('UPDATE articles SET close_at = $2 WHERE id = $1', [a.id, hoursAgo(1)]);

    const thread = await call('get', `/api/articles/${a.id}/comments`, 'anonymous');
    expect(thread.body.article).toMatchObject({ closed: true, closedMessage: DEFAULT_CLOSED_MESSAGE });
    await expectPostingClosed(a.id, DEFAULT_CLOSED_MESSAGE);

    expect((await reopenArticle(a.id)).body.closed).toBe(false);
    await expectPostingOpen(a.id);
  });
});

describe('closing by the settings’ autoCloseAfterDays', () => {
  afterAll(async () => {
    const res = await call('put', '/api/moderation/settings', 'admin', { autoCloseAfterDays: null });
    expect(res.status).toBe(200);
  });

  it('closes articles older than the setting; a fresh one stays open; a reopened one stays open', async () => {
    const old = await createArticle();
    const fresh = await createArticle();
    await t.db.query(`UPDATE articles SET created_at = now() - interval '2 days' WHERE id = $1`, [old.id]);
    expect((await getArticle(old.id)).body.closed).toBe(false);

    const put = await call('put', '/api/moderation/settings', 'admin', { autoCloseAfterDays: 1 });
    expect(put.status).toBe(200);
    expect(put.body.autoCloseAfterDays).toBe(1);

    expect((await getArticle(old.id, 'anonymous')).body).toMatchObject({
      closed: true,
      closedMessage: DEFAULT_CLOSED_MESSAGE,
    });
    await expectPostingClosed(old.id, DEFAULT_CLOSED_MESSAGE);
    expect((await getArticle(fresh.id, 'anonymous')).body.closed).toBe(false);
    await expectPostingOpen(fresh.id);

    const closedList = await call('get', '/api/articles?closed=true&limit=100', 'moderator');
    expect(closedList.body.items.map((a: { id: string }) => a.id)).toContain(old.id);
    expect(closedList.body.items.map((a: { id: string }) => a.id)).not.toContain(fresh.id);

    const reopened = await reopenArticle(old.id);
    expect(reopened.status).toBe(200);
    expect(reopened.body.closed).toBe(false);
    expect((await getArticle(old.id, 'anonymous')).body.closed).toBe(false);
    await expectPostingOpen(old.id);
    expect(await sweeper.sweep()).not.toContain(old.id);
    expect((await getArticle(old.id)).body.closed).toBe(false);
  });

  it('only admins change the settings', async () => {
    expectProblem(
      await call('put', '/api/moderation/settings', 'moderator', { autoCloseAfterDays: 2 }),
      403,
      'FORBIDDEN',
    );
    const settings = await call('get', '/api/moderation/settings', 'moderator');
    expect(settings.body.autoCloseAfterDays).toBe(1);
  });
});

describe('the closing sweeper', () => {
  it('logs closings whose closeAt passed, as the system, once', async () => {
    const a = await createArticle();
    const closeAt = hoursAgo(2);
    await t.db.query('UPDATE articles SET close_at = $2 WHERE id = $1', [a.id, closeAt]);
    const before = (await getArticle(a.id)).body;
    expect(before.closed).toBe(true);

    expect(await sweeper.sweep()).toContain(a.id);
    const { rows } = await t.db.query('SELECT closed_at, schedule_close_logged_at FROM articles WHERE id = $1', [a.id]);
    expect(rows[0].closed_at).toBeNull(); // the state stays derived from the schedule
    expect(rows[0].schedule_close_logged_at).toEqual(closeAt);

    const closes = (await logOf(a.id)).filter((e) => e.action === 'close');
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ actor: null, targetType: 'article', targetId: a.id });

    // What readers see does not change by being written down.
    const after = (await getArticle(a.id)).body;
    expect(after).toMatchObject({ closed: true, closedAt: before.closedAt, closedMessage: before.closedMessage });

    expect(await sweeper.sweep()).toEqual([]);
    expect((await logOf(a.id)).filter((e) => e.action === 'close')).toHaveLength(1);
  });

  it('is bookkeeping only: a closeAt moved into the future after the sweep opens the article again', async () => {
    // Without a sweep in between, moving closeAt into the future opens the article again (closed is
    // "closed by hand, or closeAt has passed"). Whether the sweep has run meanwhile must not matter.
    const later = () => new Date(Date.now() + 24 * 3600_000).toISOString();
    const unswept = await createArticle();
    const swept = await createArticle();
    await t.db.query('UPDATE articles SET close_at = $2 WHERE id = $1', [swept.id, hoursAgo(1)]);
    expect(await sweeper.sweep()).toContain(swept.id);
    await t.db.query('UPDATE articles SET close_at = $2 WHERE id = $1', [unswept.id, hoursAgo(1)]);
    expect((await getArticle(unswept.id)).body.closed).toBe(true);

    const extendedUnswept = await patchArticle(unswept.id, { closeAt: later() });
    expect(extendedUnswept.body.closed).toBe(false);
    const extendedSwept = await patchArticle(swept.id, { closeAt: later() });
    expect(extendedSwept.status).toBe(200);
    expect(extendedSwept.body).toMatchObject({ closed: false, closedAt: null, closedMessage: null });
    await expectPostingOpen(swept.id);
  });

  it('leaves open articles and articles closed by hand alone', async () => {
    const open = await createArticle({ closeAt: new Date(Date.now() + 3600_000).toISOString() });
    const byHand = await createArticle();
    const closed = (await closeArticle(byHand.id, { message: 'By hand' })).body;
    const swept = await sweeper.sweep();
    expect(swept).not.toContain(open.id);
    expect(swept).not.toContain(byHand.id);
    expect((await getArticle(open.id)).body.closed).toBe(false);
    expect((await getArticle(byHand.id)).body).toMatchObject({ closedAt: closed.closedAt, closedMessage: 'By hand' });
  });
});

describe('counts', () => {
  it('a published comment counts as visible, for everyone', async () => {
    const a = await createArticle();
    expect((await postComment(a.id, 'First!')).status).toBe(201);
    expect((await postComment(a.id, 'Second')).status).toBe(201);

    expect((await getArticle(a.id, 'anonymous')).body.counts).toEqual({ visible: 2 });
    expect((await getArticle(a.id)).body.counts).toEqual({
      visible: 2,
      pending: 0,
      published: 2,
      approved: 0,
      rejected: 0,
      reported: 0,
    });
  });

  it('a held comment in a pre-moderated article counts as pending, not visible', async () => {
    const a = await createArticle({ moderationMode: 'pre' });
    const res = await postComment(a.id, 'Please review me');
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('pending');
    expect((await getArticle(a.id, 'anonymous')).body.counts).toEqual({ visible: 0 });
    expect((await getArticle(a.id)).body.counts).toMatchObject({ visible: 0, pending: 1, published: 0 });
  });
});
