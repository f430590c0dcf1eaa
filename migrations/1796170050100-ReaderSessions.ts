import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that Comment Desk holds itself, for readers and moderators who signed in with their
 * site's OpenID provider: a refresh token (stored as its hash, replaced on every use) and
 * short-lived access tokens signed with the installation's own key; and the sign-ins under way
 * (state, PKCE verifier, nonce), kept here so that any instance can finish what another began.
 * The page that opened a sign-in collects its tokens with a secret whose hash the attempt keeps
 * (the pickup): a provider's page may cut the popup off from its opener, so no token travels
 * through the window.
 */
export class ReaderSessions1796170050100 implements MigrationInterface {
  name = 'ReaderSessions1796170050100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "installation_keys" (
      "name" text NOT NULL,
      "secret" bytea NOT NULL,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_installation_keys" PRIMARY KEY ("name"),
      CONSTRAINT "CHK_installation_keys_secret" CHECK (length("secret") >= 32))`);
    await queryRunner.query(`CREATE TABLE "sessions" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "site_id" smallint NOT NULL,
      "user_id" text NOT NULL,
      "role" character varying(16) NOT NULL,
      "refresh_hash" bytea NOT NULL,
      "previous_hash" bytea,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "refreshed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "revoked_at" TIMESTAMP(3) WITH TIME ZONE,
      CONSTRAINT "PK_sessions" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_sessions_role" CHECK ("role" IN ('commenter', 'moderator', 'admin')),
      CONSTRAINT "FK_sessions_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "FK_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_sessions_refresh" ON "sessions" ("refresh_hash")`);
    await queryRunner.query(`CREATE INDEX "IDX_sessions_previous" ON "sessions" ("previous_hash")`);
    await queryRunner.query(`CREATE INDEX "IDX_sessions_user" ON "sessions" ("user_id")`);
    await queryRunner.query(`CREATE TABLE "sign_in_attempts" (
      "state" text NOT NULL,
      "site_id" smallint NOT NULL,
      "code_verifier" text NOT NULL,
      "nonce" text NOT NULL,
      "return_origin" text NOT NULL,
      "pickup_hash" bytea NOT NULL,
      "session_id" uuid,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_sign_in_attempts" PRIMARY KEY ("state"),
      CONSTRAINT "FK_sign_in_attempts_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "FK_sign_in_attempts_session" FOREIGN KEY ("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_sign_in_attempts_pickup" ON "sign_in_attempts" ("pickup_hash")`);
    await queryRunner.query(`CREATE INDEX "IDX_sign_in_attempts_created" ON "sign_in_attempts" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sign_in_attempts"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP TABLE "installation_keys"`);
  }
}
