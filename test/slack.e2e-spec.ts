import { addSite, siteToken } from './support/sites';
import { ReceivedMessage, SlackReceiver, wholeText } from './support/slack-receiver';
import {
  call,
  createArticle,
  expectProblem,
  expectStatus,
  postComment,
  report,
  uid,
} from './support/moderation-helpers';
import { createTestApp, TestApp } from './support/test-app';
import { until } from './support/expect';

const PUBLIC_URL = 'https://comments.news.example';

/**
 * Slack alerts per site, against a real HTTP peer that speaks Slack's incoming-webhook protocol:
 * the admins' settings (the URL write-only), one message per alert with the comment's excerpt,
 * author, article and a link to its card in the console, retries when Slack fails or asks to
 * wait, and sites kept apart.
 */
describe('Slack alerts', () => {
  let t: TestApp;
  const slack = new SlackReceiver();
  let admin: string;
  let mod: string;
  let eveningAdmin: string;

  const putSlack = (token: string, body: unknown, site = 'default') =>
    call(t, 'put', `/api/admin/sites/${site}/slack`, token, body);

  /** The outbox relayed and every Slack delivery made (or dead): what was to be sent has arrived. */
  const settled = () =>
    until('the deliveries settled', 20_000, async () => {
      const { rows } = await t.db.query<{ outbox: number; pending: number }>(
        `SELECT (SELECT count(*) FROM outbox_events)::int AS outbox,
           (SELECT count(*) FROM pgboss.job WHERE name = 'slack' AND state IN ('created', 'retry', 'active'))::int AS pending`,
      );
      return rows[0].outbox === 0 && rows[0].pending === 0;
    });

  const about = (channel: string, text: string) => slack.accepted(channel).filter((m) => wholeText(m).includes(text));

  beforeAll(async () => {
    await slack.start();
    t = await createTestApp({
      DELIVERIES: 'on',
      DELIVERY_RETRY_DELAY_SECONDS: '1',
      DELIVERY_RETRY_LIMIT: '2',
      DELIVERY_ALLOW_LOOPBACK: 'on',
      PUBLIC_URL,
    });
    admin = t.token('ada', 'admin', { name: 'Ada Admin' });
    mod = t.token('mona', 'moderator', { name: 'Mona Moderator' });
    await addSite(t, 'evening', 'The Evening Post');
    eveningAdmin = siteToken('eve', 'admin');
  });
  afterAll(async () => {
    await t.close();
    await slack.stop();
  });

  describe('settings', () => {
    it('are set by the site’s admins, the URL never read back, each change logged', async () => {
      expect(expectStatus(await call(t, 'get', '/api/admin/sites/default/slack', admin), 200)).toEqual({
        configured: false,
        urlHint: null,
        urlFingerprint: null,
        triggers: [],
        updatedBy: null,
        updatedAt: null,
      });
      expectProblem(await putSlack(admin, { triggers: ['held'] }), 400, 'VALIDATION_FAILED');
      expectProblem(await putSlack(admin, { url: slack.url('x'), triggers: ['sometimes'] }), 400, 'VALIDATION_FAILED');

      const url = slack.url('settings');
      const saved = expectStatus(await putSlack(admin, { url, triggers: ['reported', 'held'] }), 200);
      expect(saved).toEqual({
        configured: true,
        urlHint: `${slack.origin}/…`,
        urlFingerprint: expect.stringMatching(/^[0-9a-f]{12}$/),
        triggers: ['held', 'reported'],
        updatedBy: 'ada',
        updatedAt: expect.any(String),
      });
      const read = expectStatus(await call(t, 'get', '/api/admin/sites/default/slack', admin), 200);
      expect(read).toEqual(saved);
      expect(JSON.stringify(read)).not.toContain('/services/settings');

      // The URL left out is kept; the triggers change.
      const changed = expectStatus(await putSlack(admin, { triggers: ['staff_post'] }), 200);
      expect(changed).toMatchObject({ urlFingerprint: saved.urlFingerprint, triggers: ['staff_post'] });
      // The same again is no change: no new log entry.
      expectStatus(await putSlack(admin, { triggers: ['staff_post'] }), 200);

      const { rows } = await t.db.query<{ action: string; reason: string; actor_id: string }>(
        `SELECT action, reason, actor_id FROM moderation_log WHERE target_type = 'site' AND target_id = '1' ORDER BY seq`,
      );
      expect(rows).toEqual([
        { action: 'update_slack', reason: 'changed url, triggers: held, reported', actor_id: 'ada' },
        { action: 'update_slack', reason: 'changed triggers: staff_post', actor_id: 'ada' },
      ]);

      expectStatus(await call(t, 'delete', '/api/admin/sites/default/slack', admin), 204);
      expect(expectStatus(await call(t, 'get', '/api/admin/sites/default/slack', admin), 200).configured).toBe(false);
      expectProblem(await call(t, 'delete', '/api/admin/sites/default/slack', admin), 404, 'NOT_FOUND');
    });

    it('refuse a URL that may not be called, with a stable code', async () => {
      const refused = async (url: string, code: string) =>
        expectProblem(await putSlack(admin, { url, triggers: ['held'] }), 400, code);
      await refused('http://10.0.0.8/services/x', 'ADDRESS_NOT_PUBLIC');
      await refused('http://169.254.169.254/latest/meta-data', 'ADDRESS_NOT_PUBLIC');
      await refused('http://[::ffff:192.168.0.1]/hook', 'ADDRESS_NOT_PUBLIC');
      await refused('ftp://hooks.slack.example/x', 'URL_NOT_ALLOWED');
      await refused('not a url', 'URL_NOT_ALLOWED');
      expect(expectStatus(await call(t, 'get', '/api/admin/sites/default/slack', admin), 200).configured).toBe(false);
    });

    it('are the site’s admins’ only: a moderator is refused, another site’s admin finds nothing', async () => {
      expectProblem(await call(t, 'get', '/api/admin/sites/default/slack', mod), 403, 'FORBIDDEN');
      expectProblem(await putSlack(mod, { url: slack.url('m'), triggers: ['held'] }), 403, 'FORBIDDEN');
      const asEvening = (method: 'get' | 'put' | 'delete', body?: unknown) =>
        t
          .http()
          [method]('/api/admin/sites/default/slack')
          .set('Authorization', `Bearer ${eveningAdmin}`)
          .set('Comment-Desk-Site', 'evening')
          .send(body as object);
      expectProblem(await asEvening('get'), 404, 'NOT_FOUND');
      expectProblem(await asEvening('put', { url: slack.url('evil'), triggers: ['held'] }), 404, 'NOT_FOUND');
      expectProblem(await asEvening('delete'), 404, 'NOT_FOUND');
      // Their own site's are theirs.
      const own = await t
        .http()
        .get('/api/admin/sites/evening/slack')
        .set('Authorization', `Bearer ${eveningAdmin}`)
        .set('Comment-Desk-Site', 'evening');
      expect(expectStatus(own, 200).configured).toBe(false);
    });
  });

  describe('alerts', () => {
    const everything = ['held', 'reported', 'report_threshold', 'staff_post'];

    beforeAll(async () => {
      expectStatus(await putSlack(admin, { url: slack.url('morning'), triggers: everything }), 200);
      expectStatus(await call(t, 'put', '/api/moderation/settings', admin, { reportThreshold: 2 }), 200);
    });

    it('tells of a comment held for review, with its excerpt, author, article and a link to its card', async () => {
      const article = await createArticle(t, mod, { moderationMode: 'pre', title: 'Budget <night> & day' });
      const body = `Held until someone looks ${uid('held')}`;
      const held = await postComment(t, t.token('rex', 'commenter', { name: 'Rex Reader' }), article.id, body);
      await settled();
      const got = about('morning', body);
      expect(got).toHaveLength(1);
      const [message] = got;
      expect(message.contentType).toMatch(/^application\/json/);
      expect(message.text).toBe(
        'Held for review: a comment by Rex Reader on “Budget &lt;night&gt; &amp; day” (Default site)',
      );
      const card = `${PUBLIC_URL}/desk/#/search?commentId=${held.id}&site=default`;
      expect(message.blocks).toEqual([
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `*Held for review*: a comment by *Rex Reader* on <${article.url}|Budget &lt;night&gt; &amp; day>`,
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: `>${body}` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Why: article is pre-moderated · Default site' }] },
        { type: 'section', text: { type: 'mrkdwn', text: `<${card}|Open the card in the console>` } },
      ]);
      expect(linkOf(message)).toBe(card);
    });

    it('tells of a report, then of the report that reaches the threshold (and of the hold it causes)', async () => {
      const article = await createArticle(t, mod);
      const body = `Reported twice ${uid('reported')}`;
      const comment = await postComment(t, t.token('sam', 'commenter', { name: 'Sam Poster' }), article.id, body);
      expectStatus(await report(t, t.token('r1'), comment.id, 'spam'), 201);
      await settled();
      expect(about('morning', body).map((m) => m.text)).toEqual([
        `Reported: a comment by Sam Poster on “${article.title}” (Default site)`,
      ]);
      expect(wholeText(about('morning', body)[0])).toContain('Reason: spam · 1 open report · Default site');

      expectStatus(await report(t, t.token('r2'), comment.id, 'abuse'), 201);
      await settled();
      const texts = about('morning', body).map((m) => wholeText(m));
      expect(texts).toHaveLength(3);
      // One alert for the second report: the threshold's, not a plain report's as well.
      expect(texts.filter((x) => x.startsWith('Reported'))).toHaveLength(1);
      expect(texts.find((x) => x.startsWith('Over the report threshold'))).toContain(
        'Reason: abuse · 2 open reports (threshold 2) · Default site',
      );
      expect(texts.find((x) => x.startsWith('Held for review'))).toContain('Why: 2 open reports (threshold 2)');
    });

    it('tells of a comment posted by staff: by their token’s role, or a role granted on the site', async () => {
      const article = await createArticle(t, mod);
      const byMod = `From the desk ${uid('staff')}`;
      await postComment(t, mod, article.id, byMod);
      // Carl's token says commenter; the site granted him the moderator's role.
      await t.db.query(`INSERT INTO users (id, name) VALUES ('carl', 'Carl Granted') ON CONFLICT DO NOTHING`);
      await t.db.query(
        `INSERT INTO site_members (site_id, user_id, role, granted_by) VALUES (1, 'carl', 'moderator', 'ada')`,
      );
      const byCarl = `Granted and posting ${uid('staff')}`;
      await postComment(t, t.token('carl', 'commenter', { name: 'Carl Granted' }), article.id, byCarl);
      const byReader = `Just a reader ${uid('reader')}`;
      await postComment(t, t.token('rita'), article.id, byReader);
      await settled();
      expect(about('morning', byMod).map((m) => wholeText(m))).toEqual([
        expect.stringMatching(/^Posted by staff: a comment by Mona Moderator on .*By a moderator of the site/s),
      ]);
      expect(about('morning', byCarl).map((m) => wholeText(m))).toEqual([
        expect.stringMatching(/^Posted by staff: a comment by Carl Granted on .*By a moderator of the site/s),
      ]);
      expect(about('morning', byReader)).toEqual([]);
    });

    it('says nothing of what a trigger turned off would tell', async () => {
      expectStatus(await putSlack(admin, { triggers: ['staff_post'] }), 200);
      try {
        const held = await createArticle(t, mod, { moderationMode: 'pre' });
        const body = `Nobody hears of this ${uid('quiet')}`;
        await postComment(t, t.token('quiet'), held.id, body);
        const open = await createArticle(t, mod);
        const shown = await postComment(t, t.token('quiet'), open.id, `${body}, reported`);
        expectStatus(await report(t, t.token('r3'), shown.id, 'spam'), 201);
        expectStatus(await report(t, t.token('r4'), shown.id, 'spam'), 201);
        await settled();
        expect(slack.received.filter((m) => wholeText(m).includes(body))).toEqual([]);
      } finally {
        expectStatus(await putSlack(admin, { triggers: everything }), 200);
      }
    });

    it('tries again when Slack fails, and waits as long as Slack asks when it limits the rate', async () => {
      const article = await createArticle(t, mod, { moderationMode: 'pre' });
      slack.plan('morning', { status: 500 }, { status: 429, retryAfter: 3 });
      const body = `Delivered in the end ${uid('retry')}`;
      await postComment(t, t.token('pat'), article.id, body);
      await until('delivered', 20_000, () => about('morning', body).length === 1);
      const tries = slack.tries('morning').filter((m) => wholeText(m).includes(body));
      expect(tries.map((m) => m.status)).toEqual([500, 429, 200]);
      // The same message each time.
      expect(new Set(tries.map((m) => JSON.stringify([m.text, m.blocks]))).size).toBe(1);
      expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(2900);
      await settled();
      expect(about('morning', body)).toHaveLength(1);
    });

    it('keeps each site’s alerts to its own channel', async () => {
      const evening = (method: 'put' | 'post', path: string, token: string, body: unknown) =>
        t
          .http()
          [method](path)
          .set('Authorization', `Bearer ${token}`)
          .set('Comment-Desk-Site', 'evening')
          .send(body as object);
      expectStatus(
        await evening('put', '/api/admin/sites/evening/slack', eveningAdmin, {
          url: slack.url('evening'),
          triggers: ['held'],
        }),
        200,
      );
      const article = expectStatus(
        await evening('post', '/api/articles', eveningAdmin, {
          url: `https://evening.example/${uid('a')}`,
          title: 'Evening news',
          moderationMode: 'pre',
        }),
        201,
      );
      const body = `An evening comment ${uid('evening')}`;
      const held = expectStatus(
        await evening('post', `/api/articles/${article.id}/comments`, siteToken('owl'), { body }),
        201,
      );
      await settled();
      expect(about('morning', body)).toEqual([]);
      const got = about('evening', body);
      expect(got).toHaveLength(1);
      expect(got[0].text).toContain('(The Evening Post)');
      expect(linkOf(got[0])).toBe(`${PUBLIC_URL}/desk/#/search?commentId=${held.id}&site=evening`);
    });
  });
});

/** The link to the console's card, from the message's last block. */
function linkOf(message: ReceivedMessage): string | undefined {
  const last = message.blocks?.at(-1)?.text?.text ?? '';
  return /^<([^|>]+)\|Open the card in the console>$/.exec(last)?.[1];
}
