import { randomUUID } from 'node:crypto';
import { sample } from './support/metrics-text';
import { addSite, siteToken } from './support/sites';
import { SlackReceiver, wholeText } from './support/slack-receiver';
import { call, createArticle, expectProblem, expectStatus, postComment, uid } from './support/moderation-helpers';
import { createTestApp, TestApp } from './support/test-app';
import { until } from './support/expect';

const SLACK = { queue: 'slack' };

/**
 * Deliveries that failed for good, as a site's admins see them and send them again, and the
 * delivery metrics as Slack alerts succeed, fail, wait for a retry and die (against a real
 * receiver that speaks Slack's protocol).
 */
describe('dead letters and delivery metrics', () => {
  let t: TestApp;
  const slack = new SlackReceiver();
  let admin: string;
  let eveningAdmin: string;

  const scrape = async (): Promise<string> => {
    const res = await t.http().get('/api/metrics');
    expectStatus(res, 200);
    return res.text;
  };
  const metric = (text: string, name: string) => sample(text, `comment_desk_deliveries_${name}`, SLACK) ?? NaN;
  const overview = async (token = admin) =>
    expectStatus(await call(t, 'get', '/api/admin/sites/default/deliveries', token), 200) as {
      queues: { queue: string; waiting: number; retrying: number; dead: number }[];
      deadLetters: Record<string, unknown>[];
    };
  const asEvening = (method: 'get' | 'post', path: string) =>
    t.http()[method](path).set('Authorization', `Bearer ${eveningAdmin}`).set('Comment-Desk-Site', 'evening');

  beforeAll(async () => {
    await slack.start();
    t = await createTestApp({
      DELIVERIES: 'on',
      DELIVERY_RETRY_DELAY_SECONDS: '1',
      DELIVERY_RETRY_LIMIT: '1',
      DELIVERY_ALLOW_LOOPBACK: 'on',
    });
    admin = t.token('ada', 'admin');
    await addSite(t, 'evening', 'The Evening Post');
    eveningAdmin = siteToken('eve', 'admin');
    expectStatus(
      await call(t, 'put', '/api/admin/sites/default/slack', admin, { url: slack.url('desk'), triggers: ['held'] }),
      200,
    );
  });
  afterAll(async () => {
    await t.close();
    await slack.stop();
  });

  it('count a delivery made as sent', async () => {
    const before = await scrape();
    const article = await createArticle(t, t.token('mod', 'moderator'), { moderationMode: 'pre' });
    const body = `Sent at once ${uid('sent')}`;
    await postComment(t, t.token('reader'), article.id, body);
    await until('delivered', 10_000, () => slack.accepted('desk').some((m) => wholeText(m).includes(body)));
    const after = await until('counted', 10_000, async () => {
      const text = await scrape();
      return metric(text, 'sent_total') === metric(before, 'sent_total') + 1 && text;
    });
    expect(metric(after, 'failed_total')).toBe(metric(before, 'failed_total'));
    expect(metric(after, 'dead')).toBe(0);
  });

  it('count the tries that fail, the delivery waiting for its retry, and then dead; an admin sends it again', async () => {
    const before = await scrape();
    // The first answer asks for a pause: the delivery waits for its retry long enough to be seen, however slow a scrape.
    slack.plan('desk', { status: 429, retryAfter: 3 }, { status: 500 });
    const article = await createArticle(t, t.token('mod', 'moderator'), { moderationMode: 'pre' });
    const body = `Slack is down ${uid('dead')}`;
    const held = await postComment(t, t.token('reader'), article.id, body);

    // After the first try: waiting for its retry.
    // (One scrape reads the counters before the queue's state: a try failing in between shows in the next.)
    const retrying = await until('waiting for a retry', 10_000, async () => {
      const text = await scrape();
      return metric(text, 'retrying') === 1 && metric(text, 'failed_total') > metric(before, 'failed_total') && text;
    });
    expect(metric(retrying, 'waiting')).toBe(1);
    expect(metric(retrying, 'oldest_waiting_seconds')).toBeGreaterThan(0);
    expect(metric(retrying, 'failed_total')).toBe(metric(before, 'failed_total') + 1);
    expect((await overview()).queues.find((q) => q.queue === 'slack')).toEqual({
      queue: 'slack',
      waiting: 1,
      retrying: 1,
      dead: 0,
    });

    // After the last: dead.
    const dead = await until('dead', 15_000, async () => {
      const text = await scrape();
      return metric(text, 'dead') === 1 && metric(text, 'failed_total') === metric(before, 'failed_total') + 2 && text;
    });
    expect(metric(dead, 'waiting')).toBe(0);
    expect(metric(dead, 'retrying')).toBe(0);
    expect(metric(dead, 'oldest_waiting_seconds')).toBe(0);
    expect(metric(dead, 'failed_total')).toBe(metric(before, 'failed_total') + 2);
    expect(metric(dead, 'sent_total')).toBe(metric(before, 'sent_total'));

    const seen = await overview();
    expect(seen.queues).toEqual([
      { queue: 'webhook', waiting: 0, retrying: 0, dead: 0 },
      { queue: 'email', waiting: 0, retrying: 0, dead: 0 },
      { queue: 'slack', waiting: 0, retrying: 0, dead: 1 },
    ]);
    expect(seen.deadLetters).toEqual([
      {
        queue: 'slack',
        id: expect.any(String),
        createdAt: expect.any(String),
        failedAt: expect.any(String),
        tries: 2,
        lastError: 'Slack answered 500: error',
        receiver: "The site's Slack channel",
        summary: expect.stringMatching(/^Held for review: a comment by reader name on “Title article-/),
      },
    ]);
    const id = seen.deadLetters[0].id as string;

    // Another site's admin neither sees nor sends it; their own site has none.
    expectProblem(await asEvening('get', '/api/admin/sites/default/deliveries'), 404, 'NOT_FOUND');
    expectProblem(await asEvening('post', `/api/admin/sites/default/deliveries/slack/${id}/retry`), 404, 'NOT_FOUND');
    expectProblem(await asEvening('post', `/api/admin/sites/evening/deliveries/slack/${id}/retry`), 404, 'NOT_FOUND');
    const theirs = expectStatus(await asEvening('get', '/api/admin/sites/evening/deliveries'), 200);
    expect(theirs.deadLetters).toEqual([]);
    expectProblem(
      await call(t, 'get', '/api/admin/sites/default/deliveries', t.token('mod', 'moderator')),
      403,
      'FORBIDDEN',
    );

    // Slack is back: sent again, it is delivered.
    expectStatus(await call(t, 'post', `/api/admin/sites/default/deliveries/slack/${id}/retry`, admin), 204);
    await until('sent again', 10_000, () => slack.accepted('desk').some((m) => wholeText(m).includes(body)));
    const again = await until('counted', 10_000, async () => {
      const text = await scrape();
      return metric(text, 'sent_total') === metric(before, 'sent_total') + 1 && metric(text, 'dead') === 0 && text;
    });
    expect(metric(again, 'waiting')).toBe(0);
    expect((await overview()).deadLetters).toEqual([]);
    expect(slack.accepted('desk').filter((m) => wholeText(m).includes(body))).toHaveLength(1);
    expect(slack.tries('desk').filter((m) => wholeText(m).includes(held.id))).toHaveLength(3);

    // No longer dead: a conflict; what never was one: not found.
    expectProblem(
      await call(t, 'post', `/api/admin/sites/default/deliveries/slack/${id}/retry`, admin),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(t, 'post', `/api/admin/sites/default/deliveries/slack/${randomUUID()}/retry`, admin),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call(t, 'post', `/api/admin/sites/default/deliveries/fax/${id}/retry`, admin),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call(t, 'post', `/api/admin/sites/default/deliveries/slack/not-an-id/retry`, admin),
      400,
      'VALIDATION_FAILED',
    );
    const { rows } = await t.db.query(
      `SELECT action, actor_id, reason FROM moderation_log WHERE action = 'retry_delivery' ORDER BY seq`,
    );
    expect(rows).toEqual([{ action: 'retry_delivery', actor_id: 'ada', reason: `slack ${id}` }]);
  });
});
