// Prepares a seeded benchmark database (bench/seed.mjs) for pgbench: bodies as the bench posts
// them, the ten hottest open articles, and their first visible top-level comments to reply to.
//
//   node bench/pgbench/prepare.mjs postgres://.../db
//   pgbench -n -M prepared -c 32 -j 2 -T 10 -f bench/pgbench/bare-post.sql@2 -f bench/pgbench/bare-reply.sql@1 db
//
// bare-post.sql and bare-reply.sql are the bare server's transactions (a third of them replies);
// insert.sql is one INSERT, to weigh the indexes of `comments` on their own.
import pg from 'pg';
import { postBody } from '../lib/common.mjs';

const client = new pg.Client({ connectionString: process.argv[2] });
await client.connect();
await client.query(`DROP TABLE IF EXISTS bench_bodies, bench_top, bench_reply`);
await client.query(`CREATE TABLE bench_bodies (n int PRIMARY KEY, body text NOT NULL)`);
for (let from = 1; from <= 200_000; from += 10_000) {
  const bodies = Array.from({ length: 10_000 }, (_, i) => postBody(from + i, 'pgbench'));
  await client.query(`INSERT INTO bench_bodies SELECT $1 + i - 1, b FROM unnest($2::text[]) WITH ORDINALITY x(b, i)`, [
    from,
    bodies,
  ]);
}
await client.query(`CREATE TABLE bench_top AS SELECT row_number() OVER () AS n, id AS article_id
  FROM (SELECT id FROM articles WHERE closed_at IS NULL AND moderation_mode = 'post' ORDER BY count_visible DESC, id LIMIT 10) a`);
await client.query(`CREATE TABLE bench_reply AS SELECT row_number() OVER () AS n, article_id, id AS parent_id FROM (
  SELECT c.article_id, c.id FROM bench_top t CROSS JOIN LATERAL (
    SELECT c.id, c.article_id FROM comments c WHERE c.article_id = t.article_id AND c.parent_id IS NULL
      AND c.status IN ('published', 'approved') AND c.deleted_at IS NULL ORDER BY c.created_at, c.id LIMIT 50) c) x`);
await client.query(`ALTER TABLE bench_top ADD PRIMARY KEY (n)`);
await client.query(`ALTER TABLE bench_reply ADD PRIMARY KEY (n)`);
await client.query(`ANALYZE bench_bodies, bench_top, bench_reply`);
const {
  rows: [counts],
} =
  await client.query(`SELECT (SELECT count(*) FROM bench_top) AS articles, (SELECT count(*) FROM bench_reply) AS parents,
  (SELECT count(*) FROM users WHERE id LIKE 'u%') AS users`);
console.log(
  `prepared: ${counts.articles} articles, ${counts.parents} parents, ${counts.users} users; bare-reply.sql picks from 1..${counts.parents}`,
);
await client.end();
