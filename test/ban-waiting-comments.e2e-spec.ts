import {
  call,
  commentAsModerator,
  createArticle,
  expectProblem,
  expectStatus,
  logEntries,
  postComment,
  recount,
  report,
  uid,
} from './support/moderation-helpers';
import { until } from './support/expect';
import { createTestApp, TestApp } from './support/test-app';

/**
 * A ban that also rejects the author's comments still waiting for a moderator (held for review or
 * reported), in the ban's transaction, each as a single rejection would be.
 */
describe('banning with the waiting comments rejected', () => {
  let t: TestApp;
  let mod: string;
  let otherMod: string;
  const ban = (userId: string, body: Record<string, unknown>) =>
    call(t, 'post', `/api/moderation/users/${userId}/ban`, mod, body);
  const profile = async (userId: string) =>
    expectStatus(await call(t, 'get', `/api/moderation/users/${userId}`, mod), 200);

  /** An author with two held comments, one reported, one published and unreported, one already rejected. */
  async function authorWithWaiting() {
    const authorId = uid('author');
    const author = t.token(authorId, 'commenter', { name: 'Waiting Author' });
    const held = await createArticle(t, mod, { moderationMode: 'pre' });
    const open = await createArticle(t, mod);
    const pending = [
      await postComment(t, author, held.id, 'held one'),
      await postComment(t, author, held.id, 'held two'),
    ];
    const reported = await postComment(t, author, open.id, 'reported one');
    expectStatus(await report(t, t.token(uid('reader')), reported.id, 'spam'), 201);
    const quiet = await postComment(t, author, open.id, 'nobody minds this one');
    const rejected = await postComment(t, author, open.id, 'rejected already');
    expectStatus(await call(t, 'post', `/api/moderation/comments/${rejected.id}/reject`, otherMod, {}), 200);
    expect(pending.map((c) => c.status)).toEqual(['pending', 'pending']);
    return { authorId, author, articles: [held, open], pending, reported, quiet, rejected };
  }

  beforeAll(async () => {
    t = await createTestApp();
    mod = t.token('mod-ban-waiting', 'moderator', { name: 'Ban Mod' });
    otherMod = t.token('mod-ban-other', 'moderator', { name: 'Other Mod' });
  });
  afterAll(() => t.close());

  it("the user's page counts the waiting comments: held and reported, not rejected or unreported", async () => {
    const { authorId } = await authorWithWaiting();
    expect((await profile(authorId)).waiting).toBe(3);
  });

  it('rejects them with the label, logs each rejection, resolves reports and keeps the counts right', async () => {
    const { authorId, articles, pending, reported, quiet, rejected } = await authorWithWaiting();
    const body = expectStatus(
      await ban(authorId, { reason: 'spamming', rejectWaiting: true, rejectionReasonLabel: 'Spam or advertising' }),
      200,
    );
    expect(body).toMatchObject({ ban: { banned: true, reason: 'spamming' }, waiting: 0 });
    expect(body.waitingRejections).toEqual({ rejected: 3, skipped: 0 });

    for (const c of [...pending, reported]) {
      expect(await commentAsModerator(t, mod, c.id)).toMatchObject({
        status: 'rejected',
        rejectionReason: 'Spam or advertising',
      });
      const [entry] = await logEntries(t, mod, { commentId: c.id, limit: 1 });
      expect(entry).toMatchObject({ action: 'reject', actor: { id: 'mod-ban-waiting' }, toStatus: 'rejected' });
      expect(entry.reason).toMatch(/^Spam or advertising: with the author's ban: spamming/);
    }
    const [reportedEntry] = await logEntries(t, mod, { commentId: reported.id, limit: 1 });
    expect(reportedEntry.reason).toMatch(/resolved 1 report\(s\)$/);
    expect((await commentAsModerator(t, mod, quiet.id)).status).toBe('published');
    // The comment rejected before keeps its one decision, by the other moderator.
    expect((await logEntries(t, mod, { commentId: rejected.id })).map((e) => e.actor?.id)).toEqual(['mod-ban-other']);
    const [banEntry] = await logEntries(t, mod, { actorId: 'mod-ban-waiting', targetId: authorId, limit: 1 });
    expect(banEntry).toMatchObject({ action: 'ban', targetId: authorId });
    for (const article of articles) {
      const counts = await recount(t.db, article.id);
      expect(counts.stored).toEqual(counts.actual);
      expect(counts.openReports.every((r) => r.stored === r.actual)).toBe(true);
    }
    const [held, open] = await Promise.all(
      articles.map(async (a) => (await t.db.query(`SELECT * FROM articles WHERE id = $1`, [a.id])).rows[0]),
    );
    expect(held).toMatchObject({ count_pending: 0, count_rejected: 2 });
    // Live readers: the reported comment they could see is taken away (as the one rejected before
    // was); the held ones were never shown.
    const { rows: events } = await t.db.query(
      `SELECT type, payload->>'id' AS id FROM thread_events WHERE article_id = ANY($1) AND type = 'comment.hidden'`,
      [articles.map((a) => a.id)],
    );
    expect(events.map((e) => e.id).sort()).toEqual([reported.id, rejected.id].sort());
    expect(open).toMatchObject({ count_rejected: 2, count_reported: 0, count_visible: 1 });
  });

  it('without rejectWaiting the ban is as before: the waiting comments wait on', async () => {
    const { authorId, pending } = await authorWithWaiting();
    const body = expectStatus(await ban(authorId, { reason: 'cooling off' }), 200);
    expect(body).toMatchObject({ ban: { banned: true }, waiting: 3, waitingRejections: { rejected: 0, skipped: 0 } });
    expect((await commentAsModerator(t, mod, pending[0].id)).status).toBe('pending');
  });

  it('without a label the comments are rejected with none', async () => {
    const { authorId, pending } = await authorWithWaiting();
    expectStatus(await ban(authorId, { reason: 'no label', rejectWaiting: true }), 200);
    expect(await commentAsModerator(t, mod, pending[0].id)).toMatchObject({
      status: 'rejected',
      rejectionReason: null,
    });
  });

  it('a comment another moderator decides while the ban runs is skipped, not decided twice', async () => {
    const authorId = uid('author');
    const author = t.token(authorId);
    const first = await createArticle(t, mod, { moderationMode: 'pre' });
    const second = await createArticle(t, mod, { moderationMode: 'pre' });
    const a = await postComment(t, author, first.id, 'on the first article');
    const b = await postComment(t, author, second.id, 'on the second article');
    const [contested, other] = first.id < second.id ? [a, b] : [b, a];

    // The other moderator approves the comment the ban reaches first, in a transaction held open.
    await t.db.query('BEGIN');
    try {
      await t.db.query(
        `SELECT decide_comment($1, NULL, 'approve', 'approved', 'pending', 'mod-ban-other', 'Other Mod', NULL)`,
        [contested.id],
      );
      const banning = ban(authorId, { reason: 'racing', rejectWaiting: true }).then((r) => r);
      await until('the ban waits for the other decision', 10_000, async () => {
        const { rows } = await t.db.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows.length > 0;
      });
      await t.db.query('COMMIT');
      const body = expectStatus(await banning, 200);
      expect(body.waitingRejections).toEqual({ rejected: 1, skipped: 1 });
    } catch (error) {
      await t.db.query('ROLLBACK');
      throw error;
    }
    expect((await commentAsModerator(t, mod, contested.id)).status).toBe('approved');
    expect((await commentAsModerator(t, mod, other.id)).status).toBe('rejected');
    expect((await logEntries(t, mod, { commentId: contested.id })).map((e) => [e.action, e.actor?.id])).toEqual([
      ['approve', 'mod-ban-other'],
      ['hold', undefined],
    ]);
    for (const article of [first, second]) {
      const counts = await recount(t.db, article.id);
      expect(counts.stored).toEqual(counts.actual);
    }
  });

  describe('bad input is a 400 with a stable code, and nothing is banned or rejected', () => {
    it.each([
      ['a label without rejectWaiting', { rejectionReasonLabel: 'Off topic' }, /rejectionReasonLabel/],
      ['a label off the list', { rejectWaiting: true, rejectionReasonLabel: 'Not a reason' }, /rejection reasons/],
      ['an empty label', { rejectWaiting: true, rejectionReasonLabel: '' }, /rejectionReasonLabel/],
      ['a long label', { rejectWaiting: true, rejectionReasonLabel: 'x'.repeat(61) }, /rejectionReasonLabel/],
      ['rejectWaiting as text', { rejectWaiting: 'yes' }, /rejectWaiting/],
    ])('%s', async (_, extra, message) => {
      const { authorId, pending } = await authorWithWaiting();
      const problem = expectProblem(await ban(authorId, { reason: 'bad input', ...extra }), 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(problem)).toMatch(message);
      expect(await profile(authorId)).toMatchObject({ ban: { banned: false }, waiting: 3 });
      expect((await commentAsModerator(t, mod, pending[0].id)).status).toBe('pending');
    });
  });
});
