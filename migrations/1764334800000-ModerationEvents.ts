import { MigrationInterface, QueryRunner } from 'typeorm';

export class ModerationEvents1764334800000 implements MigrationInterface {
  name = 'ModerationEvents1764334800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "moderation_events" ("xact" bigint NOT NULL, "seq" BIGSERIAL NOT NULL, "type" character varying(32) NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_moderation_events" PRIMARY KEY ("xact", "seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_moderation_events_created" ON "moderation_events" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "moderation_events"`);
  }
}
