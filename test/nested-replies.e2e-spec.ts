import {
  Api,
  CommentJson,
  expectProblem,
  expectStatus,
  spreadInTime,
  storedAndRecountedReplyCounts,
  unique,
} from './support/comments-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Replies to replies, as the readers' embed nests them: posting at any depth, each comment's count
 * of its direct replies, their pages at every level, and the replyDepth setting that says how deep
 * the embed indents them.
 */
describe('replies to replies (e2e)', () => {
  let t: TestApp;
  let api: Api;
  let mod: string;
  let admin: string;

  const reader = () => t.token(unique('reader'));
  const idsOf = (items: CommentJson[]) => items.map((c) => c.id);
  const fetched = async (id: string) => expectStatus(await api.getComment(id), 200) as CommentJson;

  beforeAll(async () => {
    t = await createTestApp();
    api = new Api(t);
    mod = t.token('moderator-nest', 'moderator');
    admin = t.token('admin-nest', 'admin');
  });
  afterAll(() => t.close());

  describe('posting and reading', () => {
    it('takes a reply to a reply at any depth, each counted on its own parent only', async () => {
      const article = await api.createArticle(mod);
      const chain: CommentJson[] = [await api.comment(reader(), article.id, 'top')];
      for (let depth = 1; depth <= 5; depth++)
        chain.push(await api.comment(reader(), article.id, `depth ${depth}`, chain[depth - 1].id));
      expect(chain.slice(1).map((c) => c.parentId)).toEqual(idsOf(chain.slice(0, -1)));
      // replyCount counts direct replies: one each, none on the last.
      expect((await Promise.all(chain.map((c) => fetched(c.id)))).map((c) => c.replyCount)).toEqual([1, 1, 1, 1, 1, 0]);
      // The article counts every reply; the thread page previews direct replies only.
      expect(expectStatus(await api.getArticle(article.id), 200).counts.visible).toBe(6);
      const page = expectStatus(await api.thread(article.id), 200);
      expect(idsOf(page.items)).toEqual([chain[0].id]);
      expect(idsOf(page.items[0].replies)).toEqual([chain[1].id]);
      expect(page.items[0].replies[0].replyCount).toBe(1);
      expect(page.items[0].replies[0].replies).toBeUndefined();
      // Each level's own page holds its direct replies.
      for (let depth = 0; depth < 5; depth++)
        expect(idsOf(expectStatus(await api.replies(chain[depth].id), 200).items)).toEqual([chain[depth + 1].id]);
      const counts = await storedAndRecountedReplyCounts(t, [article.id]);
      expect(counts.stored).toEqual(counts.recounted);
    });

    it("pages through a reply's replies with cursors, oldest first, each once", async () => {
      const article = await api.createArticle(mod);
      const top = await api.comment(reader(), article.id, 'top');
      const reply = await api.comment(reader(), article.id, 'reply', top.id);
      const nested: CommentJson[] = [];
      for (let i = 0; i < 7; i++) nested.push(await api.comment(reader(), article.id, `nested ${i}`, reply.id));
      const deeper = await api.comment(reader(), article.id, 'deeper', nested[2].id);
      await spreadInTime(t, [top.id, reply.id, ...idsOf(nested), deeper.id]);
      expect((await fetched(reply.id)).replyCount).toBe(7);
      const walk = await api.walkReplies(reply.id, 3);
      expect(walk.ids).toEqual(idsOf(nested));
      expect(walk.pages).toBe(3);
      expect(walk.items[2].replyCount).toBe(1);
      expect(idsOf((await api.walkReplies(nested[2].id, 3)).items)).toEqual([deeper.id]);
      // The top-level comment still counts and previews its one direct reply.
      const page = expectStatus(await api.thread(article.id), 200);
      expect(page.items[0]).toMatchObject({ replyCount: 1 });
      expect(idsOf(page.items[0].replies)).toEqual([reply.id]);
    });

    it('keeps a deleted reply with replies as a tombstone, and lets it go with its last reply', async () => {
      const article = await api.createArticle(mod);
      const top = await api.comment(reader(), article.id, 'top');
      const middleAuthor = reader();
      const middle = await api.comment(middleAuthor, article.id, 'middle', top.id);
      const leafAuthor = reader();
      const leaf = await api.comment(leafAuthor, article.id, 'leaf', middle.id);
      expectStatus(await api.remove(middleAuthor, middle.id), 204);
      const stone = expectStatus(await api.replies(top.id), 200).items;
      expect(stone).toEqual([expect.objectContaining({ id: middle.id, deleted: true, body: null, replyCount: 1 })]);
      expect((await fetched(top.id)).replyCount).toBe(1);
      expectStatus(await api.remove(leafAuthor, leaf.id), 204);
      expect(expectStatus(await api.replies(top.id), 200).items).toEqual([]);
      expect((await fetched(top.id)).replyCount).toBe(0);
      const counts = await storedAndRecountedReplyCounts(t, [article.id]);
      expect(counts.stored).toEqual(counts.recounted);
    });

    it('refuses a reply to a held reply as it does at the top', async () => {
      const article = await api.createArticle(mod);
      const top = await api.comment(reader(), article.id, 'top');
      const reply = await api.comment(reader(), article.id, 'reply', top.id);
      expectStatus(await api.reject(mod, reply.id), 200, 201);
      expectProblem(await api.post(reader(), article.id, { body: 'r', parentId: reply.id }), 409, 'CONFLICT');
    });
  });

  describe('the replyDepth setting', () => {
    const settings = async () =>
      expectStatus(await t.http().get('/api/moderation/settings').set('Authorization', `Bearer ${mod}`), 200);

    it('is 3 by default, and each thread page tells the embed, as soon as it changes', async () => {
      const article = await api.createArticle(mod);
      expect((await settings()).replyDepth).toBe(3);
      expect(expectStatus(await api.thread(article.id), 200).article.replyDepth).toBe(3);
      await api.withSettings(admin, { replyDepth: 5 }, { replyDepth: 3 }, async () => {
        expect((await settings()).replyDepth).toBe(5);
        expect(expectStatus(await api.thread(article.id), 200).article.replyDepth).toBe(5);
      });
      expect(expectStatus(await api.thread(article.id), 200).article.replyDepth).toBe(3);
    });

    it.each([1, 10])('takes %p, a bound', async (depth) => {
      await api.withSettings(admin, { replyDepth: depth }, { replyDepth: 3 }, async () => {
        expect((await settings()).replyDepth).toBe(depth);
      });
    });

    it.each([
      ['0', 0],
      ['11', 11],
      ['a fraction', 2.5],
      ['text', '3'],
      ['null', null],
      ['negative', -1],
    ])('refuses %s with problem+json 400 naming the field, and keeps what it had', async (_, value) => {
      const problem = expectProblem(await api.putSettings(admin, { replyDepth: value }), 400, 'VALIDATION_FAILED');
      expect(problem.errors.map((e: { field: string }) => e.field)).toContain('replyDepth');
      expect((await settings()).replyDepth).toBe(3);
    });

    it('is bounded by the database too', async () => {
      for (const depth of [0, 11])
        await expect(t.db.query(`UPDATE moderation_settings SET reply_depth = $1`, [depth])).rejects.toThrow(
          /CHK_moderation_settings_reply_depth/,
        );
    });
  });
});
