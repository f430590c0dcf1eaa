import { MigrationInterface, QueryRunner } from 'typeorm';
import { patchFunction } from '../src/database/patch-function';

/**
 * post_comments()'s repeat check ("the same text from the same author within five minutes") must
 * read the author's recent comments through IDX_comments_author. Left to itself, the plan that
 * PL/pgSQL caches for the statement took the trigram index for `body = …` once the statistics
 * said authors write many comments: 10 to 30 ms for every post, under the article's lock, so a
 * hot thread fell from about 630 to 78 posts a second. The body is now compared only after the
 * author's last five minutes are read (OFFSET 0 keeps the planner from pushing it down).
 */
const BEFORE = `WHERE NOT EXISTS (SELECT 1 FROM comments WHERE author_id = p->>'author' AND body = p->>'body'
                          AND comments.created_at > now() - make_interval(secs => 300))`;
const AFTER = `WHERE NOT EXISTS (SELECT 1 FROM (SELECT body FROM comments WHERE author_id = p->>'author'
                          AND comments.created_at > now() - make_interval(secs => 300) OFFSET 0) recent
                        WHERE recent.body = p->>'body')`;

export class RepeatCheckByAuthor1796170000016 implements MigrationInterface {
  name = 'RepeatCheckByAuthor1796170000016';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await patchFunction(queryRunner, 'post_comments(uuid, jsonb)', [[BEFORE, AFTER]]);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await patchFunction(queryRunner, 'post_comments(uuid, jsonb)', [[AFTER, BEFORE]]);
  }
}
