import { DeliveryJob, DeliveryQueue } from '../src/deliveries/delivery-queue.service';
import { OutboxEvent } from '../src/deliveries/outbox-event';
import { recordOutbox } from '../src/deliveries/outbox';
import { OutboxRelay } from '../src/deliveries/outbox-relay';
import { Transactions } from '../src/database/transactions';
import { call, createArticle, decide, expectStatus, postComment, report } from './support/moderation-helpers';
import { createTestApp, TestApp } from './support/test-app';
import { until } from './support/expect';

interface Outboxed {
  type: string;
  site_id: number;
  subject: {
    targetType: string;
    targetId: string;
    articleId: string | null;
    toStatus?: string;
    actor: { id: string } | null;
  };
}

describe('the outbox: what the world outside is told of', () => {
  let t: TestApp;
  const events = () =>
    t.db.query<Outboxed>(`SELECT type, site_id, subject FROM outbox_events ORDER BY id`).then((r) => r.rows);

  beforeAll(async () => {
    // Nothing relays: the events stay where the changes wrote them.
    t = await createTestApp({ DELIVERIES: 'off' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.db.query(`DELETE FROM outbox_events`));

  it('holds an event for every change a receiver may subscribe to, written with the change', async () => {
    const mod = t.token('mod', 'moderator');
    const reader = t.token('reader');
    const article = await createArticle(t, mod);
    const shown = await postComment(t, reader, article.id, 'A first comment');
    const other = await postComment(t, t.token('other'), article.id, 'Another one');
    expectStatus(await report(t, reader, other.id, 'spam'), 201);
    expectStatus(await decide(t, mod, other.id, 'reject'), 200);
    expectStatus(
      await call(t, 'post', `/api/moderation/comments/${other.id}/restore`, mod, {
        status: 'published',
        expectedStatus: 'rejected',
      }),
      200,
    );
    expectStatus(await call(t, 'patch', `/api/comments/${shown.id}`, reader, { body: 'A first comment, edited' }), 200);
    expectStatus(await call(t, 'delete', `/api/comments/${shown.id}`, reader), 204);
    expectStatus(await call(t, 'post', `/api/articles/${article.id}/close`, mod, {}), 200);
    expectStatus(await call(t, 'post', `/api/articles/${article.id}/reopen`, mod, {}), 200);
    expectStatus(await call(t, 'post', `/api/moderation/users/other/ban`, mod, { reason: 'spam' }), 200);
    expectStatus(await call(t, 'post', `/api/moderation/users/other/unban`, mod, {}), 200);

    const got = await events();
    expect(got.map((e) => e.type)).toEqual([
      'article.created',
      'comment.posted',
      'comment.posted',
      'comment.reported',
      'comment.rejected',
      'comment.restored',
      'comment.edited',
      'comment.deleted',
      'article.closed',
      'article.reopened',
      'user.banned',
      'user.unbanned',
    ]);
    expect(new Set(got.map((e) => e.site_id))).toEqual(new Set([1]));
    expect(got[1].subject).toMatchObject({
      targetType: 'comment',
      targetId: shown.id,
      articleId: article.id,
      toStatus: 'published',
      actor: { id: 'reader' },
    });
    expect(got[3].subject).toMatchObject({ targetId: other.id, actor: { id: 'reader' }, reason: 'spam' });
    expect(got[4].subject).toMatchObject({ targetId: other.id, actor: { id: 'mod' }, toStatus: 'rejected' });
    expect(got[10].subject).toMatchObject({ targetType: 'user', targetId: 'other' });
  });

  it('holds a held post as posted and held, in that order', async () => {
    const mod = t.token('mod', 'moderator');
    const article = await createArticle(t, mod, { moderationMode: 'pre' });
    const held = await postComment(t, t.token('reader'), article.id, 'Waiting for a moderator');
    expect((await events()).filter((e) => e.type.startsWith('comment.'))).toEqual([
      expect.objectContaining({ type: 'comment.posted', subject: expect.objectContaining({ toStatus: 'pending' }) }),
      expect.objectContaining({ type: 'comment.held', subject: expect.objectContaining({ targetId: held.id }) }),
    ]);
  });

  it('holds nothing of a change that rolled back', async () => {
    const transactions = t.app.get(Transactions);
    await expect(
      transactions.run(async (manager) => {
        await recordOutbox(manager, 'user.banned', {
          actor: null,
          targetType: 'user',
          targetId: 'someone',
          articleId: null,
          createdAt: new Date().toISOString(),
          siteId: 1,
        });
        throw new Error('the change failed after its event');
      }),
    ).rejects.toThrow('the change failed');
    expect(await events()).toEqual([]);
  });

  it('refuses an event of a site that does not exist', async () => {
    await expect(t.db.query(`SELECT record_outbox(99::smallint, 'user.banned', '{}'::jsonb)`)).rejects.toThrow(
      /FK_outbox_events_site|foreign key/,
    );
  });
});

describe('the delivery queue', () => {
  const QUEUE = 'deliveries-under-test';
  let t: TestApp;
  let second: TestApp | undefined;
  /** Tries per delivery, by its event's id. */
  const tries = new Map<string, number>();
  const delivered: string[] = [];
  /** Events whose first tries fail: how many of them. */
  const failFirst = new Map<string, number>();

  const handler = async (job: DeliveryJob<{ siteId: number; eventId: string; instance?: string }>) => {
    const n = (tries.get(job.data.eventId) ?? 0) + 1;
    tries.set(job.data.eventId, n);
    if (n <= (failFirst.get(job.data.eventId) ?? 0)) throw new Error(`receiver down (try ${n})`);
    delivered.push(job.data.eventId);
  };

  const fanOut = (events: OutboxEvent[]) =>
    Promise.resolve(
      events
        .filter((e) => e.type === 'user.banned')
        .map((e) => ({ queue: QUEUE, data: { siteId: e.siteId, eventId: e.subject.targetId } })),
    );

  beforeAll(async () => {
    const env = { DELIVERIES: 'on', DELIVERY_RETRY_DELAY_SECONDS: '1', DELIVERY_RETRY_LIMIT: '2' };
    t = await createTestApp(env);
    await t.db.query(`SELECT pgboss.create_queue($1, '{}')`, [QUEUE]);
    t.app.get(OutboxRelay).subscribe(fanOut);
    await t.app.get(DeliveryQueue).work(QUEUE, handler);
  });
  afterAll(async () => {
    await second?.close();
    await t.close();
  });

  const ban = (id: string) =>
    call(t, 'post', `/api/moderation/users/${id}/ban`, t.token('mod', 'moderator'), { reason: 'spam' });

  it('delivers every event once, retrying a receiver that failed', async () => {
    failFirst.set('flaky', 2);
    for (const id of ['steady', 'flaky']) expectStatus(await ban(id), 200);
    await until('both delivered', 20_000, () => delivered.includes('flaky') && delivered.includes('steady'));
    expect([...delivered].sort()).toEqual(['flaky', 'steady']);
    expect(tries.get('steady')).toBe(1);
    expect(tries.get('flaky')).toBe(3);
  });

  it('keeps a delivery that failed every retry as a dead letter, and sends it again when asked', async () => {
    failFirst.set('gone', 3);
    expectStatus(await ban('gone'), 200);
    const queue = t.app.get(DeliveryQueue);
    const dead = await until('a dead letter', 20_000, async () => {
      const { rows } = await t.db.query<{ id: string; output: { message: string } }>(
        `SELECT id, output FROM pgboss.job WHERE name = $1 AND state = 'failed' AND data->>'eventId' = 'gone'`,
        [QUEUE],
      );
      return rows[0];
    });
    expect(dead.output.message).toBe('receiver down (try 3)');
    expect(tries.get('gone')).toBe(3);
    expect(delivered).not.toContain('gone');

    expect(await queue.retry(QUEUE, dead.id)).toBe(true);
    await until('sent again', 20_000, () => delivered.includes('gone'));
    expect(await queue.retry(QUEUE, dead.id)).toBe(false);
  });

  it('shares the work between instances, each delivery tried by one of them', async () => {
    second = await createTestApp({ DELIVERIES: 'on', DELIVERY_RETRY_DELAY_SECONDS: '1' }, t.databaseUrl);
    await second.app.get(DeliveryQueue).work(QUEUE, handler);
    second.app.get(OutboxRelay).subscribe(fanOut);
    const ids = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
    for (const id of ids) expectStatus(await ban(id), 200);
    await until('the burst delivered', 30_000, () => delivered.filter((d) => d.startsWith('burst-')).length === 40);
    expect(ids.filter((id) => tries.get(id) !== 1)).toEqual([]);
  });
});
