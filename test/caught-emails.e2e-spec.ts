import { Transactions } from '../src/database/transactions';
import { Mailer } from '../src/mail/mailer';
import { SitesDirectory } from '../src/sites/sites.directory';
import { until } from './support/expect';
import { addSite, siteToken } from './support/sites';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Without a mail server, emails are kept (MAIL_CATCHER) and a site's admins read them: the
 * newest first, each whole with its text, HTML and headers; another site's admin sees none.
 */
describe('the mail catcher: emails kept for admins to read', () => {
  let t: TestApp;
  let eveningId: number;
  const admin = () => t.token('boss', 'admin');
  const eveningAdmin = () => siteToken('editor', 'admin');

  beforeAll(async () => {
    t = await createTestApp({ MAIL_CATCHER: 'on', DELIVERIES: 'on', DELIVERY_RETRY_DELAY_SECONDS: '1' });
    eveningId = await addSite(t, 'evening', 'The Evening Post');
    t.app.get(SitesDirectory).forget();
    const emails = [1, 2, 3].map((n) => ({
      siteId: 1,
      to: `reader${n}@example.com`,
      subject: `Reply number ${n}`,
      text: `Someone answered you (${n}).`,
      html: `<p>Someone answered <b>you</b> (${n}).</p><script>alert(1)</script>`,
      headers: { 'List-Unsubscribe': `<https://news.example/unsubscribe/${n}>` },
    }));
    // One at a time: each is kept in the order sent, so that newest first is certain.
    for (const email of emails) {
      await t.app.get(Transactions).run((manager) => t.app.get(Mailer).send(manager, [email]));
      await until('the email kept', 15_000, async () => {
        const { rows } = await t.db.query(`SELECT 1 FROM caught_emails WHERE subject = $1`, [email.subject]);
        return rows.length === 1;
      });
    }
    await t.app.get(Transactions).run((manager) =>
      t.app.get(Mailer).send(manager, [
        {
          siteId: eveningId,
          to: 'night@example.com',
          subject: 'Evening news',
          text: 'Hello',
          html: '<p>Hello</p>',
        },
      ]),
    );
    await until('the evening email kept', 15_000, async () => {
      const { rows } = await t.db.query(`SELECT 1 FROM caught_emails WHERE site_id = $1`, [eveningId]);
      return rows.length === 1;
    });
  }, 60_000);
  afterAll(() => t?.close());

  it('says that it keeps emails', async () => {
    const res = await t.http().get('/api/admin/mail').auth(admin(), { type: 'bearer' });
    expect([res.status, res.body]).toEqual([200, { sending: true, catching: true }]);
  });

  it("lists a site's emails newest first, a page at a time, and reads one whole", async () => {
    const first = await t.http().get('/api/admin/emails?limit=2').auth(admin(), { type: 'bearer' });
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: { subject: string }) => e.subject)).toEqual(['Reply number 3', 'Reply number 2']);
    expect(first.body.items[0]).toEqual({
      id: expect.any(String),
      to: 'reader3@example.com',
      subject: 'Reply number 3',
      site: 'default',
      createdAt: expect.any(String),
    });
    const second = await t
      .http()
      .get(`/api/admin/emails?limit=2&cursor=${first.body.nextCursor}`)
      .auth(admin(), { type: 'bearer' });
    expect(second.body).toEqual({ items: [expect.objectContaining({ subject: 'Reply number 1' })], nextCursor: null });

    const one = await t.http().get(`/api/admin/emails/${first.body.items[0].id}`).auth(admin(), { type: 'bearer' });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      subject: 'Reply number 3',
      text: 'Someone answered you (3).',
      html: '<p>Someone answered <b>you</b> (3).</p><script>alert(1)</script>',
      headers: { 'List-Unsubscribe': '<https://news.example/unsubscribe/3>' },
      messageId: expect.stringMatching(/^<.+@comment-desk>$/),
    });
  });

  it("shows each site's admins their site's emails only", async () => {
    const evening = await t
      .http()
      .get('/api/admin/emails')
      .set('Comment-Desk-Site', 'evening')
      .auth(eveningAdmin(), { type: 'bearer' });
    expect(evening.body.items.map((e: { subject: string }) => e.subject)).toEqual(['Evening news']);
    const theirs = await t.http().get('/api/admin/emails').auth(admin(), { type: 'bearer' });
    const other = await t
      .http()
      .get(`/api/admin/emails/${theirs.body.items[0].id}`)
      .set('Comment-Desk-Site', 'evening')
      .auth(eveningAdmin(), { type: 'bearer' });
    expect([other.status, other.body.code]).toEqual([404, 'NOT_FOUND']);
    const asked = await t
      .http()
      .get('/api/admin/emails?site=default')
      .set('Comment-Desk-Site', 'evening')
      .auth(eveningAdmin(), { type: 'bearer' });
    expect(asked.status).toBe(403);
    const reader = await t.http().get('/api/admin/emails').auth(t.token('reader'), { type: 'bearer' });
    expect(reader.status).toBe(403);
    const moderator = await t.http().get('/api/admin/emails').auth(t.token('mod', 'moderator'), { type: 'bearer' });
    expect(moderator.status).toBe(403);
  });
});

describe('an installation that sends no email', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MAIL_CATCHER: 'off' });
    await addSite(t, 'evening', 'The Evening Post');
  }, 60_000);
  afterAll(() => t?.close());

  it('says so, and offers no sign-in by email', async () => {
    const admin = t.token('boss', 'admin');
    const status = await t.http().get('/api/admin/mail').auth(admin, { type: 'bearer' });
    expect(status.body).toEqual({ sending: false, catching: false });
    const patched = await t
      .http()
      .patch('/api/admin/sites/evening')
      .auth(admin, { type: 'bearer' })
      .send({ identity: { emailLinks: true } });
    expect([patched.status, patched.body.code, patched.body.errors?.[0]?.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'identity.emailLinks',
    ]);
    // Stored anyway (by hand, or before the mail server went): still not offered.
    await t.db.query(`UPDATE sites SET identity = '{"emailLinks": true}', version = version + 1 WHERE key = 'evening'`);
    t.app.get(SitesDirectory).forget();
    const asked = await t
      .http()
      .post('/api/sites/evening/email-sign-in')
      .send({
        address: 'ada@example.com',
        name: 'Ada',
        pickup: 'a'.repeat(43),
        origin: 'http://evening.test',
      });
    expect([asked.status, asked.body.code]).toEqual([404, 'NOT_FOUND']);
  });
});
