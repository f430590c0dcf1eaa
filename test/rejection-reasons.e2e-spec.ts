import {
  call,
  createArticle,
  expectProblem,
  expectStatus,
  logEntries,
  postComment,
  report,
  uid,
} from './support/moderation-helpers';
import { createTestApp, TestApp } from './support/test-app';

/** The site's list of rejection reasons: kept in the settings, picked by a moderator, shown to the author. */

const DEFAULT_REASONS = [
  'Off topic',
  'Abusive or insulting',
  'Spam or advertising',
  'Personal information',
  'Misinformation',
  'Duplicate',
];

describe('rejection reasons', () => {
  let t: TestApp;
  let admin: string;
  let mod: string;
  const putReasons = (rejectionReasons: unknown) =>
    call(t, 'put', '/api/moderation/settings', admin, { rejectionReasons });
  const storedReasons = async () =>
    expectStatus(await call(t, 'get', '/api/moderation/settings', mod), 200).rejectionReasons;
  const reject = (id: string, body: Record<string, unknown>) =>
    call(t, 'post', `/api/moderation/comments/${id}/reject`, mod, body);

  async function freshComment() {
    const article = await createArticle(t, mod);
    const author = t.token(uid('author'), 'commenter');
    const comment = await postComment(t, author, article.id, 'a comment to decide on');
    return { article, author, comment };
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.token('admin-reasons', 'admin');
    mod = t.token('mod-reasons', 'moderator');
  });
  afterEach(async () => {
    expectStatus(await putReasons(DEFAULT_REASONS), 200);
  });
  afterAll(() => t.close());

  describe('settings', () => {
    it('a new installation has a default list; an admin changes it, and the change is logged', async () => {
      expect(await storedReasons()).toEqual(DEFAULT_REASONS);
      const list = ['Hors sujet', 'Insultes', 'Publicité'];
      expect(expectStatus(await putReasons(list), 200).rejectionReasons).toEqual(list);
      expect(await storedReasons()).toEqual(list);
      const [entry] = expectStatus(
        await call(t, 'get', '/api/moderation/log?actorId=admin-reasons&limit=1', mod),
        200,
      ).items;
      expect(entry).toMatchObject({ action: 'update_settings', reason: 'changed rejectionReasons' });
    });

    it('an empty list is allowed: moderators then give free text only', async () => {
      expect(expectStatus(await putReasons([]), 200).rejectionReasons).toEqual([]);
    });

    it('a moderator may not change it', async () => {
      expectProblem(
        await call(t, 'put', '/api/moderation/settings', mod, { rejectionReasons: ['x'] }),
        403,
        'FORBIDDEN',
      );
    });

    it.each([
      ['null', null, /rejectionReasons/],
      ['text instead of a list', 'Spam', /rejectionReasons must be an array/],
      ['an empty label', ['Spam', ''], /each value in rejectionReasons must be longer than or equal to 1/],
      ['a label that is not text', ['Spam', 3], /each value in rejectionReasons must be a string/],
      ['a label twice', ['Spam', 'Spam'], /must not hold a label twice/],
      ['a label with surrounding spaces', [' Spam'], /must not begin or end with a space/],
      ['a label over 60 characters', ['x'.repeat(61)], /shorter than or equal to 60/],
      ['more than 30 labels', Array.from({ length: 31 }, (_, i) => `Reason ${i}`), /no more than 30/],
      ['a NUL character', ['Sp\u0000am'], /without NUL characters/],
    ])('refuses %s with 400 problem+json and keeps the list', async (_, list, message) => {
      const problem = expectProblem(await putReasons(list), 400, 'VALIDATION_FAILED');
      const field = problem.errors.find((e: { field: string }) => e.field === 'rejectionReasons');
      expect(field?.messages.join(' ')).toMatch(message);
      expect(await storedReasons()).toEqual(DEFAULT_REASONS);
    });

    it('the database refuses a list the route would refuse', async () => {
      for (const bad of [`'{Spam,Spam}'`, `'{""}'`, `'{" Spam"}'`, `array_fill('x'::text, ARRAY[31])`]) {
        await expect(t.db.query(`UPDATE moderation_settings SET rejection_reasons = ${bad}`)).rejects.toThrow(
          /CHK_moderation_settings_rejection_reasons/,
        );
      }
    });
  });

  describe('deciding', () => {
    it('a rejection with a label keeps it on the comment, logs it with the note, and shows it to the author only', async () => {
      const { article, author, comment } = await freshComment();
      const view = expectStatus(
        await reject(comment.id, { reasonLabel: 'Off topic', reason: 'about the weather, not the budget' }),
        200,
      );
      expect(view).toMatchObject({ status: 'rejected', rejectionReason: 'Off topic' });

      const [entry] = await logEntries(t, mod, { commentId: comment.id });
      expect(entry).toMatchObject({ action: 'reject', reason: 'Off topic: about the weather, not the budget' });

      const asAuthor = expectStatus(await call(t, 'get', `/api/comments/${comment.id}`, author), 200);
      expect(asAuthor).toMatchObject({ status: 'rejected', rejectionReason: 'Off topic' });
      // (The embed reads its reader's own comment again when it leaves the thread.)

      const other = t.token(uid('reader'), 'commenter');
      expectProblem(await call(t, 'get', `/api/comments/${comment.id}`, other), 404, 'NOT_FOUND');
      const othersThread = expectStatus(await call(t, 'get', `/api/articles/${article.id}/comments`, other), 200);
      expect(othersThread.items.map((c: { id: string }) => c.id)).not.toContain(comment.id);
    });

    it('a label alone is the log entry reason, before the reports it resolved', async () => {
      const { comment } = await freshComment();
      expectStatus(await report(t, t.token(uid('reporter'), 'commenter'), comment.id, 'spam'), 201);
      expectStatus(await reject(comment.id, { reasonLabel: 'Spam or advertising' }), 200);
      const [entry] = await logEntries(t, mod, { commentId: comment.id });
      expect(entry.reason).toBe('Spam or advertising; resolved 1 report(s)');
    });

    it('without a label, a rejection shows no rejectionReason; restoring or approving clears one', async () => {
      const plain = await freshComment();
      expect(expectStatus(await reject(plain.comment.id, { reason: 'note' }), 200).rejectionReason).toBeNull();

      const { comment, author } = await freshComment();
      expectStatus(await reject(comment.id, { reasonLabel: 'Duplicate' }), 200);
      const restored = expectStatus(
        await call(t, 'post', `/api/moderation/comments/${comment.id}/restore`, mod, {
          status: 'published',
          expectedStatus: 'rejected',
        }),
        200,
      );
      expect(restored.rejectionReason).toBeNull();
      expectStatus(await reject(comment.id, { reasonLabel: 'Misinformation' }), 200);
      expectStatus(await call(t, 'post', `/api/moderation/comments/${comment.id}/approve`, mod, {}), 200);
      const asAuthor = expectStatus(await call(t, 'get', `/api/comments/${comment.id}`, author), 200);
      expect(asAuthor).toMatchObject({ status: 'approved', rejectionReason: null });
      const { rows } = await t.db.query(`SELECT rejection_reason FROM comments WHERE id = $1`, [comment.id]);
      expect(rows[0].rejection_reason).toBeNull();
    });

    it('rejecting again with another label changes the label', async () => {
      const { comment } = await freshComment();
      expectStatus(await reject(comment.id, { reasonLabel: 'Duplicate' }), 200);
      expect(expectStatus(await reject(comment.id, { reasonLabel: 'Off topic' }), 200).rejectionReason).toBe(
        'Off topic',
      );
    });

    it('refuses a label not in the list, a label on an approval, or a malformed one, with 400 and no change', async () => {
      const { comment } = await freshComment();
      const notListed = expectProblem(await reject(comment.id, { reasonLabel: 'Boring' }), 400, 'VALIDATION_FAILED');
      expect(notListed.errors).toEqual([
        { field: 'reasonLabel', messages: [expect.stringContaining('must be one of the rejection reasons')] },
      ]);
      const onApproval = expectProblem(
        await call(t, 'post', `/api/moderation/comments/${comment.id}/approve`, mod, { reasonLabel: 'Off topic' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(onApproval.errors[0]).toMatchObject({ field: 'reasonLabel' });
      expectProblem(await reject(comment.id, { reasonLabel: '' }), 400, 'VALIDATION_FAILED');
      expectProblem(await reject(comment.id, { reasonLabel: 5 }), 400, 'VALIDATION_FAILED');
      expect(await logEntries(t, mod, { commentId: comment.id })).toEqual([]);
    });

    it('a label taken out of the list may no longer be picked', async () => {
      const { comment } = await freshComment();
      expectStatus(await putReasons(['Spam or advertising']), 200);
      expectProblem(await reject(comment.id, { reasonLabel: 'Off topic' }), 400, 'VALIDATION_FAILED');
      expectStatus(await reject(comment.id, { reasonLabel: 'Spam or advertising' }), 200);
    });

    it('bulk rejection gives every comment the label; a bad label refuses the whole request', async () => {
      const a = await freshComment();
      const b = await freshComment();
      const ids = [a.comment.id, b.comment.id];
      const bulk = (reasonLabel: string) =>
        call(t, 'post', '/api/moderation/bulk', mod, { action: 'reject', commentIds: ids, reasonLabel });
      expectProblem(await bulk('Boring'), 400, 'VALIDATION_FAILED');
      expect(await logEntries(t, mod, { commentId: a.comment.id })).toEqual([]);
      expect(expectStatus(await bulk('Spam or advertising'), 200).results).toEqual([
        { id: a.comment.id, ok: true },
        { id: b.comment.id, ok: true },
      ]);
      const asAuthor = expectStatus(await call(t, 'get', `/api/comments/${b.comment.id}`, b.author), 200);
      expect(asAuthor.rejectionReason).toBe('Spam or advertising');
    });
  });
});
