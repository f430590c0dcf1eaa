import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Readers' right to erasure against an append-only moderation log: the log names people by id
 * only, and their names live in `users`, where erasure can remove them. Names the log copied
 * so far go to `users` (for actors never recorded there) before the column goes: dropping a
 * column rewrites no entry, and the trigger that refuses UPDATE and DELETE stays.
 *
 * Removing comments at scale: `comments.parent_id` had only partial indexes (over visible
 * replies), so the foreign key's check on each deleted row scanned the whole table.
 */
export class PersonalData1796163325000 implements MigrationInterface {
  name = 'PersonalData1796163325000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "users" ("id", "name")
       SELECT DISTINCT ON ("actor_id") "actor_id", "actor_name" FROM "moderation_log"
       WHERE "actor_id" IS NOT NULL ORDER BY "actor_id", "seq" DESC
       ON CONFLICT ("id") DO NOTHING`,
    );
    await queryRunner.query(`ALTER TABLE "moderation_log" DROP COLUMN "actor_name"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_parent" ON "comments" ("parent_id") WHERE "parent_id" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_parent"`);
    await queryRunner.query(`ALTER TABLE "moderation_log" ADD "actor_name" text`);
  }
}
