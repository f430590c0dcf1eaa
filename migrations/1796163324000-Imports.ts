import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports from other comment systems. Each imported comment remembers where it came from, under a
 * unique key, so that a re-run or a resumed import creates nothing twice. A file is first read
 * into staging tables (UNLOGGED: they are rebuilt from the file by any re-run), because replies
 * may come before their parents and posts before their threads.
 */
export class Imports1796163324000 implements MigrationInterface {
  name = 'Imports1796163324000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "comments" ADD "source" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "comments" ADD "source_id" text`);
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "CHK_comments_source" CHECK (("source" IS NULL) = ("source_id" IS NULL))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_comments_source" ON "comments" ("source", "source_id")`);
    await queryRunner.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "CHK_moderation_log_target_type"`);
    await queryRunner.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "CHK_moderation_log_target_type" CHECK ("target_type" IN ('comment', 'article', 'user', 'settings', 'import'))`,
    );
    await queryRunner.query(
      `CREATE TABLE "import_jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "format" character varying(16) NOT NULL, "file_name" text NOT NULL, "status" character varying(16) NOT NULL, "dry_run" boolean NOT NULL DEFAULT false, "options" jsonb NOT NULL DEFAULT '{}', "actor_id" text, "bytes_total" bigint, "bytes_read" bigint NOT NULL DEFAULT '0', "counts" jsonb NOT NULL DEFAULT '{}', "problems" jsonb NOT NULL DEFAULT '[]', "error" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "CHK_import_jobs_status" CHECK ("status" IN ('reading', 'importing', 'succeeded', 'failed')), CONSTRAINT "CHK_import_jobs_format" CHECK ("format" IN ('disqus', 'wordpress', 'commento', 'remark42', 'comment-desk')), CONSTRAINT "PK_import_jobs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_import_jobs_created" ON "import_jobs" ("created_at", "id")`);
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "import_staged_threads" ("job_id" uuid NOT NULL, "seq" integer NOT NULL, "source_id" text NOT NULL, "url" text, "title" text, "created_at" TIMESTAMP(3) WITH TIME ZONE, "closed" boolean NOT NULL DEFAULT false, "skip" character varying(16), "article_id" uuid, CONSTRAINT "PK_import_staged_threads" PRIMARY KEY ("job_id", "source_id"))`,
    );
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "import_staged_comments" ("job_id" uuid NOT NULL, "seq" integer NOT NULL, "source_id" text NOT NULL, "thread_source_id" text, "parent_source_id" text, "author_id" text NOT NULL, "author_name" text, "body" text NOT NULL, "status" character varying(16) NOT NULL, "deleted" boolean NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "line" integer, "article_id" uuid, "keep" boolean NOT NULL DEFAULT false, "done" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_import_staged_comments" PRIMARY KEY ("job_id", "source_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_import_staged_comments_parent" ON "import_staged_comments" ("job_id", "parent_source_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_import_staged_comments_todo" ON "import_staged_comments" ("job_id", "seq") WHERE NOT "done"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_staged_comments"`);
    await queryRunner.query(`DROP TABLE "import_staged_threads"`);
    await queryRunner.query(`DROP TABLE "import_jobs"`);
    await queryRunner.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "CHK_moderation_log_target_type"`);
    await queryRunner.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "CHK_moderation_log_target_type" CHECK ("target_type" IN ('comment', 'article', 'user', 'settings'))`,
    );
    await queryRunner.query(`DROP INDEX "public"."UQ_comments_source"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "CHK_comments_source"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "source_id"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "source"`);
  }
}
