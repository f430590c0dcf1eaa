import { Api, CommentJson, expectProblem, expectStatus } from './support/comments-helpers';
import { databaseDump } from './support/database-dump';
import { expectCountsRecounted } from './support/imports';
import { createTestApp, TestApp } from './support/test-app';

describe('personal data (e2e)', () => {
  let t: TestApp;
  let api: Api;
  let mod: string;
  let admin: string;

  beforeAll(async () => {
    // Emails kept, not sent, and never relayed: a reader's notification choices can be stored.
    t = await createTestApp({ MAIL_CATCHER: 'on', DELIVERIES: 'off' });
    api = new Api(t);
    mod = t.token('pd-mod', 'moderator');
    admin = t.token('pd-admin', 'admin');
  });
  afterAll(() => t.close());

  const reader = (id: string, name: string) => t.token(id, 'commenter', { name });

  describe('GET /api/me/data', () => {
    it('gives a reader every comment in every status with its revisions, their reports and their profile', async () => {
      const me = reader('pd-reader-1', 'Petra Data');
      const other = reader('pd-other-1', 'Otto Other');
      const article = await api.createArticle(mod);
      const first = await api.comment(me, article.id, 'My first comment');
      expectStatus(await api.edit(me, first.id, 'My first comment, edited'), 200);
      const second = await api.comment(me, article.id, 'My second comment');
      expectStatus(await api.remove(me, second.id), 204);
      const rejected = await api.comment(me, article.id, 'To be rejected');
      expectStatus(await api.reject(mod, rejected.id), 200);
      const theirs = await api.comment(other, article.id, 'Not mine');
      expectStatus(
        await t
          .http()
          .post(`/api/comments/${theirs.id}/reports`)
          .set('Authorization', `Bearer ${me}`)
          .send({ reason: 'other', note: 'A note of mine' }),
        201,
      );

      const data = expectStatus(await t.http().get('/api/me/data').set('Authorization', `Bearer ${me}`), 200);
      expect(data.profile).toMatchObject({ id: 'pd-reader-1', name: 'Petra Data', premod: false });
      expect(data.comments.map((c: any) => [c.body, c.status, c.deletedAt !== null])).toEqual([
        ['My first comment, edited', 'published', false],
        ['My second comment', 'published', true],
        ['To be rejected', 'rejected', false],
      ]);
      expect(data.comments[0].revisions).toEqual([{ body: 'My first comment', replacedAt: expect.any(String) }]);
      expect(data.comments[0].article).toMatchObject({ id: article.id, url: expect.stringMatching(/^https:/) });
      expect(data.reports).toEqual([
        expect.objectContaining({ commentId: theirs.id, reason: 'other', note: 'A note of mine', resolvedAt: null }),
      ]);
      expect(JSON.stringify(data)).not.toContain('Not mine');
    });

    it('answers a reader never seen with an empty record, and anonymous callers with 401', async () => {
      const data = expectStatus(
        await t
          .http()
          .get('/api/me/data')
          .set('Authorization', `Bearer ${reader('pd-never', 'Never')}`),
        200,
      );
      expect(data).toMatchObject({ profile: null, comments: [], reports: [] });
      expectProblem(await t.http().get('/api/me/data'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('erasure', () => {
    /** A reader with comments in every situation erasure must handle; returns what to look for after. */
    async function busyReader(id: string, name: string) {
      const me = t.token(id, 'commenter', { name, email: `${id}@claimed.example`, email_verified: true });
      const other = reader(`${id}-friend`, 'A friend');
      const article = await api.createArticle(mod);
      const texts = [1, 2, 3, 4, 5, 6].map((i) => `${name}'s private text number ${i}`);
      const withReply = await api.comment(me, article.id, texts[0]);
      const reply = await api.comment(other, article.id, 'A reply that stays', withReply.id);
      const alone = await api.comment(me, article.id, texts[1]);
      const onOthers = await api.comment(me, article.id, texts[2], reply.id);
      const ownChain = await api.comment(me, article.id, texts[3]);
      await api.comment(me, article.id, texts[4], ownChain.id);
      const edited = await api.comment(me, article.id, 'before the edit');
      expectStatus(await api.edit(me, edited.id, texts[5]), 200);
      // A post with an Idempotency-Key keeps its answer (with the name) for retries.
      expectStatus(await api.post(me, article.id, { body: `${name} idempotent` }, `${id}-key`), 201);
      texts.push(`${name} idempotent`, 'before the edit');
      expectStatus(
        await t
          .http()
          .post(`/api/comments/${reply.id}/reports`)
          .set('Authorization', `Bearer ${me}`)
          .send({ reason: 'other', note: `${name} reported this` }),
        201,
      );
      texts.push(`${name} reported this`);
      // Email notifications: the address the site vouched for, choices, and another address awaiting its link.
      const choices = { replies: true, approved: true, rejected: false, frequency: 'daily' };
      expectStatus(await t.http().put('/api/me/notifications').set('Authorization', `Bearer ${me}`).send(choices), 200);
      const given = { address: `${id}@given.example` };
      expectStatus(
        await t.http().post('/api/me/notifications/address').set('Authorization', `Bearer ${me}`).send(given),
        200,
      );
      await t.db.query(
        `INSERT INTO notification_digest_items (user_id, site_id, kind, item, due_at) VALUES ($1, 1, 'reply', $2, now())`,
        [id, JSON.stringify({ excerpt: `${name} digest item` })],
      );
      texts.push(`${id}@claimed.example`, `${id}@given.example`, `${name} digest item`);
      return { me, article, withReply, reply, alone, onOthers, texts };
    }

    async function expectErased(userId: string, name: string, texts: string[]) {
      const dump = await databaseDump(t);
      expect(dump).toContain(userId); // the ids stay: the log and tombstones refer to them
      expect(dump).not.toContain(name);
      for (const text of texts) expect(dump).not.toContain(text);
      await expectCountsRecounted(t);
      const user = expectStatus(
        await t.http().get(`/api/moderation/users/${userId}`).set('Authorization', `Bearer ${mod}`),
        200,
      );
      expect(user.name).toBeNull();
      expect(JSON.stringify(user)).not.toContain(name);
      const log = expectStatus(await api.log(mod, { limit: 100 }), 200);
      expect(JSON.stringify(log)).not.toContain(name);
      return log.items;
    }

    it('by an admin: removes names and texts, keeps tombstones of commented comments, counts right, logged', async () => {
      const name = 'Zelda Erasable';
      const r = await busyReader('pd-zelda', name);
      const res = await t
        .http()
        .post('/api/moderation/users/pd-zelda/erase')
        .set('Authorization', `Bearer ${admin}`)
        .send({});
      expect(expectStatus(res, 200)).toEqual({
        userId: 'pd-zelda',
        commentsRemoved: 6,
        commentsKeptAsTombstones: 1,
        articles: 1,
      });

      const thread = expectStatus(await api.thread(r.article.id, { sort: 'oldest' }), 200);
      expect(thread.items.map((c: CommentJson) => [c.id, c.deleted, c.body])).toEqual([[r.withReply.id, true, null]]);
      expect(thread.items[0].replies.map((c: CommentJson) => c.body)).toEqual(['A reply that stays']);
      expectProblem(await api.getComment(r.alone.id, mod), 404, 'NOT_FOUND');
      expectProblem(await api.getComment(r.onOthers.id, mod), 404, 'NOT_FOUND');
      const reply = expectStatus(await api.replies(r.reply.id), 200);
      expect(reply.items).toEqual([]);

      const items = await expectErased('pd-zelda', name, r.texts);
      expect(items[0]).toMatchObject({
        action: 'erase',
        targetType: 'user',
        targetId: 'pd-zelda',
        actor: { id: 'pd-admin' },
        reason: '6 comments removed, 1 kept as tombstones',
      });
      // The reader's own entries stay, naming them by id only.
      expect(items.find((e: any) => e.action === 'edit' && e.actor.id === 'pd-zelda').actor.name).toBeNull();
      const data = expectStatus(await t.http().get('/api/me/data').set('Authorization', `Bearer ${r.me}`), 200);
      expect(data.profile.name).toBeNull();
      expect(data.comments).toEqual([expect.objectContaining({ id: r.withReply.id, body: '', revisions: [] })]);
    });

    it('by the reader: DELETE /api/me, and only for themselves', async () => {
      const name = 'Yannick Forgetme';
      const r = await busyReader('pd-yannick', name);
      const res = await t.http().delete('/api/me').set('Authorization', `Bearer ${r.me}`);
      expect(res.status).toBe(204);
      const items = await expectErased('pd-yannick', name, r.texts);
      expect(items[0]).toMatchObject({
        action: 'erase',
        targetId: 'pd-yannick',
        actor: { id: 'pd-yannick', name: null },
      });
      expectProblem(
        await t.http().post('/api/moderation/users/pd-zelda/erase').set('Authorization', `Bearer ${mod}`).send({}),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await t.http().post('/api/moderation/users/nobody-here/erase').set('Authorization', `Bearer ${admin}`).send({}),
        404,
        'NOT_FOUND',
      );
    });

    it('removes comment rows through an index on parent_id, not a scan per row', async () => {
      await t.db.query('BEGIN');
      try {
        await t.db.query('SET LOCAL enable_seqscan = off');
        // The query PostgreSQL's foreign key runs for each deleted comment.
        const { rows } = await t.db.query(
          `EXPLAIN SELECT 1 FROM ONLY comments x WHERE $1::uuid OPERATOR(pg_catalog.=) parent_id FOR KEY SHARE OF x`,
          ['00000000-0000-4000-8000-000000000000'],
        );
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toContain('IDX_comments_parent');
      } finally {
        await t.db.query('ROLLBACK');
      }
    });
  });
});
