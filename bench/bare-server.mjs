// The bare server: the least a post or an approval can cost on node:http + pg, the limit that the
// service's writes are measured against. It keeps nothing of what Comment Desk does beyond what
// makes a comment a comment: no rules, no article counts, no moderation log, no events, no
// idempotency, no repeat check. It stays bare: do not add work here (that is the baseline's job).
//
//   DATABASE_URL=postgres://... JWT_SECRET=... PORT=3002 node bench/bare-server.mjs
//
// POST /api/articles/:id/comments ({ body, parentId? }): one transaction of prepared statements,
//   BEGIN; lock the article FOR SHARE; bump the parent's reply count (replies); insert; COMMIT.
// POST /api/moderation/comments/:id/approve|reject: BEGIN; lock the comment's article FOR SHARE
//   (found through the comment); update the comment's status; bump the parent's reply count
//   (a reply that becomes listed); COMMIT.
// Its own database (a copy of the service's), since it keeps no article counts.
import http from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 20) });
const SECRET = process.env.JWT_SECRET;
const PORT = Number(process.env.PORT ?? 3002);

const q = (name, text, values) => ({ name, text, values });
const LOCK_ARTICLE = 'SELECT 1 FROM articles WHERE id = $1 FOR SHARE';
const BUMP_PARENT = 'UPDATE comments SET reply_count = reply_count + 1 WHERE id = $1 AND article_id = $2';
const INSERT = `INSERT INTO comments (article_id, parent_id, author_id, body, status) VALUES ($1, $2, $3, $4, 'published')
  RETURNING id, article_id AS "articleId", parent_id AS "parentId", status, created_at AS "createdAt"`;
const LOCK_ARTICLE_OF = `SELECT c.parent_id, c.status FROM comments c JOIN articles a ON a.id = c.article_id
  WHERE c.id = $1 FOR SHARE OF a`;
const SET_STATUS = `UPDATE comments SET status = $2 WHERE id = $1
  RETURNING id, article_id AS "articleId", parent_id AS "parentId", status, created_at AS "createdAt"`;
const BUMP = 'UPDATE comments SET reply_count = reply_count + 1 WHERE id = $1';

class HttpError extends Error {
  constructor(status) {
    super(String(status));
    this.status = status;
  }
}

function author(req) {
  try {
    const claims = jwt.verify(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '', SECRET, {
      algorithms: ['HS256'],
    });
    return claims;
  } catch {
    throw new HttpError(401);
  }
}

async function transaction(work) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        reject(new HttpError(400));
      }
    });
    req.on('error', reject);
  });
}

const post = (articleId, input, user) =>
  transaction(async (client) => {
    if ((await client.query(q('lock', LOCK_ARTICLE, [articleId]))).rowCount === 0) throw new HttpError(404);
    const parentId = input.parentId ?? null;
    if (parentId && (await client.query(q('bump_parent', BUMP_PARENT, [parentId, articleId]))).rowCount === 0)
      throw new HttpError(404);
    const {
      rows: [row],
    } = await client.query(q('insert', INSERT, [articleId, parentId, user.sub, String(input.body ?? '').trim()]));
    return row;
  });

const decide = (id, status) =>
  transaction(async (client) => {
    const {
      rows: [before],
    } = await client.query(q('lock_article_of', LOCK_ARTICLE_OF, [id]));
    if (!before) throw new HttpError(404);
    const {
      rows: [row],
    } = await client.query(q('set_status', SET_STATUS, [id, status]));
    if (before.parent_id && status === 'approved' && before.status !== 'published' && before.status !== 'approved')
      await client.query(q('bump', BUMP, [before.parent_id]));
    return row;
  });

const server = http.createServer(async (req, res) => {
  let status = 200;
  let body;
  try {
    const path = req.url.split('?')[0];
    let m;
    if (req.method === 'GET' && path === '/api/health') body = { status: 'ok' };
    else if (req.method === 'POST' && (m = /^\/api\/articles\/([^/]+)\/comments$/.exec(path))) {
      const user = author(req);
      body = await post(m[1], await readJson(req), user);
      status = 201;
    } else if (req.method === 'POST' && (m = /^\/api\/moderation\/comments\/([^/]+)\/(approve|reject)$/.exec(path))) {
      author(req);
      await readJson(req);
      body = await decide(m[1], m[2] === 'approve' ? 'approved' : 'rejected');
    } else throw new HttpError(404);
  } catch (error) {
    status = error instanceof HttpError ? error.status : 500;
    if (status === 500) console.error(error);
    body = { status };
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, '127.0.0.1', () => console.log(`bare server listening on ${PORT}`));

const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
