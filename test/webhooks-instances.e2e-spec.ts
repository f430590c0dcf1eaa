import { OUTBOX_EVENT_TYPES } from '../src/deliveries/outbox-event';
import { call, expectProblem, expectStatus } from './support/moderation-helpers';
import { createTestApp, TestApp } from './support/test-app';
import { until } from './support/expect';
import { startReceiver, WebhookReceiver } from './support/webhook-receiver';

const ENV = {
  DELIVERIES: 'on',
  DELIVERY_ALLOW_LOOPBACK: 'on',
  DELIVERY_RETRY_DELAY_SECONDS: '1',
  DELIVERY_EXPIRE_SECONDS: '5',
};

async function register(t: TestApp, receiver: WebhookReceiver, events: readonly string[] = OUTBOX_EVENT_TYPES) {
  const created = expectStatus(
    await call(t, 'post', '/api/admin/webhooks', t.token('boss', 'admin'), { url: receiver.url, events }),
    201,
  );
  receiver.secrets = [created.secret];
  return created as { id: string; secret: string };
}

const ban = (t: TestApp, id: string) =>
  call(t, 'post', `/api/moderation/users/${id}/ban`, t.token('mod', 'moderator'), { reason: 'spam' });

describe('webhooks on two instances', () => {
  let first: TestApp;
  let second: TestApp | undefined;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    first = await createTestApp(ENV);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.stop();
    await second?.close();
    await first.db.end();
    await first.app.close();
  });

  it('deliver a burst together, each message once after deduplication, and lose nothing when one goes away mid-burst', async () => {
    second = await createTestApp(ENV, first.databaseUrl);
    await register(first, receiver, ['user.banned']);
    // Some answers never come while the first instance runs, so that it goes with deliveries in
    // flight (they expire, and the other instance sends them again); some fail and are retried.
    let firstGone = false;
    receiver.behaviour = ({ n }) => (!firstGone && n % 6 === 0 ? 'hang' : n % 7 === 0 ? 500 : 200);
    const ids = Array.from({ length: 60 }, (_, i) => `burst-${i}`);
    for (const id of ids.slice(0, 30)) expectStatus(await ban(first, id), 200);
    await until('some delivered, one in flight', 10_000, () => receiver.messages.size > 0 && receiver.hung > 0);
    // The first instance goes while the rest of the burst is being made and sent.
    const closing = first.app.close().then(() => (firstGone = true));
    for (const id of ids.slice(30)) expectStatus(await ban(second, id), 200);
    await closing;
    await until('the whole burst', 40_000, () => receiver.messages.size === ids.length).catch(async (error: Error) => {
      const got = new Set(receiver.ofType('user.banned').map((m) => m.body.data.user.id));
      const { rows } = await second!.db.query(
        `SELECT state, retry_count, data->>'payload' AS payload FROM pgboss.job WHERE name = 'webhook' AND state <> 'completed'`,
      );
      throw new Error(
        `${error.message}: missing ${ids.filter((id) => !got.has(id)).join(', ')}; unfinished jobs ${JSON.stringify(
          rows.map((r: { state: string; retry_count: number; payload: string }) => [
            r.state,
            r.retry_count,
            JSON.parse(r.payload).data.user?.id,
          ]),
        )}`,
      );
    });
    const banned = receiver.ofType('user.banned').map((m) => m.body.data.user.id);
    expect(banned.sort()).toEqual([...ids].sort());
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    // Each message came at least once; repeats carry the same webhook-id, so the receiver kept one.
    expect(new Set(receiver.requests.map((r) => r.id)).size).toBe(ids.length);
  }, 60_000);
});

describe('webhooks to an address that stopped being allowed', () => {
  it('refuses at delivery a URL that was allowed when registered, and logs why', async () => {
    const receiver = await startReceiver();
    // Registered while this machine's addresses were allowed…
    const before = await createTestApp({ ...ENV, DELIVERIES: 'off' });
    const endpoint = await register(before, receiver, ['user.banned']);
    await before.close();
    // …and sent by an installation that allows only public addresses.
    const t = await createTestApp({ ...ENV, DELIVERY_ALLOW_LOOPBACK: 'off' }, before.databaseUrl);
    try {
      expectStatus(await ban(t, 'refused'), 200);
      const log = await until('tried and refused', 20_000, async () => {
        const items = expectStatus(
          await call(t, 'get', `/api/admin/webhooks/${endpoint.id}/deliveries`, t.token('boss', 'admin')),
          200,
        ).items as { attempts: { status: number | null; ok: boolean; answer: string }[] }[];
        return items[0]?.attempts.length >= 2 && items;
      });
      expect(log[0].attempts[0]).toMatchObject({
        status: null,
        ok: false,
        answer: expect.stringMatching(/not a public address/),
      });
      expect(receiver.requests).toEqual([]);
      expectProblem(
        await call(t, 'post', '/api/admin/webhooks', t.token('boss', 'admin'), {
          url: receiver.url,
          events: ['user.banned'],
        }),
        400,
        'ADDRESS_NOT_PUBLIC',
      );
    } finally {
      await t.close();
      await receiver.stop();
    }
  });
});

describe('a webhook receiver that does not answer', () => {
  it('is given 10 s, then tried again under the same webhook-id', async () => {
    const receiver = await startReceiver();
    const t = await createTestApp({ ...ENV, DELIVERY_EXPIRE_SECONDS: '30' });
    try {
      await register(t, receiver, ['user.banned']);
      let first = true;
      receiver.behaviour = () => (first ? ((first = false), 'hang') : 200);
      const started = Date.now();
      expectStatus(await ban(t, 'slow-receiver'), 200);
      await until('delivered after the timeout', 30_000, () => receiver.messages.size === 1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
      expect(receiver.requests.map((r) => r.id)).toEqual([...receiver.messages.keys(), ...receiver.messages.keys()]);
      const log = expectStatus(
        await call(
          t,
          'get',
          `/api/admin/webhooks/${(await t.db.query('SELECT id FROM webhook_endpoints')).rows[0].id}/deliveries`,
          t.token('boss', 'admin'),
        ),
        200,
      ).items;
      expect(log[0].attempts).toEqual([
        expect.objectContaining({ status: null, ok: false, answer: 'No answer within 10000 ms' }),
        expect.objectContaining({ status: 200, ok: true }),
      ]);
    } finally {
      await t.close();
      await receiver.stop();
    }
  }, 40_000);
});
