-- The bare server's reply: the parent's reply count bumped too (bench_reply has 500 parents: 10 articles x 50).
\set r random(1, 500)
\set b random(1, 200000)
\set u random(1, 1000)
BEGIN;
SELECT 1 FROM articles WHERE id = (SELECT article_id FROM bench_reply WHERE n = :r) FOR SHARE OF articles;
UPDATE comments SET reply_count = reply_count + 1 WHERE id = (SELECT parent_id FROM bench_reply WHERE n = :r) AND article_id = (SELECT article_id FROM bench_reply WHERE n = :r);
INSERT INTO comments (article_id, parent_id, author_id, body, status) SELECT article_id, parent_id, 'u' || :u, (SELECT body FROM bench_bodies WHERE n = :b), 'published' FROM bench_reply WHERE n = :r RETURNING id, created_at;
END;
