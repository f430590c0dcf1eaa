import { MigrationInterface, QueryRunner } from 'typeorm';

export class ThreadEvents1764327600000 implements MigrationInterface {
  name = 'ThreadEvents1764327600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "thread_events" ("article_id" uuid NOT NULL, "version" bigint NOT NULL, "type" character varying(32) NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_thread_events" PRIMARY KEY ("article_id", "version"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_thread_events_created" ON "thread_events" ("created_at")`);
    await queryRunner.query(
      `ALTER TABLE "thread_events" ADD CONSTRAINT "FK_thread_events_article" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "thread_events"`);
  }
}
