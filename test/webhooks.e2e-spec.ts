import { Webhook } from 'standardwebhooks';
import { recordOutbox } from '../src/deliveries/outbox';
import { Transactions } from '../src/database/transactions';
import { WebhookSender } from '../src/webhooks/webhook-sender';
import { OUTBOX_EVENT_TYPES } from '../src/deliveries/outbox-event';
import {
  call,
  createArticle,
  decide,
  expectProblem,
  expectStatus,
  postComment,
  report,
} from './support/moderation-helpers';
import { addSite, siteToken } from './support/sites';
import { createTestApp, TestApp } from './support/test-app';
import { until } from './support/expect';
import { startReceiver, WebhookReceiver } from './support/webhook-receiver';

const ENV = {
  DELIVERIES: 'on',
  DELIVERY_ALLOW_LOOPBACK: 'on',
  DELIVERY_RETRY_DELAY_SECONDS: '1',
  DELIVERY_RETRY_LIMIT: '3',
};

describe('webhooks', () => {
  let t: TestApp;
  const receivers: WebhookReceiver[] = [];
  const admin = () => t.token('boss', 'admin');
  const mod = () => t.token('mod', 'moderator');

  /** A receiver, and an endpoint for it subscribed to `events`; the receiver knows the secret. */
  async function endpointFor(events: readonly string[] = OUTBOX_EVENT_TYPES) {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const created = expectStatus(
      await call(t, 'post', '/api/admin/webhooks', admin(), { url: receiver.url, events, description: 'the tests' }),
      201,
    );
    receiver.secrets = [created.secret];
    return { receiver, endpoint: created };
  }

  const deliveryLog = async (id: string) =>
    expectStatus(await call(t, 'get', `/api/admin/webhooks/${id}/deliveries`, admin()), 200).items as {
      id: string;
      type: string;
      state: string;
      attempts: { status: number | null; ok: boolean; answer: string }[];
    }[];

  const ban = (id: string) => call(t, 'post', `/api/moderation/users/${id}/ban`, mod(), { reason: 'spam' });

  beforeAll(async () => {
    t = await createTestApp(ENV);
  });
  afterEach(async () => {
    await t.db.query(`DELETE FROM webhook_endpoints`);
    for (const receiver of receivers.splice(0)) await receiver.stop();
  });
  afterAll(() => t.close());

  it('registers an endpoint whose secret is shown once, and sends it the events it chose, signed', async () => {
    const { receiver, endpoint } = await endpointFor(['comment.posted', 'comment.approved', 'comment.reported']);
    expect(endpoint).toMatchObject({
      url: receiver.url,
      description: 'the tests',
      status: 'active',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      secretFingerprints: [expect.stringMatching(/^[0-9a-f]{12}$/)],
      previousSecretUntil: null,
    });
    const listed = expectStatus(await call(t, 'get', '/api/admin/webhooks', admin()), 200);
    expect(listed.items).toEqual([
      expect.objectContaining({ id: endpoint.id, secretFingerprints: endpoint.secretFingerprints }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret);

    const article = await createArticle(t, mod());
    const comment = await postComment(t, t.token('reader'), article.id, 'Worth a webhook');
    expectStatus(await report(t, t.token('other'), comment.id, 'spam'), 201);
    expectStatus(await decide(t, mod(), comment.id, 'approve'), 200);
    await until('three events', 20_000, () => receiver.messages.size === 3);
    const [posted, reported, approved] = ['comment.posted', 'comment.reported', 'comment.approved'].map(
      (type) => receiver.ofType(type)[0],
    );
    expect(posted.body).toEqual({
      type: 'comment.posted',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: expect.objectContaining({
        eventId: expect.any(String),
        site: 'default',
        actor: { id: 'reader', name: 'reader name' },
        comment: expect.objectContaining({ id: comment.id, body: 'Worth a webhook', articleId: article.id }),
        article: expect.objectContaining({ id: article.id, url: article.url, title: article.title }),
        change: { action: 'post', fromStatus: null, toStatus: 'published', reason: null },
      }),
    });
    expect(reported.body.data).toMatchObject({
      actor: { id: 'other' },
      report: { reason: 'spam', openReportCount: 1 },
      change: { action: 'report' },
    });
    expect(approved.body.data).toMatchObject({
      actor: { id: 'mod', name: 'mod name' },
      change: { action: 'approve', toStatus: 'approved' },
    });
    // Every request verified; each message came once.
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    expect(receiver.requests).toHaveLength(3);
    // Nothing of what it did not subscribe to.
    expectStatus(await ban('not-sent'), 200);
    const log = await until('the log', 10_000, async () => {
      const items = await deliveryLog(endpoint.id);
      return items.length === 3 && items.every((d) => d.state === 'delivered') && items;
    });
    expect(log.map((d) => d.type).sort()).toEqual(['comment.approved', 'comment.posted', 'comment.reported']);
    expect(log[0].attempts).toEqual([expect.objectContaining({ status: 200, ok: true, answer: 'thanks' })]);
    expect(receiver.ofType('user.banned')).toEqual([]);
  });

  it('sends a user or article event with the user or article, to every endpoint that subscribed', async () => {
    const one = await endpointFor(['user.banned', 'article.closed']);
    const two = await endpointFor(['user.banned']);
    expectStatus(await ban('troll'), 200);
    const article = await createArticle(t, mod());
    expectStatus(await call(t, 'post', `/api/articles/${article.id}/close`, mod(), {}), 200);
    await until('both told', 20_000, () => one.receiver.messages.size === 2 && two.receiver.messages.size === 1);
    expect(one.receiver.ofType('user.banned')[0].body.data).toMatchObject({
      user: { id: 'troll', banned: true, banReason: 'spam' },
      change: { action: 'ban', reason: 'spam' },
    });
    expect(one.receiver.ofType('article.closed')[0].body.data).toMatchObject({
      article: { id: article.id, closedAt: expect.any(String) },
      change: { action: 'close' },
    });
    // One event, one webhook-id per endpoint: receivers deduplicate by it, never across endpoints.
    expect(one.receiver.ofType('user.banned')[0].id).not.toBe(two.receiver.ofType('user.banned')[0].id);
    expect(one.receiver.ofType('user.banned')[0].body.data.eventId).toBe(
      two.receiver.ofType('user.banned')[0].body.data.eventId,
    );
  });

  it('tries again a receiver that failed or timed out, under the same webhook-id, until it answers', async () => {
    const { receiver, endpoint } = await endpointFor(['user.banned']);
    const tries = new Map<string, number>();
    receiver.behaviour = ({ id }) => {
      const n = (tries.get(id) ?? 0) + 1;
      tries.set(id, n);
      return n === 1 ? 500 : n === 2 ? 'drop' : 200;
    };
    expectStatus(await ban('flaky'), 200);
    const [message] = await until(
      'delivered',
      20_000,
      () => receiver.messages.size === 1 && [...receiver.messages.values()],
    );
    expect(receiver.requests.map((r) => r.id)).toEqual([message.id, message.id, message.id]);
    const [delivery] = await until('logged', 10_000, async () => {
      const log = await deliveryLog(endpoint.id);
      return log[0]?.state === 'delivered' && log;
    });
    expect(delivery.id).toBe(message.id);
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ status: 500, ok: false, answer: 'receiver trouble' }),
      expect.objectContaining({ status: null, ok: false, answer: expect.stringMatching(/socket|hang up|reset/i) }),
      expect.objectContaining({ status: 200, ok: true }),
    ]);
    const after = expectStatus(await call(t, 'get', `/api/admin/webhooks/${endpoint.id}`, admin()), 200);
    expect(after).toMatchObject({
      failingSince: null,
      lastSuccessAt: expect.any(String),
      lastFailureAt: expect.any(String),
    });
  });

  it('delivers what happened while a receiver was away, once it listens again', async () => {
    const { receiver } = await endpointFor(['user.banned']);
    await receiver.stop();
    for (const id of ['away-1', 'away-2', 'away-3']) expectStatus(await ban(id), 200);
    await until('tried while away', 10_000, async () => {
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM webhook_attempts WHERE NOT ok`);
      return rows[0].n >= 3;
    });
    await receiver.listen();
    await until('all three', 20_000, () => receiver.messages.size === 3);
    expect(
      receiver
        .ofType('user.banned')
        .map((m) => m.body.data.user.id)
        .sort(),
    ).toEqual(['away-1', 'away-2', 'away-3']);
  });

  it('sends nothing of a change that rolled back', async () => {
    const { receiver } = await endpointFor(['user.banned']);
    await expect(
      t.app.get(Transactions).run(async (manager) => {
        await recordOutbox(manager, 'user.banned', {
          actor: null,
          targetType: 'user',
          targetId: 'rolled-back',
          articleId: null,
          createdAt: new Date().toISOString(),
          siteId: 1,
        });
        throw new Error('the change failed after its event');
      }),
    ).rejects.toThrow('the change failed');
    expectStatus(await ban('committed'), 200);
    await until('the committed one', 20_000, () => receiver.messages.size === 1);
    expect(receiver.ofType('user.banned').map((m) => m.body.data.change)).toHaveLength(1);
    expect(receiver.ofType('user.banned')[0].body.data.user.id).toBe('committed');
  });

  it('refuses an endpoint whose URL does not lead to a public address', async () => {
    for (const [url, code] of [
      ['http://10.1.2.3/hooks', 'ADDRESS_NOT_PUBLIC'],
      ['http://169.254.169.254/latest/meta-data', 'ADDRESS_NOT_PUBLIC'],
      ['http://[fd00::1]/hooks', 'ADDRESS_NOT_PUBLIC'],
      ['http://192.168.0.10:8080/hooks', 'ADDRESS_NOT_PUBLIC'],
      ['ftp://files.example/hooks', 'URL_NOT_ALLOWED'],
      ['https://no-such-host.invalid/hooks', 'URL_NOT_ALLOWED'],
    ]) {
      const body = expectProblem(
        await call(t, 'post', '/api/admin/webhooks', admin(), { url, events: ['user.banned'] }),
        400,
        code,
      );
      expect(body.errors).toEqual([{ field: 'url', messages: [expect.any(String)] }]);
    }
    expectProblem(
      await call(t, 'post', '/api/admin/webhooks', admin(), {
        url: 'https://hooks.example/x',
        events: ['comment.liked'],
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call(t, 'post', '/api/admin/webhooks', admin(), { url: 'https://hooks.example/x', events: [] }),
      400,
      'VALIDATION_FAILED',
    );
    const { endpoint } = await endpointFor(['user.banned']);
    expectProblem(
      await call(t, 'patch', `/api/admin/webhooks/${endpoint.id}`, admin(), { url: 'http://172.16.0.1/' }),
      400,
      'ADDRESS_NOT_PUBLIC',
    );
  });

  it('signs with both secrets while one is rotated, so a receiver holding either verifies', async () => {
    const { receiver, endpoint } = await endpointFor(['user.banned']);
    const rotated = expectStatus(
      await call(t, 'post', `/api/admin/webhooks/${endpoint.id}/secret/rotate`, admin()),
      200,
    );
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.secretFingerprints).toEqual([expect.any(String), endpoint.secretFingerprints[0]]);
    expect(new Date(rotated.previousSecretUntil).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    const oldOnly = new Webhook(endpoint.secret);
    const newOnly = new Webhook(rotated.secret);
    receiver.secrets = [endpoint.secret];
    expectStatus(await ban('rotated-1'), 200);
    const [message] = await until(
      'delivered',
      20_000,
      () => receiver.messages.size === 1 && [...receiver.messages.values()],
    );
    expect(message.headers['webhook-signature'].split(' ')).toHaveLength(2);
    const raw = JSON.stringify(message.body);
    expect(() => oldOnly.verify(raw, message.headers)).not.toThrow();
    expect(() => newOnly.verify(raw, message.headers)).not.toThrow();

    // Once the old secret's time is up, only the new one signs.
    await t.db.query(`UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 second'`);
    receiver.secrets = [rotated.secret];
    expectStatus(await ban('rotated-2'), 200);
    await until('delivered', 20_000, () => receiver.messages.size === 2);
    const second = receiver.ofType('user.banned').find((m) => m.body.data.user.id === 'rotated-2')!;
    expect(second.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(() => oldOnly.verify(JSON.stringify(second.body), second.headers)).toThrow();
    const shown = expectStatus(await call(t, 'get', `/api/admin/webhooks/${endpoint.id}`, admin()), 200);
    expect(shown).toMatchObject({ secretFingerprints: [rotated.secretFingerprints[0]], previousSecretUntil: null });
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
  });

  it('sends a test event, and sends a message again: a dead letter under its id, a delivered one as new', async () => {
    const { receiver, endpoint } = await endpointFor(['user.banned']);
    const test = expectStatus(await call(t, 'post', `/api/admin/webhooks/${endpoint.id}/test`, admin()), 202);
    await until('the test event', 20_000, () => receiver.messages.has(test.id));
    expect(receiver.messages.get(test.id)!.body).toMatchObject({
      type: 'webhook.test',
      data: { site: 'default', eventId: `test-${test.id}`, change: { action: 'test' } },
    });

    receiver.behaviour = () => 503;
    expectStatus(await ban('dead-letter'), 200);
    const dead = await until('a dead letter', 30_000, async () => {
      const log = await deliveryLog(endpoint.id);
      return log.find((d) => d.type === 'user.banned' && d.state === 'dead');
    });
    expect(dead.attempts).toHaveLength(4);
    receiver.behaviour = () => 200;
    const again = expectStatus(
      await call(t, 'post', `/api/admin/webhooks/${endpoint.id}/deliveries/${dead.id}/resend`, admin()),
      202,
    );
    expect(again.id).toBe(dead.id);
    await until('the dead letter delivered', 20_000, () => receiver.messages.has(dead.id));

    const anew = expectStatus(
      await call(t, 'post', `/api/admin/webhooks/${endpoint.id}/deliveries/${dead.id}/resend`, admin()),
      202,
    );
    expect(anew.id).not.toBe(dead.id);
    await until('sent again as new', 20_000, () => receiver.messages.has(anew.id));
    expect(receiver.messages.get(anew.id)!.body).toEqual(receiver.messages.get(dead.id)!.body);
    expectProblem(
      await call(
        t,
        'post',
        `/api/admin/webhooks/${endpoint.id}/deliveries/00000000-0000-4000-8000-000000000000/resend`,
        admin(),
      ),
      404,
      'NOT_FOUND',
    );
  }, 60_000);

  it('pauses an endpoint that fails for days without a success, says so in the log, and resumes it when asked', async () => {
    const { receiver, endpoint } = await endpointFor(['user.banned']);
    receiver.behaviour = () => 500;
    await t.db.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = $1`, [
      endpoint.id,
    ]);
    expectStatus(await ban('while-failing'), 200);
    const paused = await until('paused', 20_000, async () => {
      const shown = expectStatus(await call(t, 'get', `/api/admin/webhooks/${endpoint.id}`, admin()), 200);
      return shown.status === 'paused' && shown;
    });
    expect(paused.pausedAt).toEqual(expect.any(String));
    const siteLog = async () =>
      expectStatus(await call(t, 'get', '/api/moderation/log?targetId=1', admin()), 200).items as {
        action: string;
      }[];
    expect((await siteLog()).filter((e) => e.action === 'pause_webhook')).toEqual([
      expect.objectContaining({
        action: 'pause_webhook',
        actor: null,
        targetType: 'site',
        reason: expect.stringContaining(receiver.url),
      }),
    ]);
    // Paused: new events are not sent to it.
    receiver.behaviour = () => 200;
    const before = receiver.requests.length;
    expectStatus(await ban('while-paused'), 200);
    const other = await endpointFor(['user.banned']);
    expectStatus(await ban('after-other'), 200);
    await until('the other told', 20_000, () =>
      other.receiver.ofType('user.banned').some((m) => m.body.data.user.id === 'after-other'),
    );
    expect(receiver.ofType('user.banned').map((m) => m.body.data.user.id)).not.toContain('while-paused');
    expect(receiver.requests.length - before).toBeLessThanOrEqual(3); // (the failing message's own retries)

    const resumed = expectStatus(await call(t, 'post', `/api/admin/webhooks/${endpoint.id}/resume`, admin()), 200);
    expect(resumed).toMatchObject({ status: 'active', pausedAt: null, failingSince: null });
    expectStatus(await ban('after-resume'), 200);
    await until('sent after resuming', 20_000, () =>
      receiver.ofType('user.banned').some((m) => m.body.data.user.id === 'after-resume'),
    );
    // An admin's pause: 'disabled', also logged.
    const disabled = expectStatus(await call(t, 'post', `/api/admin/webhooks/${endpoint.id}/pause`, admin()), 200);
    expect(disabled.status).toBe('disabled');
    expect((await siteLog()).map((e) => e.action)).toEqual(
      expect.arrayContaining(['add_webhook', 'pause_webhook', 'resume_webhook']),
    );
  }, 60_000);

  it('keeps the delivery log 30 days', async () => {
    const { receiver, endpoint } = await endpointFor(['user.banned']);
    for (const id of ['old-news', 'fresh-news']) expectStatus(await ban(id), 200);
    await until('both delivered', 20_000, () => receiver.messages.size === 2);
    const old = receiver.ofType('user.banned').find((m) => m.body.data.user.id === 'old-news')!;
    await until('both logged', 10_000, async () => (await deliveryLog(endpoint.id)).length === 2);
    await t.db.query(`UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE id = $1`, [old.id]);
    expect(await t.app.get(WebhookSender).sweep()).toBe(1);
    expect((await deliveryLog(endpoint.id)).map((d) => d.id)).toEqual([
      receiver.ofType('user.banned').find((m) => m.body.data.user.id === 'fresh-news')!.id,
    ]);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM webhook_attempts WHERE delivery_id = $1`, [
      old.id,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('counts webhook deliveries in /api/metrics', async () => {
    const { receiver } = await endpointFor(['user.banned']);
    expectStatus(await ban('counted'), 200);
    await until('delivered', 20_000, () => receiver.messages.size === 1);
    const text = (await t.http().get('/api/metrics')).text;
    expect(text).toMatch(/comment_desk_deliveries_sent_total\{queue="webhook"\} [1-9]/);
    for (const name of ['waiting', 'retrying', 'dead', 'oldest_waiting_seconds', 'failed_total'])
      expect(text).toMatch(new RegExp(`comment_desk_deliveries_${name}\\{queue="webhook"\\} \\d`));
  });

  it("shows another site's admin none of the endpoints", async () => {
    const { endpoint } = await endpointFor(['user.banned']);
    await addSite(t, 'weekly', 'The Weekly');
    const weeklyAdmin = (path: string, method: 'get' | 'post' = 'get') =>
      t
        .http()
        [method](path)
        .set('Authorization', `Bearer ${siteToken('weekly-boss', 'admin')}`)
        .set('Comment-Desk-Site', 'weekly');
    expect(expectStatus(await weeklyAdmin('/api/admin/webhooks'), 200).items).toEqual([]);
    expectProblem(await weeklyAdmin(`/api/admin/webhooks/${endpoint.id}`), 404, 'NOT_FOUND');
    expectProblem(await weeklyAdmin(`/api/admin/webhooks/${endpoint.id}/deliveries`), 404, 'NOT_FOUND');
    expectProblem(await weeklyAdmin(`/api/admin/webhooks/${endpoint.id}/secret/rotate`, 'post'), 404, 'NOT_FOUND');
    expectProblem(await weeklyAdmin(`/api/admin/webhooks?site=default`), 404, 'NOT_FOUND');
    // A moderator of the site may not manage its webhooks.
    expectProblem(await call(t, 'get', '/api/admin/webhooks', mod()), 403, 'FORBIDDEN');
  });
});
