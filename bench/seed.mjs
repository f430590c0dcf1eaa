// Seeds a benchmark database: the service's own migrations, then a long-tailed data set generated
// inside PostgreSQL with set operations (INSERT ... SELECT over generate_series), counters recomputed
// from the data, indexes built after the load, VACUUM ANALYZE at the end.
//
//   node bench/seed.mjs postgres://.../db [--articles 1000] [--comments 1000000] [--hot 50000]
//
// The database must exist and be empty (or at least have no comment data); run.mjs creates it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BANNED_WORDS, LOREM, require, requireDist, SUSPECT_WORDS } from './lib/common.mjs';

/** Deterministic jitter for the plan. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How many comments each article gets, hottest first: a head of hot threads from `hot` down to
 * about half of it, then a Zipf-like tail (exponent 1.1) starting at hot/10, in which most
 * articles have a handful. The head is as long as it must be for the total to come out right.
 */
export function planThreads({ articles, comments, hot }) {
  if (articles < 1 || comments < 1) throw new Error('articles and comments must be positive');
  hot = Math.min(hot, comments);
  const tailTop = Math.max(1, hot / 10);
  const tail = (k) => {
    const counts = [];
    for (let j = 1; j <= articles - k; j++) counts.push(Math.max(1, Math.round(tailTop * j ** -1.1)));
    return counts;
  };
  let k = 1;
  let tailCounts = tail(k);
  let tailSum = tailCounts.reduce((a, b) => a + b, 0);
  // grow the head until head (averaging 0.75 hot) + tail reaches the total
  while (k < articles && hot * (1 + 0.75 * (k - 1)) + tailSum < comments) {
    k++;
    tailCounts = tail(k);
    tailSum = tailCounts.reduce((a, b) => a + b, 0);
  }
  let counts;
  if (hot + tailSum >= comments) {
    // small totals: the hottest thread, then the tail scaled down to what is left
    const left = comments - hot;
    const scale = tailSum > 0 ? left / tailSum : 0;
    counts = [hot, ...tailCounts.map((c) => Math.floor(c * scale))];
  } else {
    const headRest = comments - tailSum - hot; // for head articles 2..k, between hot/2 and hot
    const shape = Array.from({ length: k - 1 }, (_, i) => 1 - (0.5 * (i + 1)) / Math.max(1, k - 1));
    const shapeSum = shape.reduce((a, b) => a + b, 0);
    const head = shape.map((s) => Math.min(hot, Math.floor((headRest * s) / (shapeSum || 1))));
    counts = [hot, ...head, ...tailCounts];
  }
  // put the rounding remainder on the articles after the hottest, keeping each at most `hot`
  let diff = comments - counts.reduce((a, b) => a + b, 0);
  for (let moved = true; diff !== 0 && moved;) {
    moved = false;
    for (let i = 1; i < counts.length && diff !== 0; i++) {
      if (diff > 0 && counts[i] < hot) {
        counts[i]++;
        diff--;
        moved = true;
      } else if (diff < 0 && counts[i] > 1) {
        counts[i]--;
        diff++;
        moved = true;
      }
    }
  }
  counts[0] += diff; // only when nothing else could take it
  return counts;
}

export async function seedDatabase(url, { articles, comments, hot, seed = 1, log = () => {} }) {
  const started = Date.now();
  const step = async (label, fn) => {
    const t = Date.now();
    const result = await fn();
    log(`  ${label} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    return result;
  };

  // 1. The schema, from the service's own migrations (compiled).
  await step('migrations', async () => {
    const { DataSource } = require('typeorm');
    const { dataSourceOptions } = requireDist('src/database/data-source.js');
    const { runMigrationsLocked } = requireDist('src/database/migrate.js');
    const ds = new DataSource(dataSourceOptions(url, { logging: false }));
    await ds.initialize();
    try {
      await runMigrationsLocked(ds);
    } finally {
      await ds.destroy();
    }
  });

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const [{ n: existing }] = (await db.query('SELECT count(*)::int AS n FROM comments')).rows;
    if (existing > 0) throw new Error(`The database already holds ${existing} comments; seed an empty one`);
    await db.query(`SET maintenance_work_mem = '512MB'`);
    await db.query(`SET work_mem = '64MB'`);
    await db.query(`SET synchronous_commit = off`); // for the load only; the servers keep the default
    let replica = false;
    try {
      await db.query(`SET session_replication_role = replica`); // no FK triggers while loading data consistent by construction
      replica = true;
    } catch {
      log('  (not a superuser: foreign keys are checked row by row while loading, which is slower)');
    }

    // 2. Rules on: a banned and a suspect list, so that every post runs the matchers.
    await db.query(
      `UPDATE moderation_settings SET banned_words = $1, suspect_words = $2, version = version + 1 WHERE id = 1`,
      [BANNED_WORDS, SUSPECT_WORDS],
    );

    const counts = planThreads({ articles, comments, hot });
    const rnd = prng(seed);
    const users = Math.max(200, Math.round(comments / 20));
    const rows = counts.map((n, i) => {
      const replies = n <= 1 ? 0 : Math.round(n * (0.28 + 0.1 * rnd()));
      const isHead = n >= hot / 2;
      return {
        i,
        top: n - replies,
        replies,
        mode: !isHead && rnd() < 0.05 ? 'pre' : 'post',
        closed: !isHead && rnd() < 0.03,
        ageDays: isHead ? 4 + 2 * rnd() : 4 + 360 * rnd(),
      };
    });

    // 3. Users: long-tailed authorship below; a few on pre-moderation, a few banned; 64 moderators.
    await step(`users (${users.toLocaleString('en-US')})`, async () => {
      await db.query(
        `INSERT INTO users (id, name, premod, banned_at, ban_reason, created_at, updated_at)
         SELECT 'u' || g, 'Reader ' || g, g % 200 = 7,
                CASE WHEN g % 500 = 13 THEN now() - interval '1 day' END,
                CASE WHEN g % 500 = 13 THEN 'spam' END,
                now() - random() * interval '730 days', now() - random() * interval '30 days'
         FROM generate_series(1, $1::int) g`,
        [users],
      );
      await db.query(
        `INSERT INTO users (id, name, created_at, updated_at)
         SELECT 'mod' || g, 'Moderator ' || g, now() - interval '800 days', now() - interval '800 days' FROM generate_series(1, 64) g`,
      );
    });

    // 4. Articles, with the plan kept in a temporary table.
    await step(`articles (${articles.toLocaleString('en-US')})`, async () => {
      await db.query(
        `CREATE TEMP TABLE plan AS
         SELECT p.i, md5('a' || p.i)::uuid AS article_id, p.n_top, p.n_rep, p.mode, p.closed,
                date_trunc('second', now() - p.age_days * interval '1 day') AS created_at
         FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::bool[], $6::float8[])
           AS p(i, n_top, n_rep, mode, closed, age_days)`,
        [
          rows.map((r) => r.i),
          rows.map((r) => r.top),
          rows.map((r) => r.replies),
          rows.map((r) => r.mode),
          rows.map((r) => r.closed),
          rows.map((r) => r.ageDays),
        ],
      );
      await db.query(
        `INSERT INTO articles (id, url, title, external_id, moderation_mode, closed_at, closed_message, disclaimer_text, created_at, updated_at)
         SELECT p.article_id, 'https://news.example/bench/' || p.i, 'Article number ' || p.i || ': a story worth discussing',
                'ext-' || p.i, p.mode,
                CASE WHEN p.closed THEN p.created_at + interval '4 days' END,
                CASE WHEN p.closed THEN s.default_closed_message END,
                s.default_disclaimer_text, p.created_at, p.created_at
         FROM plan p CROSS JOIN moderation_settings s WHERE s.id = 1`,
      );
    });

    // Secondary indexes are built after the load (their definitions read back from the catalog).
    const { rows: indexes } = await db.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename IN ('comments', 'moderation_log')
         AND i.indexname NOT IN (SELECT conname FROM pg_constraint)`,
    );
    for (const { indexname } of indexes) await db.query(`DROP INDEX "${indexname}"`);

    const STATUS = (r, mode) => `CASE WHEN ${mode} = 'pre' THEN
        (CASE WHEN ${r} < 0.80 THEN 'approved' WHEN ${r} < 0.90 THEN 'pending' ELSE 'rejected' END)
      ELSE (CASE WHEN ${r} < 0.72 THEN 'published' WHEN ${r} < 0.92 THEN 'approved' WHEN ${r} < 0.96 THEN 'pending' ELSE 'rejected' END) END`;
    const REASONS = (r, mode) => `CASE
        WHEN ${mode} = 'pre' AND ${r} >= 0.80 AND ${r} < 0.90 THEN ARRAY['article is pre-moderated']
        WHEN ${mode} = 'post' AND ${r} >= 0.92 AND ${r} < 0.96 THEN ARRAY['suspect words: idiot']
        WHEN ${r} >= 0.98 THEN ARRAY['banned words: scamcoin']
        ELSE '{}'::text[] END`;
    const BODY = `btrim(substr($1, 1 + floor(x.rb * (length($1) - 620))::int, 20 + floor(x.rl ^ 2 * 580)::int))`;
    const AUTHOR = `'u' || least($2::int, 1 + floor($2 * x.ra ^ 2)::int)`;

    // 5. Top-level comments: spread over three days after their article; ids derived from their
    //    position, so that replies can name their parent without a lookup table.
    const top = rows.reduce((a, r) => a + r.top, 0);
    await step(`top-level comments (${top.toLocaleString('en-US')})`, () =>
      db.query(
        `INSERT INTO comments (id, article_id, parent_id, author_id, body, status, moderation_reasons, created_at, edited_at, deleted_at)
         SELECT md5('c' || x.i || ':' || x.g)::uuid, x.article_id, NULL, ${AUTHOR}, ${BODY},
                ${STATUS('x.rs', 'x.mode')}, ${REASONS('x.rs', 'x.mode')}, x.t,
                CASE WHEN x.rd >= 0.015 AND x.rd < 0.045 THEN x.t + interval '2 minutes' END,
                CASE WHEN x.rd < 0.015 THEN least(x.t + interval '2 hours', now()) END
         FROM (SELECT p.i, p.article_id, p.mode, g,
                      least(p.created_at + (g + random()) / p.n_top * interval '3 days', now() - interval '1 minute') AS t,
                      random() AS ra, random() AS rs, random() AS rd, random() AS rb, random() AS rl
               FROM plan p, generate_series(0, p.n_top - 1) g WHERE p.n_top > 0) x`,
        [LOREM, users],
      ),
    );

    // 6. Replies, one level deep, to a parent drawn with a strong skew (u^3): the earliest
    //    top-level comments of a thread collect hundreds of replies, most get none or one.
    const replies = rows.reduce((a, r) => a + r.replies, 0);
    await step(`replies (${replies.toLocaleString('en-US')})`, () =>
      db.query(
        `INSERT INTO comments (id, article_id, parent_id, author_id, body, status, moderation_reasons, created_at, edited_at, deleted_at)
         SELECT md5('r' || x.i || ':' || x.g)::uuid, x.article_id, par.id, ${AUTHOR}, ${BODY},
                ${STATUS('x.rs', 'x.mode')}, ${REASONS('x.rs', 'x.mode')}, y.t,
                CASE WHEN x.rd >= 0.015 AND x.rd < 0.045 THEN y.t + interval '2 minutes' END,
                CASE WHEN x.rd < 0.015 THEN least(y.t + interval '2 hours', now()) END
         FROM (SELECT p.i, p.article_id, p.mode, g,
                      md5('c' || p.i || ':' || floor(p.n_top * random() ^ 3)::int)::uuid AS parent_id,
                      random() AS ra, random() AS rs, random() AS rd, random() AS rb, random() AS rl, random() AS rt
               FROM plan p, generate_series(0, p.n_rep - 1) g WHERE p.n_rep > 0 AND p.n_top > 0) x
         JOIN comments par ON par.id = x.parent_id
         CROSS JOIN LATERAL (SELECT least(par.created_at + x.rt ^ 2 * interval '1 day',
                                          now() - interval '1 second' - x.rt * interval '30 seconds') AS t) y`,
        [LOREM, users],
      ),
    );

    // 7. The moderation log: one entry per decision the data implies.
    await step('moderation log', () =>
      db.query(
        `INSERT INTO moderation_log (action, actor_id, target_type, target_id, article_id, from_status, to_status, reason, created_at)
         SELECT CASE c.status WHEN 'approved' THEN 'approve' WHEN 'rejected' THEN 'reject' ELSE 'hold' END,
                m.id, 'comment', c.id::text, c.article_id,
                CASE WHEN m.id IS NULL THEN NULL ELSE 'published' END, c.status,
                NULLIF(array_to_string(c.moderation_reasons, '; '), ''),
                c.created_at + interval '10 minutes'
         FROM comments c
         LEFT JOIN users m ON cardinality(c.moderation_reasons) = 0 AND m.id = 'mod' || (1 + (hashtext(c.id::text) & 63))
         WHERE c.status <> 'published'
         ORDER BY c.created_at, c.id`,
      ),
    );

    // 8. Counters, recomputed from the data: listed replies per parent (replies have no replies
    //    of their own here, so a listed reply is a visible one that is not deleted), and the
    //    article counts per status (deleted comments count nowhere).
    await step('reply counts', () =>
      db.query(
        `UPDATE comments p SET reply_count = x.n
         FROM (SELECT parent_id, count(*)::int AS n FROM comments
               WHERE parent_id IS NOT NULL AND status IN ('published', 'approved') AND deleted_at IS NULL
               GROUP BY parent_id) x
         WHERE p.id = x.parent_id`,
      ),
    );
    await step('article counts', () =>
      db.query(
        `UPDATE articles a SET count_visible = x.visible, count_pending = x.pending, count_published = x.published,
                count_approved = x.approved, count_rejected = x.rejected, count_reported = x.reported
         FROM (SELECT article_id,
                 count(*) FILTER (WHERE deleted_at IS NULL AND status IN ('published', 'approved'))::int AS visible,
                 count(*) FILTER (WHERE deleted_at IS NULL AND status = 'pending')::int AS pending,
                 count(*) FILTER (WHERE deleted_at IS NULL AND status = 'published')::int AS published,
                 count(*) FILTER (WHERE deleted_at IS NULL AND status = 'approved')::int AS approved,
                 count(*) FILTER (WHERE deleted_at IS NULL AND status = 'rejected')::int AS rejected,
                 count(*) FILTER (WHERE deleted_at IS NULL AND open_report_count > 0)::int AS reported
               FROM comments GROUP BY article_id) x
         WHERE a.id = x.article_id`,
      ),
    );

    await step(`indexes (${indexes.length})`, async () => {
      for (const { indexdef } of indexes) await db.query(indexdef);
    });
    if (replica) await db.query(`SET session_replication_role = origin`);

    const check = await step('consistency check', () => checkCounters(db));
    if (check.articleMismatches || check.replyMismatches) {
      throw new Error(`Seeded counters disagree with a recount: ${JSON.stringify(check)}`);
    }
    await step('vacuum analyze', () => db.query('VACUUM (ANALYZE) '));
    await db.query('CHECKPOINT').catch(() => undefined); // needs a superuser; only spares the runs a checkpoint

    const stats = await describe(db);
    return { seconds: (Date.now() - started) / 1000, users, ...stats };
  } finally {
    await db.end();
  }
}

/** Stored counters against a recount; zero mismatches expected (also after the load runs). */
export async function checkCounters(db) {
  const [{ n: articleMismatches }] = (
    await db.query(
      `SELECT count(*)::int AS n FROM articles a
       LEFT JOIN (SELECT article_id,
                   count(*) FILTER (WHERE deleted_at IS NULL AND status IN ('published', 'approved')) AS visible,
                   count(*) FILTER (WHERE deleted_at IS NULL AND status = 'pending') AS pending,
                   count(*) FILTER (WHERE deleted_at IS NULL AND status = 'published') AS published,
                   count(*) FILTER (WHERE deleted_at IS NULL AND status = 'approved') AS approved,
                   count(*) FILTER (WHERE deleted_at IS NULL AND status = 'rejected') AS rejected,
                   count(*) FILTER (WHERE deleted_at IS NULL AND open_report_count > 0) AS reported
                 FROM comments GROUP BY article_id) x ON x.article_id = a.id
       WHERE (a.count_visible, a.count_pending, a.count_published, a.count_approved, a.count_rejected, a.count_reported)
             IS DISTINCT FROM (coalesce(x.visible, 0), coalesce(x.pending, 0), coalesce(x.published, 0),
                               coalesce(x.approved, 0), coalesce(x.rejected, 0), coalesce(x.reported, 0))`,
    )
  ).rows;
  // Listed replies of each comment; a reply is listed when visible and either not deleted or
  // (a tombstone) with listed replies of its own; two levels cover everything the bench writes.
  const [{ n: replyMismatches }] = (
    await db.query(
      `WITH listed AS (
         SELECT c.id, c.parent_id FROM comments c
         WHERE c.parent_id IS NOT NULL AND c.status IN ('published', 'approved') AND (c.deleted_at IS NULL OR c.reply_count > 0))
       SELECT count(*)::int AS n FROM comments p
       LEFT JOIN (SELECT parent_id, count(*) AS n FROM listed GROUP BY parent_id) x ON x.parent_id = p.id
       WHERE p.reply_count <> coalesce(x.n, 0)`,
    )
  ).rows;
  return { articleMismatches, replyMismatches };
}

/** What the data set looks like. */
export async function describe(db) {
  const {
    rows: [s],
  } = await db.query(
    `SELECT (SELECT count(*) FROM articles)::int AS articles,
            count(*)::int AS comments,
            count(*) FILTER (WHERE parent_id IS NOT NULL)::int AS replies,
            count(*) FILTER (WHERE status = 'published')::int AS published,
            count(*) FILTER (WHERE status = 'approved')::int AS approved,
            count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
            count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS deleted,
            (SELECT count(*) FROM moderation_log)::int AS log_entries,
            (SELECT max(reply_count) FROM comments)::int AS max_replies,
            pg_database_size(current_database())::bigint AS bytes
     FROM comments`,
  );
  const { rows: sizes } = await db.query(
    `SELECT n FROM (SELECT count(c.id)::int AS n FROM articles a LEFT JOIN comments c ON c.article_id = a.id GROUP BY a.id) t ORDER BY n DESC`,
  );
  const n = sizes.map((r) => r.n);
  const at = (q) => n[Math.min(n.length - 1, Math.floor((1 - q) * n.length))];
  return {
    ...s,
    bytes: Number(s.bytes),
    threads: {
      largest: n.slice(0, 5),
      over10k: n.filter((x) => x >= 10000).length,
      p90: at(0.9),
      median: at(0.5),
      smallest: n[n.length - 1],
    },
  };
}

export function describeLine(stats) {
  const f = (x) => x.toLocaleString('en-US');
  return (
    `${f(stats.comments)} comments (${f(stats.replies)} replies; ${f(stats.published)} published, ${f(stats.approved)} approved, ` +
    `${f(stats.pending)} pending, ${f(stats.rejected)} rejected, ${f(stats.deleted)} deleted) on ${f(stats.articles)} articles; ` +
    `threads: largest ${stats.threads.largest.map(f).join(', ')}; p90 ${f(stats.threads.p90)}, median ${f(stats.threads.median)}; ` +
    `most replies on one comment ${f(stats.max_replies)}; ${f(stats.log_entries)} log entries; ${(stats.bytes / 2 ** 20).toFixed(0)} MB`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, ...rest] = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? Number(rest[i + 1]) : dflt;
  };
  if (!url) {
    console.error('usage: node bench/seed.mjs postgres://... [--articles N] [--comments N] [--hot N]');
    process.exit(2);
  }
  const stats = await seedDatabase(url, {
    articles: opt('articles', 1000),
    comments: opt('comments', 1_000_000),
    hot: opt('hot', 50_000),
    log: (l) => console.log(l),
  });
  console.log(describeLine(stats));
}

/**
 * An embedded PostgreSQL in a temporary folder with one database, `name`, seeded with `comments`
 * comments in the usual shape (an article per thousand, the hottest holding a twentieth).
 * `stop()` stops it and removes the folder.
 */
export async function startSeededDatabase({ name, comments, log = () => {} }) {
  const { startEmbeddedPostgres } = requireDist('src/database/embedded-postgres.js');
  const dir = mkdtempSync(join(os.tmpdir(), `comment-desk-${name}-`));
  chmodSync(dir, 0o755); // the server runs as its own user, who must be able to enter it
  const server = await startEmbeddedPostgres(dir, {
    flags: ['-c', 'shared_buffers=256MB', '-c', 'max_connections=100'],
  });
  const stop = async () => {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = server.url.replace(/\/[^/]*$/, `/${name}`);
    log(`Seeding ${comments.toLocaleString('en-US')} comments…`);
    const started = Date.now();
    await seedDatabase(url, {
      articles: Math.max(20, Math.round(comments / 1000)),
      comments,
      hot: Math.min(50_000, Math.round(comments / 20)),
      log,
    });
    log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
