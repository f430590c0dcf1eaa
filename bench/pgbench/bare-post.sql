-- The bare server's post (bench/bare-server.mjs), top-level; u1..u1000 are the users of the --quick data set.
\set a random(1, 10)
\set b random(1, 200000)
\set u random(1, 1000)
BEGIN;
SELECT 1 FROM articles WHERE id = (SELECT article_id FROM bench_top WHERE n = :a) FOR SHARE OF articles;
INSERT INTO comments (article_id, author_id, body, status) SELECT article_id, 'u' || :u, (SELECT body FROM bench_bodies WHERE n = :b), 'published' FROM bench_top WHERE n = :a RETURNING id, created_at;
END;
