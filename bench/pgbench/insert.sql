-- One comment inserted, nothing else: what the indexes of comments cost, compared with and without them.
\set a random(1, 10)
\set b random(1, 200000)
\set u random(1, 1000)
INSERT INTO comments (article_id, author_id, body, status) SELECT article_id, 'u' || :u, (SELECT body FROM bench_bodies WHERE n = :b), 'published' FROM bench_top WHERE n = :a;
