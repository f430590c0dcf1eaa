import { MigrationInterface, QueryRunner } from 'typeorm';

export class ThreadVersion1764324000000 implements MigrationInterface {
  name = 'ThreadVersion1764324000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "articles" ADD "thread_version" bigint NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "articles" DROP COLUMN "thread_version"`);
  }
}
