import {
  call,
  createArticle,
  decide,
  expectProblem,
  expectStatus,
  postComment,
  uid,
} from './support/moderation-helpers';
import { until } from './support/expect';
import { Received, SmtpInbox, startSmtpInbox } from './support/smtp-inbox';
import { createTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://comments.news.example';
const ALL_ON = { replies: true, approved: true, rejected: true, frequency: 'immediate' };

describe("readers' email notifications, over a real SMTP server", () => {
  let t: TestApp;
  let inbox: SmtpInbox;
  let mod: string;

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    t = await createTestApp({
      SMTP_URL: inbox.url,
      PUBLIC_URL,
      DELIVERY_RETRY_DELAY_SECONDS: '1',
      DELIVERY_RETRY_LIMIT: '2',
      NOTIFICATION_SWEEP_SECONDS: '1',
    });
    mod = t.token('nt-mod', 'moderator');
  });
  afterAll(async () => {
    await t.close();
    await inbox.close();
  });

  /** A reader whose site vouches for their address (or not), with their choices set. */
  async function reader(name: string, choices: object | null = ALL_ON, verified = true) {
    const id = uid(name);
    const address = `${id}@readers.example`;
    const token = t.token(id, 'commenter', { name, email: address, email_verified: verified });
    if (choices) expectStatus(await call(t, 'put', '/api/me/notifications', token, choices), 200);
    return { id, address, token };
  }

  /** Every event relayed and every email queued sent: what was not received by now will not be. */
  const settled = () =>
    until('the outbox relayed and the emails sent', 15_000, async () => {
      const { rows } = await t.db.query<{ waiting: number }>(
        `SELECT (SELECT count(*) FROM outbox_events)::int
              + (SELECT count(*) FROM pgboss.job WHERE name = 'email' AND state IN ('created', 'retry', 'active'))::int AS waiting`,
      );
      return rows[0].waiting === 0;
    });

  const unsubscribeUrlOf = (m: Received) => /^<([^>]+)>$/.exec(m.header('list-unsubscribe') ?? '')![1];

  it('emails a reply to the comment it answers, with a link to it and one-click unsubscribe headers', async () => {
    const article = await createArticle(t, mod, { title: 'Rivers <and> "bridges"' });
    const alice = await reader('Alice');
    const bob = await reader('Bob', null);
    const mine = await postComment(t, alice.token, article.id, 'What about the old bridge?');
    const answer = await postComment(t, bob.token, article.id, 'It was rebuilt in 1990.\nTwice <b>even</b>.', mine.id);

    const m = await inbox.waitFor(alice.address);
    expect(m.subject).toBe('New reply to your comment on “Rivers <and> "bridges"”');
    expect(m.text).toContain('Bob replied to your comment');
    expect(m.text).toContain('> It was rebuilt in 1990.\n> Twice <b>even</b>.');
    expect(m.text).toContain(`${article.url}#comment-${answer.id}`);
    // The HTML escapes what readers wrote.
    expect(m.html).toContain('Twice &lt;b&gt;even&lt;/b&gt;.');
    expect(m.html).toContain(`href="${article.url}#comment-${answer.id}"`);
    expect(m.html).not.toContain('<b>even</b>');
    const unsubscribe = unsubscribeUrlOf(m);
    expect(unsubscribe).toMatch(new RegExp(`^${PUBLIC_URL}/api/notifications/unsubscribe\\?token=[\\w.-]+$`));
    expect(m.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(m.text).toContain(unsubscribe);
    expect(m.header('message-id')).toMatch(/@comment-desk>$/);
  });

  it('never emails a reader their own reply, nor a reply from a banned reader, nor a held reply before it is approved', async () => {
    const article = await createArticle(t, mod, { moderationMode: 'pre' });
    const alice = await reader('Alice');
    const bob = await reader('Bob', { ...ALL_ON, replies: false });
    const carol = await reader('Carol', null);
    const mine = await postComment(t, alice.token, article.id, 'A held comment of mine');
    expectStatus(await decide(t, mod, mine.id, 'approve'), 200);
    const approved = await inbox.waitFor(alice.address);
    expect(approved.subject).toMatch(/^Your comment on “.*” is published$/);

    await postComment(t, alice.token, article.id, 'Answering myself', mine.id);
    const held = await postComment(t, bob.token, article.id, 'A reply waiting for a moderator', mine.id);
    const banned = await postComment(t, carol.token, article.id, 'A reply from someone soon banned', mine.id);
    expectStatus(await call(t, 'post', `/api/moderation/users/${carol.id}/ban`, mod, { reason: 'spam' }), 200);
    expectStatus(await decide(t, mod, banned.id, 'approve'), 200);
    await settled();
    expect(inbox.to(alice.address)).toHaveLength(1);

    expectStatus(await decide(t, mod, held.id, 'approve'), 200);
    const reply = await inbox.waitFor(alice.address, (m) => m.subject.startsWith('New reply'));
    expect(reply.text).toContain(`#comment-${held.id}`);
    // Bob turned replies off but approvals on: his held reply's approval is his.
    await inbox.waitFor(bob.address, (m) => m.subject.includes('is published'));
    await settled();
    expect(inbox.to(alice.address)).toHaveLength(2);
  });

  it('tells a rejection with its reason and how to ask for a review, in the reader’s language', async () => {
    const article = await createArticle(t, mod, { title: 'Les ponts' });
    const zoe = await reader('Zoé', { ...ALL_ON, lang: 'fr-FR' });
    const mine = await postComment(t, zoe.token, article.id, 'Un commentaire hors sujet');
    expectStatus(
      await call(t, 'post', `/api/moderation/comments/${mine.id}/reject`, mod, {
        reasonLabel: 'Off topic',
        reason: 'sans rapport avec l’article',
      }),
      200,
    );
    const m = await inbox.waitFor(zoe.address);
    expect(m.subject).toBe('Votre commentaire sur « Les ponts » n’a pas été publié');
    expect(m.text).toContain('Motif : Off topic: sans rapport avec l’article');
    expect(m.text).toContain('demander un réexamen');
    expect(m.text).toContain(`${article.url}#comment-${mine.id}`);
    expect(m.html).toContain('Ne plus recevoir ces courriels');
  });

  it('sends nothing to an address the site did not verify until the reader confirms it by the emailed link', async () => {
    const article = await createArticle(t, mod);
    const dan = await reader('Dan', ALL_ON, false);
    const other = await reader('Other', null);
    const settings = expectStatus(await call(t, 'get', '/api/me/notifications', dan.token), 200);
    expect(settings).toMatchObject({ available: true, replies: true, address: null, pendingAddress: null });
    const mine = await postComment(t, dan.token, article.id, 'Unverified, for now');
    await postComment(t, other.token, article.id, 'A first answer', mine.id);
    await settled();
    expect(inbox.to(dan.address)).toEqual([]);

    const given = expectStatus(
      await call(t, 'post', '/api/me/notifications/address', dan.token, { address: dan.address }),
      200,
    );
    expect(given).toEqual({ status: 'sent', address: dan.address });
    expect(expectStatus(await call(t, 'get', '/api/me/notifications', dan.token), 200)).toMatchObject({
      address: null,
      pendingAddress: dan.address,
    });
    const confirmation = await inbox.waitFor(dan.address);
    const link = /https:\/\/comments\.news\.example(\/api\/notifications\/confirm\?token=[\w-]+)/.exec(
      confirmation.text,
    )![1];
    const page = await t.http().get(link).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Address confirmed');
    expectProblem(await t.http().get(link), 404, 'LINK_INVALID'); // used once
    expect(expectStatus(await call(t, 'get', '/api/me/notifications', dan.token), 200)).toMatchObject({
      address: dan.address,
      addressVerifiedBy: 'link',
    });

    await postComment(t, other.token, article.id, 'A second answer', mine.id);
    const reply = await inbox.waitFor(dan.address, (m) => m.subject.startsWith('New reply'));
    expect(reply.text).toContain('A second answer');
  });

  it('gathers a digest reader’s news in one email when the period ends', async () => {
    const article = await createArticle(t, mod);
    const erin = await reader('Erin', { ...ALL_ON, frequency: 'hourly' });
    const other = await reader('Other', null);
    const mine = await postComment(t, erin.token, article.id, 'Tell me later');
    await postComment(t, other.token, article.id, 'First answer', mine.id);
    await postComment(t, other.token, article.id, 'Second answer', mine.id);
    await settled();
    expect(inbox.to(erin.address)).toEqual([]);
    const { rows } = await t.db.query<{ due: Date }>(
      `SELECT due_at AS due FROM notification_digest_items WHERE user_id = $1`,
      [erin.id],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].due.getTime()).toBeGreaterThan(Date.now());
    expect(rows[0].due.getUTCMinutes()).toBe(0);

    // The hour ends now.
    await t.db.query(`UPDATE notification_digest_items SET due_at = now() WHERE user_id = $1`, [erin.id]);
    const digest = await inbox.waitFor(erin.address);
    expect(digest.subject).toMatch(/^2 updates on your comments — /);
    expect(digest.text).toContain('First answer');
    expect(digest.text).toContain('Second answer');
    expect(digest.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    await settled();
    expect(inbox.to(erin.address)).toHaveLength(1);
    expect((await t.db.query(`SELECT 1 FROM notification_digest_items WHERE user_id = $1`, [erin.id])).rows).toEqual(
      [],
    );
  });

  it('unsubscribes in one click (RFC 8058), and only asks on a GET', async () => {
    const article = await createArticle(t, mod);
    const fay = await reader('Fay');
    const other = await reader('Other', null);
    const mine = await postComment(t, fay.token, article.id, 'Unsubscribe me soon');
    await postComment(t, other.token, article.id, 'An answer', mine.id);
    const url = new URL(unsubscribeUrlOf(await inbox.waitFor(fay.address)));
    const path = `${url.pathname}${url.search}`;

    const ask = await t.http().get(path).set('Accept', 'text/html');
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('<form method="post"');
    expect(expectStatus(await t.http().get(path), 200)).toEqual({ status: 'subscribed' });
    expect(expectStatus(await call(t, 'get', '/api/me/notifications', fay.token), 200)).toMatchObject({
      replies: true,
    });

    const done = await t
      .http()
      .post(path)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click');
    expect(expectStatus(done, 200)).toEqual({ status: 'unsubscribed' });
    expect(expectStatus(await call(t, 'get', '/api/me/notifications', fay.token), 200)).toMatchObject({
      replies: false,
      approved: false,
      rejected: false,
    });
    await postComment(t, other.token, article.id, 'Another answer', mine.id);
    await settled();
    expect(inbox.to(fay.address)).toHaveLength(1);

    const forged = path.replace(/\.[\w-]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAA');
    expect(
      (
        await t
          .http()
          .post(forged)
          .set('Content-Type', 'application/x-www-form-urlencoded')
          .send('List-Unsubscribe=One-Click')
      ).status,
    ).toBe(404);
    // A form is read on this route only.
    expectProblem(
      await t
        .http()
        .put('/api/me/notifications')
        .set('Authorization', `Bearer ${fay.token}`)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('replies=true'),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses bad choices and anonymous callers with problems', async () => {
    const gus = await reader('Gus', null);
    expectProblem(
      await call(t, 'put', '/api/me/notifications', gus.token, { ...ALL_ON, frequency: 'weekly' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call(t, 'put', '/api/me/notifications', gus.token, { replies: true }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call(t, 'post', '/api/me/notifications/address', gus.token, { address: 'not an address' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await call(t, 'get', '/api/me/notifications'), 401, 'UNAUTHENTICATED');
    expect(expectStatus(await call(t, 'get', '/api/me/notifications', gus.token), 200)).toEqual({
      available: true,
      replies: false,
      approved: false,
      rejected: false,
      frequency: 'immediate',
      lang: 'en',
      address: gus.address,
      addressVerifiedBy: 'claim',
      pendingAddress: null,
    });
    expectProblem(await t.http().get('/api/notifications/confirm?token=nothing'), 404, 'LINK_INVALID');
    expect((await t.http().get('/api/notifications/confirm?token=nothing').set('Accept', 'text/html')).text).toContain(
      'This link does not work',
    );
  });
});

describe('readers’ email notifications on an installation that sends no email', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: '', MAIL_CATCHER: 'off', PUBLIC_URL: '', NOTIFICATION_SWEEP_SECONDS: '' });
  });
  afterAll(() => t.close());

  it('says so, and refuses to turn them on or to send a confirmation', async () => {
    const token = t.token(uid('hal'), 'commenter', { email: 'hal@readers.example', email_verified: false });
    expect(expectStatus(await call(t, 'get', '/api/me/notifications', token), 200)).toMatchObject({
      available: false,
      replies: false,
    });
    expectProblem(await call(t, 'put', '/api/me/notifications', token, ALL_ON), 409, 'EMAIL_UNAVAILABLE');
    expectProblem(
      await call(t, 'post', '/api/me/notifications/address', token, { address: 'hal@readers.example' }),
      409,
      'EMAIL_UNAVAILABLE',
    );
    // Turning everything off stays possible.
    expectStatus(
      await call(t, 'put', '/api/me/notifications', token, {
        replies: false,
        approved: false,
        rejected: false,
        frequency: 'daily',
      }),
      200,
    );
  });
});
