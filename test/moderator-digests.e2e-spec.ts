import { ModeratorDigests } from '../src/digests/moderator-digests.service';
import { SitesDirectory } from '../src/sites/sites.directory';
import { call, createArticle, expectStatus, postComment } from './support/moderation-helpers';
import { addSite, siteToken } from './support/sites';
import { SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Moderators choose a digest of what waits in their queues (off by default; hourly or daily): the
 * address they give is confirmed by a link, then a sweep emails the counts per queue of the sites
 * they moderate, once per period, over SMTP to a real server the test runs.
 */
describe("moderators' digests", () => {
  let t: TestApp;
  let smtp: SmtpCatcher;
  let eveningId: number;
  const mod = () => t.token('mona', 'moderator', { name: 'Mona' });
  const sweep = () => t.app.get(ModeratorDigests).sweep();
  const digest = (token = mod()) => call(t, 'get', '/api/moderation/digest', token);
  const choose = (body: object, token = mod()) => call(t, 'put', '/api/moderation/digest', token, body);
  const linkIn = (text: string) => /(http:\/\/\S+\/api\/digest-confirmations\?token=\S+)/.exec(text)![1];

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await createTestApp({ SMTP_URL: smtp.url, DELIVERIES: 'on', DELIVERY_RETRY_DELAY_SECONDS: '1' });
    await t.app.listen(0, '127.0.0.1');
    eveningId = await addSite(t, 'evening', 'The Evening Post');
    t.app.get(SitesDirectory).forget();
    // Mona moderates the first site (her token) and, granted, the Evening Post.
    await t.db.query(`INSERT INTO users (id, name, site_id) VALUES ('mona', 'Mona', 1)`);
    await t.db.query(
      `INSERT INTO site_members (site_id, user_id, role, granted_by) VALUES ($1, 'mona', 'moderator', 'mona')`,
      [eveningId],
    );
    const held = await createArticle(t, mod(), { moderationMode: 'pre' });
    await postComment(t, t.token('reader'), held.id, 'Waiting for a moderator');
    await postComment(t, t.token('reader2'), held.id, 'Waiting too');
    const evening = expectStatus(
      await call(t, 'post', '/api/articles?site=evening', mod(), {
        url: 'https://evening.example/story',
        title: 'Evening story',
      }),
      201,
    );
    const shown = await t
      .http()
      .post(`/api/articles/${evening.id}/comments`)
      .set('Comment-Desk-Site', 'evening')
      .auth(siteToken('night'), { type: 'bearer' })
      .send({ body: 'Published, then reported' });
    expect(shown.status).toBe(201);
    expect(
      (
        await t
          .http()
          .post(`/api/comments/${shown.body.id}/reports`)
          .set('Comment-Desk-Site', 'evening')
          .auth(siteToken('owl'), { type: 'bearer' })
          .send({ reason: 'spam' })
      ).status,
    ).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('is off until chosen, sends nothing before the address is confirmed, then the counts once per period', async () => {
    expect((await digest()).body).toEqual({ frequency: 'off', address: null, confirmed: false, available: true });
    const chosen = await choose({ frequency: 'daily', address: 'mona@example.com' });
    expect([chosen.status, chosen.body]).toEqual([
      200,
      { frequency: 'daily', address: 'mona@example.com', confirmed: false, available: true },
    ]);
    const confirmation = await smtp.next('mona@example.com');
    expect(confirmation.subject).toBe('Confirm the address of your moderation digest');
    expect(await sweep()).toBe(0);

    const link = linkIn(confirmation.text!);
    const page = await fetch(link, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Your digest is confirmed');
    expect((await fetch(link, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await digest()).body.confirmed).toBe(true);

    expect(await sweep()).toBe(1);
    const sent = await smtp.next('mona@example.com', 1);
    expect(sent.subject).toBe('4 comments waiting in your moderation queues');
    expect(sent.text).toContain('Default site\n  2 comments held for review: http://');
    expect(sent.text).toContain('#/queue/pending?site=default');
    expect(sent.text).toContain('The Evening Post\n  1 comment reported: ');
    expect(sent.text).toContain('#/queue/reported?site=evening');
    expect(sent.html).toContain('<h2 style="font-size:18px">The Evening Post</h2>');
    // Once a day: not again until a day has passed.
    expect(await sweep()).toBe(0);
    await t.db.query(`UPDATE moderator_digests SET last_sent_at = now() - interval '25 hours'`);

    // A grant revoked takes its site out of the digest.
    await t.db.query(`DELETE FROM site_members WHERE user_id = 'mona'`);
    expect(await sweep()).toBe(1);
    const next = await smtp.next('mona@example.com', 2);
    expect(next.subject).toBe('2 comments waiting in your moderation queues');
    expect(next.text).not.toContain('The Evening Post');
  });

  it('confirms a new address again, and stops when turned off', async () => {
    await choose({ frequency: 'hourly', address: 'MONA@example.com' });
    // The same address, however written: still confirmed.
    expect((await digest()).body).toMatchObject({ frequency: 'hourly', confirmed: true });
    const moved = await choose({ frequency: 'hourly', address: 'mona@night.example' });
    expect(moved.body).toEqual({
      frequency: 'hourly',
      address: 'mona@night.example',
      confirmed: false,
      available: true,
    });
    await smtp.next('mona@night.example');
    await t.db.query(`UPDATE moderator_digests SET last_sent_at = NULL`);
    expect(await sweep()).toBe(0);
    const off = await choose({ frequency: 'off' });
    expect(off.body).toEqual({ frequency: 'off', address: null, confirmed: false, available: true });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM moderator_digests`)).rows[0].n).toBe(0);
  });

  it('is for moderators, and refuses what is not an address', async () => {
    expect((await digest(t.token('reader'))).status).toBe(403);
    const bad = await choose({ frequency: 'daily', address: 'nope' });
    expect([bad.status, bad.body.code, bad.body.errors[0].field]).toEqual([400, 'VALIDATION_FAILED', 'address']);
    const missing = await choose({ frequency: 'weekly' });
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['address', 'frequency']);
  });
});
