import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in by email link, for sites without a login of their own: each link asked for, kept by
 * the hash of its token (the email holds the token itself) and of the secret with which the page
 * that asked collects the session's tokens. The address is not kept: the reader's id is a keyed
 * hash of it, so no table says which addresses are known.
 */
export class EmailSignIn1796170064000 implements MigrationInterface {
  name = 'EmailSignIn1796170064000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "email_sign_ins" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "site_id" smallint NOT NULL,
      "token_hash" bytea NOT NULL,
      "pickup_hash" bytea NOT NULL,
      "user_id" text NOT NULL,
      "name" text NOT NULL,
      "return_origin" text NOT NULL,
      "lang" character varying(8) NOT NULL DEFAULT 'en',
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "used_at" TIMESTAMP(3) WITH TIME ZONE,
      "session_id" uuid,
      "collected_at" TIMESTAMP(3) WITH TIME ZONE,
      CONSTRAINT "PK_email_sign_ins" PRIMARY KEY ("id"),
      CONSTRAINT "FK_email_sign_ins_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id") ON DELETE CASCADE,
      CONSTRAINT "FK_email_sign_ins_session" FOREIGN KEY ("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_email_sign_ins_used" CHECK (("used_at" IS NULL) = ("session_id" IS NULL)),
      CONSTRAINT "CHK_email_sign_ins_collected" CHECK ("collected_at" IS NULL OR "session_id" IS NOT NULL),
      CONSTRAINT "CHK_email_sign_ins_expiry" CHECK ("expires_at" > "created_at"),
      CONSTRAINT "CHK_email_sign_ins_name" CHECK (length("name") BETWEEN 1 AND 100))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_email_sign_ins_token" ON "email_sign_ins" ("token_hash")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_email_sign_ins_pickup" ON "email_sign_ins" ("pickup_hash")`);
    await queryRunner.query(`CREATE INDEX "IDX_email_sign_ins_created" ON "email_sign_ins" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_sign_ins"`);
  }
}
