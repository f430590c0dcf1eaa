import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderators' digests: by their choice, hourly or daily, an email with what waits in the queues
 * of the sites they moderate. The address is the one they typed, sent nothing until they confirm
 * it by the link emailed to it (a token's verified email claim may replace the typing later).
 */
export class ModeratorDigests1796170064100 implements MigrationInterface {
  name = 'ModeratorDigests1796170064100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "moderator_digests" (
      "user_id" text NOT NULL,
      "site_id" smallint NOT NULL,
      "frequency" character varying(8) NOT NULL,
      "address" text NOT NULL,
      "confirm_hash" bytea,
      "confirmed_at" TIMESTAMP(3) WITH TIME ZONE,
      "site_ids" smallint[] NOT NULL,
      "console_url" text NOT NULL,
      "last_sent_at" TIMESTAMP(3) WITH TIME ZONE,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_moderator_digests" PRIMARY KEY ("user_id"),
      CONSTRAINT "FK_moderator_digests_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE,
      CONSTRAINT "FK_moderator_digests_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_moderator_digests_frequency" CHECK ("frequency" IN ('hourly', 'daily')),
      CONSTRAINT "CHK_moderator_digests_confirmed" CHECK (("confirmed_at" IS NULL) = ("confirm_hash" IS NOT NULL)),
      CONSTRAINT "CHK_moderator_digests_address" CHECK (length("address") BETWEEN 3 AND 254))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_moderator_digests_confirm" ON "moderator_digests" ("confirm_hash") WHERE "confirm_hash" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_moderator_digests_due" ON "moderator_digests" ("last_sent_at") WHERE "confirmed_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "moderator_digests"`);
  }
}
