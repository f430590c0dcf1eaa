import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How deep the readers' embed nests replies to replies before it lists them flat, each saying whom
 * it answers: a reading setting (posting takes a reply to any listed comment at any depth), kept
 * within what a phone's width can indent.
 */
export class ReplyDepth1796170043100 implements MigrationInterface {
  name = 'ReplyDepth1796170043100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "moderation_settings" ADD "reply_depth" smallint NOT NULL DEFAULT 3`);
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD CONSTRAINT "CHK_moderation_settings_reply_depth" CHECK ("reply_depth" BETWEEN 1 AND 10)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "moderation_settings" DROP COLUMN "reply_depth"`);
  }
}
