import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764316800000 implements MigrationInterface {
  name = 'InitialSchema1764316800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "articles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "url" text NOT NULL, "title" text NOT NULL, "external_id" text, "moderation_mode" character varying(8) NOT NULL, "closed_at" TIMESTAMP(3) WITH TIME ZONE, "closed_message" text, "close_at" TIMESTAMP(3) WITH TIME ZONE, "auto_close_exempt" boolean NOT NULL DEFAULT false, "schedule_close_logged_at" TIMESTAMP(3) WITH TIME ZONE, "disclaimer_show" boolean, "disclaimer_text" text NOT NULL, "count_visible" integer NOT NULL DEFAULT '0', "count_pending" integer NOT NULL DEFAULT '0', "count_published" integer NOT NULL DEFAULT '0', "count_approved" integer NOT NULL DEFAULT '0', "count_rejected" integer NOT NULL DEFAULT '0', "count_reported" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_articles_closed" CHECK (("closed_at" IS NULL) = ("closed_message" IS NULL)), CONSTRAINT "CHK_articles_counts" CHECK ("count_visible" >= 0 AND "count_pending" >= 0 AND "count_published" >= 0 AND "count_approved" >= 0 AND "count_rejected" >= 0 AND "count_reported" >= 0), CONSTRAINT "CHK_articles_mode" CHECK ("moderation_mode" IN ('post', 'pre')), CONSTRAINT "PK_0a6e2c450d83e0b6052c2793334" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_articles_url" ON "articles"  ("url") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_articles_external_id" ON "articles"  ("external_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_articles_created" ON "articles"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" text NOT NULL, "name" text, "banned_at" TIMESTAMP(3) WITH TIME ZONE, "ban_until" TIMESTAMP(3) WITH TIME ZONE, "ban_reason" text, "premod" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "comments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "article_id" uuid NOT NULL, "parent_id" uuid, "author_id" text NOT NULL, "body" text NOT NULL, "status" character varying(16) NOT NULL, "moderation_reasons" text array NOT NULL DEFAULT '{}', "reply_count" integer NOT NULL DEFAULT '0', "open_report_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "edited_at" TIMESTAMP(3) WITH TIME ZONE, "deleted_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "CHK_comments_not_own_parent" CHECK ("parent_id" IS NULL OR "parent_id" <> "id"), CONSTRAINT "CHK_comments_counts" CHECK ("reply_count" >= 0 AND "open_report_count" >= 0), CONSTRAINT "CHK_comments_status" CHECK ("status" IN ('published', 'pending', 'approved', 'rejected')), CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_comments_author" ON "comments"  ("author_id", "created_at", "id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_article_reported" ON "comments"  ("article_id", "created_at", "id") WHERE "open_report_count" > 0 AND "deleted_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_reported" ON "comments"  ("created_at", "id") WHERE "open_report_count" > 0 AND "deleted_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_article_queue" ON "comments"  ("article_id", "status", "created_at", "id") WHERE "deleted_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_queue" ON "comments"  ("status", "created_at", "id") WHERE "deleted_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_replies" ON "comments"  ("parent_id", "created_at", "id") WHERE "status" IN ('published', 'approved')`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_thread" ON "comments"  ("article_id", "created_at", "id") WHERE "parent_id" IS NULL AND "status" IN ('published', 'approved')`,
    );
    await queryRunner.query(
      `CREATE TABLE "comment_revisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "comment_id" uuid NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bc0332e55296986d300413ff053" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_comment_revisions_comment" ON "comment_revisions"  ("comment_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("user_id" text NOT NULL, "key" character varying(200) NOT NULL, "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_392b1af86f210d98d3f0c764728" PRIMARY KEY ("user_id", "key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "moderation_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "action" character varying(32) NOT NULL, "actor_id" text, "actor_name" text, "target_type" character varying(16) NOT NULL, "target_id" text NOT NULL, "article_id" uuid, "from_status" character varying(16), "to_status" character varying(16), "reason" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), CONSTRAINT "CHK_moderation_log_target_type" CHECK ("target_type" IN ('comment', 'article', 'user', 'settings')), CONSTRAINT "PK_d0adca6ecfd068db83e4526cc26" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_moderation_log_actor" ON "moderation_log"  ("actor_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_moderation_log_article" ON "moderation_log"  ("article_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_moderation_log_target" ON "moderation_log"  ("target_id", "seq") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_moderation_log_seq" ON "moderation_log"  ("seq") `);
    await queryRunner.query(
      `CREATE TABLE "reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "comment_id" uuid NOT NULL, "user_id" text NOT NULL, "reason" character varying(16) NOT NULL, "note" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP(3) WITH TIME ZONE, "resolved_by" text, CONSTRAINT "CHK_reports_reason" CHECK ("reason" IN ('spam', 'abuse', 'off_topic', 'other')), CONSTRAINT "PK_d9013193989303580053c0b5ef6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_reports_comment_user" ON "reports"  ("comment_id", "user_id") `);
    await queryRunner.query(
      `CREATE TABLE "moderation_settings" ("id" smallint NOT NULL, "banned_words" text array NOT NULL DEFAULT '{}', "suspect_words" text array NOT NULL DEFAULT '{}', "max_links" integer NOT NULL DEFAULT '5', "premod_new_commenters" integer NOT NULL DEFAULT '0', "report_threshold" integer NOT NULL DEFAULT '3', "default_moderation_mode" character varying(8) NOT NULL DEFAULT 'post', "default_disclaimer_text" text NOT NULL DEFAULT 'The comments below have not been moderated.', "default_closed_message" text NOT NULL DEFAULT 'We are no longer accepting comments on this article.', "auto_close_after_days" integer, "edit_window_seconds" integer NOT NULL DEFAULT '600', "max_comment_length" integer NOT NULL DEFAULT '5000', "version" integer NOT NULL DEFAULT '1', "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_moderation_settings_ranges" CHECK ("max_links" >= 0 AND "premod_new_commenters" >= 0 AND "report_threshold" >= 1 AND "edit_window_seconds" >= 0 AND "max_comment_length" >= 1 AND ("auto_close_after_days" IS NULL OR "auto_close_after_days" >= 1)), CONSTRAINT "CHK_moderation_settings_mode" CHECK ("default_moderation_mode" IN ('post', 'pre')), CONSTRAINT "CHK_moderation_settings_single_row" CHECK ("id" = 1), CONSTRAINT "PK_f8991bbeb265cb2a512f3811fe2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_comments_article" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_comments_parent" FOREIGN KEY ("parent_id") REFERENCES "comments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_comments_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment_revisions" ADD CONSTRAINT "FK_comment_revisions_comment" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD CONSTRAINT "FK_idempotency_keys_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reports" ADD CONSTRAINT "FK_reports_comment" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reports" ADD CONSTRAINT "FK_reports_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // The moderation log is append-only: history cannot be rewritten, even by a bug.
    await queryRunner.query(`CREATE FUNCTION "moderation_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'moderation_log is append-only' USING ERRCODE = 'restrict_violation'; END $$`);
    await queryRunner.query(`CREATE TRIGGER "TRG_moderation_log_append_only" BEFORE UPDATE OR DELETE ON "moderation_log"
      FOR EACH ROW EXECUTE FUNCTION "moderation_log_append_only"()`);
    await queryRunner.query(`INSERT INTO "moderation_settings" ("id") VALUES (1)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "TRG_moderation_log_append_only" ON "moderation_log"`);
    await queryRunner.query(`DROP FUNCTION "moderation_log_append_only"()`);
    await queryRunner.query(`ALTER TABLE "reports" DROP CONSTRAINT "FK_reports_user"`);
    await queryRunner.query(`ALTER TABLE "reports" DROP CONSTRAINT "FK_reports_comment"`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP CONSTRAINT "FK_idempotency_keys_user"`);
    await queryRunner.query(`ALTER TABLE "comment_revisions" DROP CONSTRAINT "FK_comment_revisions_comment"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "FK_comments_author"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "FK_comments_parent"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "FK_comments_article"`);
    await queryRunner.query(`DROP TABLE "moderation_settings"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_reports_comment_user"`);
    await queryRunner.query(`DROP TABLE "reports"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_moderation_log_seq"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_moderation_log_target"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_moderation_log_article"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_moderation_log_actor"`);
    await queryRunner.query(`DROP TABLE "moderation_log"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comment_revisions_comment"`);
    await queryRunner.query(`DROP TABLE "comment_revisions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_thread"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_replies"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_queue"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_article_queue"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_reported"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_article_reported"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_author"`);
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_articles_created"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_articles_external_id"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_articles_url"`);
    await queryRunner.query(`DROP TABLE "articles"`);
  }
}
