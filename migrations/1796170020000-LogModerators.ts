import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who has moderated, read from the log one probe per person: readers' edits and deletions of their
 * own comments are left out of this index, so that many readers do not slow the moderators' list.
 */
export class LogModerators1796170020000 implements MigrationInterface {
  name = 'LogModerators1796170020000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_moderation_log_moderators" ON "moderation_log" ("actor_id") WHERE action NOT IN ('edit', 'delete')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_moderation_log_moderators"`);
  }
}
