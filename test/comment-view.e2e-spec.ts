import { call, createArticle, decide, expectStatus, postComment, uid } from './support/moderation-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The readers' comment is defined once (src/comments/comment-view.fields.ts): whatever the service
 * sends or stores of a comment has exactly the fields of the database's comment_view() made from
 * it. A field added there shows up in every one of these at once, and none of them can build a
 * comment of its own and miss it.
 */
describe("the readers' comment, wherever it goes", () => {
  let t: TestApp;
  let fields: string[];
  let mod: string;

  beforeAll(async () => {
    t = await createTestApp();
    mod = t.token('view-moderator', 'moderator');
    const { rows } = await t.db.query(`SELECT comment_view(c, NULL) AS v FROM (SELECT (NULL::comments).*) c`);
    fields = Object.keys(rows[0].v).sort();
  });
  afterAll(() => t.close());

  const keysOf = (view: object) =>
    Object.keys(view)
      .filter((k) => k !== 'replies')
      .sort();

  it('is the same in answers, thread and reply pages, queues and live events', async () => {
    const article = await createArticle(t, mod, { moderationMode: 'pre' });
    const author = t.token(uid('author'));
    const held = await postComment(t, author, article.id, 'held first'); // post_comments(), held
    const approved = expectStatus(await decide(t, mod, held.id, 'approve'), 200); // decide_comment()
    const reply = await postComment(t, mod, article.id, 'a reply', held.id); // post_comments(), listed
    const editedReply = expectStatus(
      await call(t, 'patch', `/api/comments/${reply.id}`, mod, { body: 'a reply, edited' }),
      200,
    ); // the service's edit, still listed
    const thread = expectStatus(await call(t, 'get', `/api/articles/${article.id}/comments`), 200);
    const replies = expectStatus(await call(t, 'get', `/api/comments/${held.id}/replies`), 200);
    const one = expectStatus(await call(t, 'get', `/api/comments/${reply.id}`), 200);
    const edited = expectStatus(
      await call(t, 'patch', `/api/comments/${held.id}`, author, { body: 'held first, edited' }),
      200,
    ); // held again
    const queue = expectStatus(await call(t, 'get', `/api/moderation/queue/pending?articleId=${article.id}`, mod), 200);
    const { rows: events } = await t.db.query(
      `SELECT type, payload FROM thread_events WHERE article_id = $1 AND type LIKE 'comment.%' AND type <> 'comment.hidden'
       ORDER BY version`,
      [article.id],
    );
    // decide_comment's, post_comments' and the service's own events
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['comment.published', 'comment.created', 'comment.edited']),
    );
    const views = {
      held,
      approved,
      reply,
      editedReply,
      edited,
      ...Object.fromEntries(thread.items.map((c: object, i: number) => [`thread ${i}`, c])),
      ...Object.fromEntries(
        thread.items
          .flatMap((c: { replies: object[] }) => c.replies)
          .map((c: object, i: number) => [`preview ${i}`, c]),
      ),
      ...Object.fromEntries(replies.items.map((c: object, i: number) => [`replies ${i}`, c])),
      one,
      ...Object.fromEntries(queue.items.map((c: object, i: number) => [`queue ${i}`, c])),
      ...Object.fromEntries(events.map((e, i) => [`${e.type} event ${i}`, e.payload])),
    };
    for (const [where, view] of Object.entries(views)) {
      const extra = where.startsWith('queue') ? ['article', 'openReportCount', 'reports'] : [];
      expect([where, keysOf(view)]).toEqual([where, [...fields, ...extra].sort()]);
    }
  });
});
