// The baseline: node:http + pg, no framework, answering the benchmarked routes of the API with the
// same semantics as the service (same JSON, same statuses, same locks, counters and log entries),
// with named (prepared) statements and the JSON built in PostgreSQL.
//
//   DATABASE_URL=postgres://... JWT_SECRET=... PORT=3001 node bench/baseline-server.mjs
//
// Routes: GET /api/health, GET /api/articles/:id/comments (sort, limit, cursor),
// GET /api/comments/:id/replies (limit, cursor), POST /api/articles/:id/comments ({ body, parentId? }),
// GET /api/moderation/queue/:queue (pending|unmoderated|approved|rejected; articleId, limit, cursor),
// POST /api/moderation/comments/:id/approve|reject ({ reason?, expectedStatus? }).
import http from 'node:http';
import jwt from 'jsonwebtoken';
import LinkifyIt from 'linkify-it';
import pg from 'pg';
import { requireDist } from './lib/common.mjs';

const { WordMatcher } = requireDist('src/rules/word-matcher.js');

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 20) });
const SECRET = process.env.JWT_SECRET;
const PORT = Number(process.env.PORT ?? 3001);
const REPLY_PREVIEW_COUNT = 3;
const REPEAT_WINDOW_SECONDS = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const linkify = new LinkifyIt();

class HttpError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}
const notFound = (what) => new HttpError(404, 'NOT_FOUND', `${what} was not found`);
const invalid = (detail) => new HttpError(400, 'VALIDATION_FAILED', detail);

// ---------------------------------------------------------------------------------------------
// SQL. Times as the service's JSON has them (Date#toISOString); comment views as toCommentView.

const ts = (x) => `to_char(${x} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const LISTED = (c) => `${c}.status IN ('published', 'approved') AND (${c}.deleted_at IS NULL OR ${c}.reply_count > 0)`;

/**
 * A comment as toCommentView(row, viewer) renders it. `viewer`: 'public' (anonymous), 'privileged'
 * (a moderator, or the author of every comment shown), or a SQL expression holding a signed-in
 * reader's id (who sees the reasons on their own comments only).
 */
function commentJson(c, u, viewer, extra = '') {
  const hide = viewer === 'privileged' ? 'false' : `${c}.deleted_at IS NOT NULL`;
  const reasons =
    viewer === 'public'
      ? `'[]'::json`
      : viewer === 'privileged'
        ? `to_json(${c}.moderation_reasons)`
        : `CASE WHEN ${c}.author_id = ${viewer} THEN to_json(${c}.moderation_reasons) ELSE '[]'::json END`;
  return `json_build_object('id', ${c}.id, 'articleId', ${c}.article_id, 'parentId', ${c}.parent_id,
    'author', CASE WHEN ${hide} THEN NULL ELSE json_build_object('id', ${c}.author_id, 'name', ${u}) END,
    'body', CASE WHEN ${hide} THEN NULL ELSE ${c}.body END,
    'status', ${c}.status,
    'moderationReasons', ${reasons},
    'replyCount', ${c}.reply_count, 'createdAt', ${ts(`${c}.created_at`)}, 'editedAt', ${ts(`${c}.edited_at`)},
    'deleted', ${c}.deleted_at IS NOT NULL${extra})`;
}

/** A signed-in reader also sees their own held comments (CommentsService.ownHeldClause). */
const OWN = (c, reader) => `${c}.author_id = ${reader} AND ${c}.status = 'pending' AND ${c}.deleted_at IS NULL`;

const ARTICLE_SQL = `SELECT a.id, a.moderation_mode, a.closed_at, a.closed_message, a.close_at, a.auto_close_exempt,
    a.created_at, a.disclaimer_show, a.disclaimer_text, s.auto_close_after_days, s.default_closed_message
  FROM articles a CROSS JOIN moderation_settings s WHERE a.id = $1 AND s.id = 1`;

function threadSql(sort, withCursor, own) {
  const dir = sort === 'newest' ? 'DESC' : 'ASC';
  const cmp = sort === 'newest' ? '<' : '>';
  const cursor = withCursor ? `AND (c.created_at, c.id) ${cmp} ($3::timestamptz, $4::uuid)` : '';
  const reader = own ? `$${withCursor ? 5 : 3}::text` : null;
  const order = (a) => `ORDER BY ${a}created_at ${dir}, ${a}id ${dir}`;
  const visible = `SELECT * FROM comments c WHERE c.article_id = $1 AND c.parent_id IS NULL AND ${LISTED('c')} ${cursor} ${order('c.')} LIMIT $2`;
  const page = own
    ? `SELECT * FROM ((${visible}) UNION ALL (SELECT * FROM comments c WHERE c.article_id = $1 AND c.parent_id IS NULL
        AND ${OWN('c', reader)} ${cursor} ${order('c.')} LIMIT $2)) t ${order('')} LIMIT $2`
    : visible;
  const visibleReplies = `SELECT * FROM comments r WHERE r.parent_id = c.id AND ${LISTED('r')} ORDER BY r.created_at, r.id LIMIT ${REPLY_PREVIEW_COUNT}`;
  const replies = own
    ? `SELECT * FROM ((${visibleReplies}) UNION ALL (SELECT * FROM comments r WHERE r.parent_id = c.id AND ${OWN('r', reader)}
        ORDER BY r.created_at, r.id LIMIT ${REPLY_PREVIEW_COUNT})) t ORDER BY created_at, id LIMIT ${REPLY_PREVIEW_COUNT}`
    : visibleReplies;
  const viewer = own ? reader : 'public';
  return `SELECT ${ts('c.created_at')} AS ts, c.id,
      ${commentJson('c', 'u.name', viewer, `, 'replies', coalesce(rp.replies, '[]'::json)`)}::text AS j
    FROM (${page}) c
    JOIN users u ON u.id = c.author_id
    LEFT JOIN LATERAL (
      SELECT json_agg(${commentJson('r', 'ru.name', viewer)} ORDER BY r.created_at, r.id) AS replies
      FROM (${replies}) r
      JOIN users ru ON ru.id = r.author_id) rp ON true
    ${order('c.')}`;
}

const PARENT_SQL = `SELECT status, deleted_at IS NOT NULL AS deleted, reply_count FROM comments WHERE id = $1`;

function repliesSql(withCursor) {
  return `SELECT ${ts('c.created_at')} AS ts, c.id, ${commentJson('c', 'u.name', 'public')}::text AS j
    FROM comments c JOIN users u ON u.id = c.author_id
    WHERE c.parent_id = $1 AND ${LISTED('c')} ${withCursor ? 'AND (c.created_at, c.id) > ($3::timestamptz, $4::uuid)' : ''}
    ORDER BY c.created_at, c.id LIMIT $2`;
}

const QUEUE_FILTER = {
  pending: `c.status = 'pending'`,
  unmoderated: `c.status = 'published'`,
  approved: `c.status = 'approved'`,
  rejected: `c.status = 'rejected'`,
};

function queueSql(queue, withArticle, withCursor) {
  const reports = `CASE WHEN c.open_report_count > 0 THEN coalesce((
      SELECT json_agg(json_build_object('id', rp.id, 'commentId', rp.comment_id, 'userId', rp.user_id, 'reason', rp.reason,
                                        'note', rp.note, 'createdAt', ${ts('rp.created_at')}) ORDER BY rp.created_at, rp.id)
      FROM reports rp WHERE rp.comment_id = c.id AND rp.resolved_at IS NULL), '[]'::json) ELSE '[]'::json END`;
  let n = 1;
  return `SELECT ${ts('c.created_at')} AS ts, c.id,
      ${commentJson(
        'c',
        'u.name',
        'privileged',
        `, 'article', json_build_object('id', a.id, 'title', a.title, 'url', a.url),
        'openReportCount', c.open_report_count, 'reports', ${reports}`,
      )}::text AS j
    FROM comments c JOIN users u ON u.id = c.author_id JOIN articles a ON a.id = c.article_id
    WHERE ${QUEUE_FILTER[queue]} AND c.deleted_at IS NULL
      ${withArticle ? `AND c.article_id = $${++n}` : ''}
      ${withCursor ? `AND (c.created_at, c.id) > ($${++n}::timestamptz, $${++n}::uuid)` : ''}
    ORDER BY c.created_at, c.id LIMIT $1`;
}

// UsersService.see: record on first sight, a changed name; locks the user's row for the transaction.
const SEE_USER_SQL = `WITH upserted AS (
    INSERT INTO users (id, name) VALUES ($1, $2)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
      WHERE EXCLUDED.name IS NOT NULL AND users.name IS DISTINCT FROM EXCLUDED.name
    RETURNING id, name, banned_at, ban_until, premod)
  SELECT * FROM upserted
  UNION ALL
  SELECT id, name, banned_at, ban_until, premod FROM users WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM upserted)`;
const USER_SQL = `SELECT id, name, banned_at, ban_until, premod FROM users WHERE id = $1`;

const LOCK_ARTICLE_SQL = `SELECT a.id, a.moderation_mode, a.closed_at, a.closed_message, a.close_at, a.auto_close_exempt, a.created_at,
    s.banned_words, s.suspect_words, s.max_links, s.premod_new_commenters, s.report_threshold, s.auto_close_after_days,
    s.default_closed_message, s.max_comment_length, s.version
  FROM articles a CROSS JOIN moderation_settings s WHERE a.id = $1 AND s.id = 1 FOR NO KEY UPDATE OF a`;
const PARENT_FOR_SHARE_SQL = `SELECT article_id, status, deleted_at FROM comments WHERE id = $1 FOR SHARE`;
const REPEAT_SQL = `SELECT 1 FROM comments WHERE author_id = $1 AND created_at > now() - make_interval(secs => $3) AND body = $2 LIMIT 1`;
const APPROVED_COUNT_SQL = `SELECT count(*)::int AS n FROM (SELECT 1 FROM comments WHERE author_id = $1 AND status = 'approved' LIMIT $2) x`;
const INSERT_COMMENT_SQL = `INSERT INTO comments (article_id, parent_id, author_id, body, status, moderation_reasons)
  VALUES ($1, $2, $3, $4, $5, $6)
  RETURNING id, ${commentJson('comments', '$7::text', 'privileged')}::text AS j`;
const COUNTS_SQL = `UPDATE articles SET count_visible = count_visible + $2, count_pending = count_pending + $3,
    count_published = count_published + $4, count_approved = count_approved + $5, count_rejected = count_rejected + $6,
    count_reported = count_reported + $7
  WHERE id = $1`;
const REPLY_COUNT_SQL = `UPDATE comments SET reply_count = reply_count + $2 WHERE id = $1
  RETURNING status, deleted_at IS NOT NULL AS deleted, reply_count, parent_id`;
const LOG_SQL = `WITH actor AS (INSERT INTO users (id, name) SELECT $2::text, $3::text WHERE $2::text IS NOT NULL
                  ON CONFLICT (id) DO NOTHING)
  INSERT INTO moderation_log (action, actor_id, target_type, target_id, article_id, from_status, to_status, reason)
  VALUES ($1, $2, 'comment', $4, $5, $6, $7, $8)`;
const COMMENT_ARTICLE_SQL = `SELECT article_id FROM comments WHERE id = $1`;
const LOCK_ARTICLE_ONLY_SQL = `SELECT id FROM articles WHERE id = $1 FOR NO KEY UPDATE`;
const LOCK_COMMENT_SQL = `SELECT c.id, c.article_id, c.parent_id, c.status, c.reply_count, c.open_report_count,
    c.deleted_at IS NOT NULL AS deleted, ${commentJson('c', 'u.name', 'privileged')}::text AS j
  FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1 FOR UPDATE OF c`;
const RESOLVE_REPORTS_SQL = `UPDATE reports SET resolved_at = now(), resolved_by = $2 WHERE comment_id = $1 AND resolved_at IS NULL`;
const DECIDE_SQL = `UPDATE comments c SET status = $2, open_report_count = 0 FROM users u
  WHERE c.id = $1 AND u.id = c.author_id
  RETURNING ${commentJson('c', 'u.name', 'privileged')}::text AS j`;

/** A named statement: parsed and planned once per connection. */
const q = (name, text, values) => ({ name, text, values });

// ---------------------------------------------------------------------------------------------
// Helpers mirroring the service's rules.

function closingState(a, autoCloseAfterDays, defaultClosedMessage) {
  if (a.closed_at) return { closed: true, closedMessage: a.closed_message };
  const times = [];
  if (a.close_at) times.push(a.close_at.getTime());
  if (autoCloseAfterDays && !a.auto_close_exempt) times.push(a.created_at.getTime() + autoCloseAfterDays * 86_400_000);
  if (times.length && Math.min(...times) <= Date.now()) return { closed: true, closedMessage: defaultClosedMessage };
  return { closed: false, closedMessage: null };
}

function encodeCursor(list, ts, id) {
  return Buffer.from(JSON.stringify([list, ts, id])).toString('base64url');
}

function decodeCursor(list, cursor) {
  if (cursor === undefined || cursor === null) return undefined;
  try {
    const d = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(d) &&
      d.length === 3 &&
      d[0] === list &&
      typeof d[1] === 'string' &&
      !Number.isNaN(new Date(d[1]).getTime()) &&
      UUID.test(d[2])
    ) {
      return { createdAt: new Date(d[1]).toISOString(), id: d[2] };
    }
  } catch {
    // below
  }
  throw invalid('cursor is not valid for this list');
}

function pageLimit(params) {
  const raw = params.get('limit');
  if (raw === null) return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw invalid('limit must be 1 to 100');
  return n;
}

/** Rows of { ts, id, j } (limit + 1 of them at most) as { items, nextCursor } JSON text. */
function pageJson(list, rows, limit, head = '') {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next = rows.length > limit && last ? `"${encodeCursor(list, last.ts, last.id)}"` : 'null';
  return `{${head}"items":[${items.map((r) => r.j).join(',')}],"nextCursor":${next}}`;
}

function authenticate(req, required) {
  const header = req.headers.authorization;
  if (header === undefined) {
    if (required) throw new HttpError(401, 'UNAUTHENTICATED', 'Authentication is required');
    return undefined;
  }
  const match = /^Bearer ([A-Za-z0-9_\-.=+/]+)$/.exec(header.trim());
  if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>"');
  let claims;
  try {
    claims = jwt.verify(match[1], SECRET, { algorithms: ['HS256'] });
  } catch {
    throw new HttpError(401, 'UNAUTHENTICATED', 'The bearer token is not valid');
  }
  if (typeof claims.sub !== 'string' || claims.sub.trim() === '' || claims.sub.length > 200) {
    throw new HttpError(401, 'UNAUTHENTICATED', 'The token has no usable sub claim');
  }
  const role = claims.role ?? 'commenter';
  if (!['commenter', 'moderator', 'admin'].includes(role))
    throw new HttpError(401, 'UNAUTHENTICATED', 'The token has an unknown role');
  return { id: claims.sub, name: typeof claims.name === 'string' ? claims.name : null, role };
}

const isModerator = (user) => user?.role === 'moderator' || user?.role === 'admin';

function requireModerator(req) {
  const user = authenticate(req, true);
  if (!isModerator(user)) throw new HttpError(403, 'FORBIDDEN', 'This needs the moderator role');
  return user;
}

const VISIBLE = ['published', 'approved'];
const COUNT_COLUMNS = ['visible', 'pending', 'published', 'approved', 'rejected', 'reported'];

function contributions(state) {
  const live = state !== null && !state.deleted;
  return {
    visible: live && VISIBLE.includes(state.status) ? 1 : 0,
    pending: live && state.status === 'pending' ? 1 : 0,
    published: live && state.status === 'published' ? 1 : 0,
    approved: live && state.status === 'approved' ? 1 : 0,
    rejected: live && state.status === 'rejected' ? 1 : 0,
    reported: live && state.reported ? 1 : 0,
  };
}

const isListed = (state, replyCount) =>
  state !== null && VISIBLE.includes(state.status) && (!state.deleted || replyCount > 0);

/** comment-counters.applyCountChange: the article's counts, then reply counts up the ancestors. */
async function applyCountChange(client, comment, before, after) {
  const b = contributions(before);
  const a = contributions(after);
  const deltas = COUNT_COLUMNS.map((c) => a[c] - b[c]);
  if (deltas.some((d) => d !== 0)) await client.query(q('counts', COUNTS_SQL, [comment.articleId, ...deltas]));
  let delta = Number(isListed(after, comment.replyCount)) - Number(isListed(before, comment.replyCount));
  let parentId = comment.parentId;
  while (parentId && delta !== 0) {
    const {
      rows: [p],
    } = await client.query(q('reply_count', REPLY_COUNT_SQL, [parentId, delta]));
    const state = { status: p.status, deleted: p.deleted };
    delta = Number(isListed(state, p.reply_count)) - Number(isListed(state, p.reply_count - delta));
    parentId = p.parent_id;
  }
}

let matchers;
function matchersFor(s) {
  if (matchers?.version !== s.version) {
    matchers = {
      version: s.version,
      banned: new WordMatcher(s.banned_words),
      suspect: new WordMatcher(s.suspect_words),
    };
  }
  return matchers;
}

/** ModerationRules.decide. */
function decide(author, user, article, body, s, approvedCount) {
  if (isModerator(author)) return { status: 'approved', reasons: [] };
  const { banned, suspect } = matchersFor(s);
  const bannedFound = banned.find(body);
  if (bannedFound.length > 0) return { status: 'rejected', reasons: [`banned words: ${bannedFound.join(', ')}`] };
  const reasons = [];
  const suspectFound = suspect.find(body);
  if (suspectFound.length > 0) reasons.push(`suspect words: ${suspectFound.join(', ')}`);
  const links = linkify.match(body)?.length ?? 0;
  if (links > s.max_links) reasons.push(`${links} links (at most ${s.max_links} go up unseen)`);
  if (user.premod) reasons.push('author is on pre-moderation');
  else if (approvedCount < s.premod_new_commenters) {
    reasons.push(`new commenter (${approvedCount} of ${s.premod_new_commenters} comments approved)`);
  }
  if (article.moderation_mode === 'pre') reasons.push('article is pre-moderated');
  return reasons.length > 0 ? { status: 'pending', reasons } : { status: 'published', reasons: [] };
}

const RETRYABLE = new Set(['40001', '40P01']);

async function transaction(work) {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (!RETRYABLE.has(error.code) || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    } finally {
      client.release();
    }
  }
}

async function seeUser(client, user) {
  const { rows } = await client.query(q('see_user', SEE_USER_SQL, [user.id, user.name]));
  if (rows[0]) return rows[0];
  return (await client.query(q('user', USER_SQL, [user.id]))).rows[0];
}

const isBanned = (u) => u.banned_at !== null && (u.ban_until === null || new Date(u.ban_until) > new Date());

// ---------------------------------------------------------------------------------------------
// Routes.

async function thread(articleId, params, viewer) {
  const sort = params.get('sort') ?? 'newest';
  if (sort !== 'newest' && sort !== 'oldest') throw invalid('sort must be newest or oldest');
  const limit = pageLimit(params);
  const list = `thread:${sort}`;
  const after = decodeCursor(list, params.get('cursor'));
  const {
    rows: [a],
  } = await pool.query(q('article', ARTICLE_SQL, [articleId]));
  if (!a) throw notFound('The article');
  const own = viewer !== undefined && !isModerator(viewer);
  if (isModerator(viewer))
    throw new HttpError(501, 'NOT_IMPLEMENTED', "The baseline does not serve moderators' view of threads");
  const values = after ? [articleId, limit + 1, after.createdAt, after.id] : [articleId, limit + 1];
  if (own) values.push(viewer.id);
  const name = `thread_${sort}_${after ? 'after' : 'first'}${own ? '_own' : ''}`;
  const { rows } = await pool.query(q(name, threadSql(sort, !!after, own), values));
  const closing = closingState(a, a.auto_close_after_days, a.default_closed_message);
  const article = {
    id: a.id,
    closed: closing.closed,
    closedMessage: closing.closedMessage,
    disclaimer: { show: a.disclaimer_show ?? a.moderation_mode === 'post', text: a.disclaimer_text },
  };
  return pageJson(list, rows, limit, `"article":${JSON.stringify(article)},`);
}

async function replies(parentId, params) {
  const limit = pageLimit(params);
  const after = decodeCursor('replies', params.get('cursor'));
  const {
    rows: [parent],
  } = await pool.query(q('parent', PARENT_SQL, [parentId]));
  if (!parent || !isListed({ status: parent.status, deleted: parent.deleted }, parent.reply_count))
    throw notFound('The comment');
  const values = after ? [parentId, limit + 1, after.createdAt, after.id] : [parentId, limit + 1];
  const { rows } = await pool.query(q(`replies_${after ? 'after' : 'first'}`, repliesSql(!!after), values));
  return pageJson('replies', rows, limit);
}

async function queue(name, params) {
  if (!QUEUE_FILTER[name]) throw notFound('The queue');
  const limit = pageLimit(params);
  const list = `queue:${name}`;
  const after = decodeCursor(list, params.get('cursor'));
  const articleId = params.get('articleId');
  if (articleId !== null && !UUID.test(articleId)) throw invalid('articleId must be a UUID');
  const values = [limit + 1];
  if (articleId !== null) values.push(articleId);
  if (after) values.push(after.createdAt, after.id);
  const name_ = `queue_${name}_${articleId !== null ? 'a' : ''}${after ? 'c' : ''}`;
  const { rows } = await pool.query(q(name_, queueSql(name, articleId !== null, !!after), values));
  return pageJson(list, rows, limit);
}

async function postComment(articleId, input, author) {
  if (typeof input?.body !== 'string') throw invalid('body must be a string');
  if (input.parentId !== undefined && (typeof input.parentId !== 'string' || !UUID.test(input.parentId))) {
    throw invalid('parentId must be a UUID');
  }
  const parentId = input.parentId ?? null;
  return transaction(async (client) => {
    const user = await seeUser(client, author);
    if (isBanned(user)) throw new HttpError(403, 'USER_BANNED', 'You are banned from commenting');
    const {
      rows: [article],
    } = await client.query(q('lock_article', LOCK_ARTICLE_SQL, [articleId]));
    if (!article) throw notFound('The article');
    const closing = closingState(article, article.auto_close_after_days, article.default_closed_message);
    if (closing.closed)
      throw new HttpError(409, 'ARTICLE_CLOSED', closing.closedMessage ?? article.default_closed_message);
    const body = input.body.trim();
    const length = [...body].length;
    if (length === 0 || length > article.max_comment_length) {
      throw invalid(`body must be 1 to ${article.max_comment_length} characters after trimming`);
    }
    if (parentId) {
      const {
        rows: [parent],
      } = await client.query(q('parent_for_share', PARENT_FOR_SHARE_SQL, [parentId]));
      if (!parent || parent.article_id !== articleId) throw notFound('The parent comment');
      if (parent.deleted_at || !VISIBLE.includes(parent.status))
        throw new HttpError(409, 'CONFLICT', 'Replies can only be made to visible comments');
    }
    const repeated = await client.query(q('repeat', REPEAT_SQL, [author.id, body, REPEAT_WINDOW_SECONDS]));
    if (repeated.rows.length > 0) throw new HttpError(409, 'CONFLICT', 'You posted this same comment a moment ago');
    let approvedCount = 0;
    if (!isModerator(author) && article.premod_new_commenters > 0) {
      approvedCount = (
        await client.query(q('approved_count', APPROVED_COUNT_SQL, [author.id, article.premod_new_commenters]))
      ).rows[0].n;
    }
    const decision = decide(author, user, article, body, article, approvedCount);
    const {
      rows: [inserted],
    } = await client.query(
      q('insert_comment', INSERT_COMMENT_SQL, [
        articleId,
        parentId,
        author.id,
        body,
        decision.status,
        decision.reasons,
        user.name,
      ]),
    );
    await applyCountChange(client, { articleId, parentId, replyCount: 0 }, null, {
      status: decision.status,
      deleted: false,
      reported: false,
    });
    if (decision.status === 'pending' || decision.status === 'rejected') {
      await client.query(
        q('log', LOG_SQL, [
          decision.status === 'pending' ? 'hold' : 'reject',
          null,
          null,
          inserted.id,
          articleId,
          null,
          decision.status,
          decision.reasons.join('; ') || null,
        ]),
      );
    }
    return inserted.j;
  });
}

async function decideComment(id, action, input, moderator) {
  const statuses = ['published', 'pending', 'approved', 'rejected'];
  if (input.expectedStatus !== undefined && !statuses.includes(input.expectedStatus))
    throw invalid('expectedStatus is not a status');
  if (
    input.reason !== undefined &&
    (typeof input.reason !== 'string' || input.reason.length < 1 || input.reason.length > 1000)
  ) {
    throw invalid('reason must be 1 to 1000 characters');
  }
  const toStatus = action === 'approve' ? 'approved' : 'rejected';
  return transaction(async (client) => {
    await seeUser(client, moderator);
    const {
      rows: [found],
    } = await client.query(q('comment_article', COMMENT_ARTICLE_SQL, [id]));
    if (!found) throw notFound('The comment');
    await client.query(q('lock_article_only', LOCK_ARTICLE_ONLY_SQL, [found.article_id]));
    const {
      rows: [row],
    } = await client.query(q('lock_comment', LOCK_COMMENT_SQL, [id]));
    if (row.deleted) throw notFound('The comment');
    if (input.expectedStatus && input.expectedStatus !== row.status) {
      throw new HttpError(409, 'CONFLICT', `The comment is ${row.status}, not ${input.expectedStatus}`);
    }
    if (row.status === toStatus && row.open_report_count === 0) return row.j;
    const resolved = (await client.query(q('resolve_reports', RESOLVE_REPORTS_SQL, [id, moderator.id]))).rowCount;
    const {
      rows: [updated],
    } = await client.query(q('decide', DECIDE_SQL, [id, toStatus]));
    await applyCountChange(
      client,
      { articleId: row.article_id, parentId: row.parent_id, replyCount: row.reply_count },
      { status: row.status, deleted: false, reported: row.open_report_count > 0 },
      { status: toStatus, deleted: false, reported: false },
    );
    const reason =
      [input.reason, resolved > 0 ? `resolved ${resolved} report(s)` : null].filter(Boolean).join('; ') || null;
    await client.query(
      q('log', LOG_SQL, [action, moderator.id, moderator.name, id, row.article_id, row.status, toStatus, reason]),
    );
    return updated.j;
  });
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > 1_048_576) {
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size === 0) return resolve({});
      try {
        const value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error();
        resolve(value);
      } catch {
        reject(invalid('The body is not a JSON object'));
      }
    });
    req.on('error', reject);
  });
}

const ROUTES = [
  ['GET', /^\/api\/health$/, async () => '{"status":"ok"}'],
  [
    'GET',
    /^\/api\/articles\/([^/]+)\/comments$/,
    async (req, [id], params) => thread(uuid(id), params, authenticate(req, false)),
  ],
  [
    'GET',
    /^\/api\/comments\/([^/]+)\/replies$/,
    async (req, [id], params) => {
      if (authenticate(req, false))
        throw new HttpError(501, 'NOT_IMPLEMENTED', 'The baseline serves reply pages to anonymous readers only');
      return replies(uuid(id), params);
    },
  ],
  [
    'GET',
    /^\/api\/moderation\/queue\/([^/]+)$/,
    async (req, [name], params) => (requireModerator(req), queue(name, params)),
  ],
  [
    'POST',
    /^\/api\/articles\/([^/]+)\/comments$/,
    async (req, [id]) => {
      const author = authenticate(req, true);
      return [201, await postComment(uuid(id), await readJson(req), author)];
    },
  ],
  [
    'POST',
    /^\/api\/moderation\/comments\/([^/]+)\/(approve|reject)$/,
    async (req, [id, action]) => {
      const moderator = requireModerator(req);
      return decideComment(uuid(id), action, await readJson(req), moderator);
    },
  ],
];

function uuid(value) {
  if (!UUID.test(value)) throw invalid('id must be a UUID');
  return value.toLowerCase();
}

function send(res, status, body, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    for (const [method, pattern, handler] of ROUTES) {
      const match = pattern.exec(url.pathname);
      if (!match || req.method !== method) continue;
      const result = await handler(req, match.slice(1).map(decodeURIComponent), url.searchParams);
      const [status, body] = Array.isArray(result) ? result : [200, result];
      return send(res, status, body);
    }
    throw notFound('The route');
  } catch (error) {
    if (error instanceof HttpError) {
      return send(
        res,
        error.status,
        JSON.stringify({ status: error.status, code: error.code, detail: error.message }),
        'application/problem+json',
      );
    }
    if (error.code === '22P02' || error.code === '23503') {
      return send(res, 404, JSON.stringify({ status: 404, code: 'NOT_FOUND' }), 'application/problem+json');
    }
    console.error(error);
    send(res, 500, JSON.stringify({ status: 500, code: 'INTERNAL' }), 'application/problem+json');
  }
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, '127.0.0.1', () => console.log(`baseline listening on ${PORT}`));

const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
