import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { AuthUser } from '../src/auth/access.decorator';
import { countDeltas } from '../src/comments/comment-counters';
import {
  COMMENT_STATUSES,
  CommentStatus,
  Decision,
  DECISIONS,
  isListed,
  isListedStatus,
  transitionAllowed,
} from '../src/comments/comment-state';
import { COMMENT_COLUMNS, CommentRow, toCommentView } from '../src/comments/comment.view';
import { ModerationLogEntry } from '../src/journal/moderation-log-entry.entity';
import { LogEntryView } from '../src/journal/log-entry.view';
import { createTestDatabase } from './support/test-app';

/**
 * A comment's state has one owner on each side: src/comments/comment-state.ts in TypeScript, and
 * the functions of migrations/functions/ in SQL. These prove the two agree for every status and
 * transition, and that the JSON the database builds is the JSON the service sends.
 */
describe('comment state and views: TypeScript and SQL agree', () => {
  let db: Client;
  const statuses = [...COMMENT_STATUSES];

  beforeAll(async () => {
    db = new Client({ connectionString: await createTestDatabase() });
    await db.connect();
  });
  afterAll(() => db?.end());

  const one = async <T>(text: string, params: unknown[]): Promise<T> => (await db.query(text, params)).rows[0].v;

  it('lists the same statuses', async () => {
    for (const status of statuses)
      expect([status, await one(`SELECT comment_status_listed($1) AS v`, [status])]).toEqual([
        status,
        isListedStatus(status),
      ]);
  });

  it('lists the same comments, tombstones included', async () => {
    for (const status of statuses)
      for (const deleted of [false, true])
        for (const replies of [0, 1])
          expect([
            status,
            deleted,
            replies,
            await one(`SELECT comment_listed($1, $2, $3) AS v`, [status, deleted, replies]),
          ]).toEqual([status, deleted, replies, isListed(status, deleted, replies)]);
  });

  it('allows the same decisions between the same statuses', async () => {
    for (const decision of Object.keys(DECISIONS) as Decision[])
      for (const from of statuses)
        for (const to of statuses)
          expect([
            decision,
            from,
            to,
            await one(`SELECT comment_transition_allowed($1, $2, $3) AS v`, [decision, from, to]),
          ]).toEqual([decision, from, to, transitionAllowed(decision, from, to)]);
  });

  it('moves the same counts', async () => {
    const states: (CommentStatus | null)[] = [null, ...statuses];
    for (const from of states)
      for (const to of states) {
        const { rows } = await db.query(`SELECT * FROM comment_count_deltas($1, $2)`, [from, to]);
        const ts = countDeltas(
          from && { status: from, deleted: false, reported: false },
          to && { status: to, deleted: false, reported: false },
        );
        delete (ts as Partial<typeof ts>).reported; // reports are counted apart, by their own rule
        expect([from, to, rows[0]]).toEqual([from, to, ts]);
      }
  });

  describe('views', () => {
    let articleId: string;
    beforeAll(async () => {
      const {
        rows: [a],
      } = await db.query(
        `INSERT INTO articles (url, title, moderation_mode, disclaimer_text) VALUES ('https://x.test/a', 'A', 'post', '') RETURNING id`,
      );
      articleId = a.id;
      await db.query(`INSERT INTO users (id, name) VALUES ('author', 'An "author" ✓'), ('nameless', NULL)`);
      const {
        rows: [parent],
      } = await db.query(
        `INSERT INTO comments (article_id, author_id, body, status) VALUES ($1, 'author', 'parent', 'published') RETURNING id`,
        [articleId],
      );
      for (const status of statuses)
        for (const deleted of [false, true])
          for (const author of ['author', 'nameless'])
            await db.query(
              `INSERT INTO comments (article_id, parent_id, author_id, body, status, moderation_reasons, reply_count,
                                     created_at, edited_at, deleted_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, now() - interval '1 day', $8, $9)`,
              [
                articleId,
                status === 'approved' ? parent.id : null,
                author,
                `${status} ${deleted} "quoted" \\ ☃\n`,
                status,
                status === 'pending' ? ['link', 'word "x"'] : [],
                deleted ? 2 : 0,
                deleted ? null : new Date('2026-01-02T03:04:05.678Z'),
                deleted ? new Date('2026-02-03T04:05:06.007Z') : null,
              ],
            );
    });

    const viewers: [string, AuthUser | null][] = [
      ['anyone', null],
      ['its author', { id: 'author', name: null, role: 'commenter', siteId: 1 }],
      ['another reader', { id: 'someone', name: null, role: 'commenter', siteId: 1 }],
      ['a moderator', { id: 'mod', name: null, role: 'moderator', siteId: 1 }],
    ];

    it.each(viewers)('shows %s the same comment from SQL as from the service', async (_, viewer) => {
      const { rows } = await db.query<CommentRow & { sql: object }>(
        `SELECT ${COMMENT_COLUMNS}, comment_view(c, u.name, $2, $3) AS sql
         FROM comments c JOIN users u ON u.id = c.author_id WHERE c.article_id = $1 ORDER BY c.created_at, c.id`,
        [articleId, viewer?.id ?? null, viewer?.role === 'moderator'],
      );
      expect(rows.length).toBe(1 + statuses.length * 4);
      for (const row of rows)
        expect(row.sql).toEqual(
          JSON.parse(
            JSON.stringify(toCommentView(row, { id: viewer?.id ?? null, moderator: viewer?.role === 'moderator' })),
          ),
        );
    });

    it('builds every field the API documents for a comment, and no other', async () => {
      const document = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'openapi.json'), 'utf8'));
      const documented = Object.keys(document.components.schemas.CommentView.properties).filter((k) => k !== 'replies');
      const { rows } = await db.query(`SELECT comment_view(c, NULL) AS v FROM comments c LIMIT 1`);
      expect(Object.keys(rows[0].v).sort()).toEqual(documented.sort());
    });

    it("builds the moderators' event as the log's view of the entry, less the actor's name", async () => {
      await db.query(`BEGIN`);
      await db.query(
        `SELECT log_moderation('approve', 'mod', 'Mod', 'comment', 'x', $1, 'pending', 'approved', 'why')`,
        [articleId],
      );
      await db.query(`SELECT log_moderation('hold', NULL, NULL, 'comment', 'y', $1, NULL, 'pending', NULL)`, [
        articleId,
      ]);
      const { rows: events } = await db.query(
        `SELECT type, payload FROM moderation_events WHERE xact = pg_current_xact_id()::text::bigint ORDER BY seq`,
      );
      const { rows: entries } = await db.query(
        `SELECT id, action, actor_id AS "actorId", target_type AS "targetType", target_id AS "targetId",
                article_id AS "articleId", from_status AS "fromStatus", to_status AS "toStatus", reason,
                created_at AS "createdAt", site_id AS "siteId"
         FROM moderation_log WHERE target_id IN ('x', 'y') ORDER BY seq`,
      );
      await db.query(`COMMIT`);
      expect(events.map((e) => e.type)).toEqual(['decision', 'comment.held']);
      entries.forEach((entry: ModerationLogEntry, i) => {
        const view = JSON.parse(JSON.stringify(LogEntryView.of(entry, new Map())));
        if (view.actor) delete view.actor.name;
        expect(events[i].payload).toEqual(view);
      });
    });
  });
});
