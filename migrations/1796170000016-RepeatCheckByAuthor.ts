import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * post_comments()'s repeat check ("the same text from the same author within five minutes") must
 * read the author's recent comments through IDX_comments_author. Left to itself, the plan that
 * PL/pgSQL caches for the statement took the trigram index for `body = …` once the statistics
 * said authors write many comments: 10 to 30 ms for every post, under the article's lock, so a
 * hot thread fell from about 630 to 78 posts a second. The body is now compared only after the
 * author's last five minutes are read (OFFSET 0 keeps the planner from pushing it down).
 *
 * The function is patched in place, and only if the statement is found as it was written.
 */
const BEFORE = `WHERE NOT EXISTS (SELECT 1 FROM comments WHERE author_id = p->>'author' AND body = p->>'body'
                          AND comments.created_at > now() - make_interval(secs => 300))`;
const AFTER = `WHERE NOT EXISTS (SELECT 1 FROM (SELECT body FROM comments WHERE author_id = p->>'author'
                          AND comments.created_at > now() - make_interval(secs => 300) OFFSET 0) recent
                        WHERE recent.body = p->>'body')`;

export class RepeatCheckByAuthor1796170000016 implements MigrationInterface {
  name = 'RepeatCheckByAuthor1796170000016';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await replaceInPostComments(queryRunner, BEFORE, AFTER);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await replaceInPostComments(queryRunner, AFTER, BEFORE);
  }
}

async function replaceInPostComments(queryRunner: QueryRunner, from: string, to: string): Promise<void> {
  await queryRunner.query(
    `DO $$
     DECLARE source text := pg_get_functiondef('post_comments(uuid, jsonb)'::regprocedure);
     BEGIN
       IF position(${literal(from)} IN source) = 0 THEN
         RAISE EXCEPTION 'post_comments() does not hold the statement this migration replaces';
       END IF;
       EXECUTE replace(source, ${literal(from)}, ${literal(to)});
     END $$`,
  );
}

/** A dollar-quoted SQL literal (the texts hold single quotes). */
const literal = (text: string) => `$q$${text}$q$`;
