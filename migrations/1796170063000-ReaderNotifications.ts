import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Readers' email notifications: where to write to a reader (an address their site's login
 * vouched for, or one they confirmed by a link), what they want to hear of and how often, what
 * waits for their next digest, and the confirmation links under way (stored as hashes, expiring).
 * Everything is per user, and goes with the user.
 */
export class ReaderNotifications1796170063000 implements MigrationInterface {
  name = 'ReaderNotifications1796170063000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "reader_addresses" (
      "user_id" text NOT NULL,
      "site_id" smallint NOT NULL,
      "address" character varying(320) NOT NULL,
      "verified_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "verified_by" character varying(8) NOT NULL,
      CONSTRAINT "PK_reader_addresses" PRIMARY KEY ("user_id"),
      CONSTRAINT "CHK_reader_addresses_verified_by" CHECK ("verified_by" IN ('claim', 'link')),
      CONSTRAINT "CHK_reader_addresses_address" CHECK ("address" ~ '^[^\\s@]+@[^\\s@]+$'),
      CONSTRAINT "FK_reader_addresses_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "FK_reader_addresses_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)`);
    await queryRunner.query(`CREATE TABLE "notification_preferences" (
      "user_id" text NOT NULL,
      "site_id" smallint NOT NULL,
      "replies" boolean NOT NULL DEFAULT false,
      "approved" boolean NOT NULL DEFAULT false,
      "rejected" boolean NOT NULL DEFAULT false,
      "frequency" character varying(9) NOT NULL DEFAULT 'immediate',
      "lang" character varying(16) NOT NULL DEFAULT 'en',
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_notification_preferences" PRIMARY KEY ("user_id"),
      CONSTRAINT "CHK_notification_preferences_frequency" CHECK ("frequency" IN ('immediate', 'hourly', 'daily')),
      CONSTRAINT "FK_notification_preferences_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "FK_notification_preferences_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)`);
    await queryRunner.query(`CREATE TABLE "notification_digest_items" (
      "id" bigint GENERATED ALWAYS AS IDENTITY,
      "site_id" smallint NOT NULL,
      "user_id" text NOT NULL,
      "kind" character varying(8) NOT NULL,
      "item" jsonb NOT NULL,
      "due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_notification_digest_items" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_notification_digest_items_kind" CHECK ("kind" IN ('reply', 'approved', 'rejected')),
      CONSTRAINT "FK_notification_digest_items_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "FK_notification_digest_items_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)`);
    await queryRunner.query(
      `CREATE INDEX "IDX_notification_digest_items_due" ON "notification_digest_items" ("due_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notification_digest_items_user" ON "notification_digest_items" ("user_id")`,
    );
    await queryRunner.query(`CREATE TABLE "address_confirmations" (
      "token_hash" bytea NOT NULL,
      "user_id" text NOT NULL,
      "site_id" smallint NOT NULL,
      "address" character varying(320) NOT NULL,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_address_confirmations" PRIMARY KEY ("token_hash"),
      CONSTRAINT "CHK_address_confirmations_expiry" CHECK ("expires_at" > "created_at"),
      CONSTRAINT "FK_address_confirmations_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "FK_address_confirmations_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)`);
    await queryRunner.query(`CREATE INDEX "IDX_address_confirmations_user" ON "address_confirmations" ("user_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "address_confirmations"`);
    await queryRunner.query(`DROP TABLE "notification_digest_items"`);
    await queryRunner.query(`DROP TABLE "notification_preferences"`);
    await queryRunner.query(`DROP TABLE "reader_addresses"`);
  }
}
