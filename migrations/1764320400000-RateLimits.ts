import { MigrationInterface, QueryRunner } from 'typeorm';

export class RateLimits1764320400000 implements MigrationInterface {
  name = 'RateLimits1764320400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Counters need no crash safety: UNLOGGED spares them the write-ahead log.
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "rate_limit_buckets" ("key" text NOT NULL, "tokens" double precision NOT NULL, "allowed" boolean NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_rate_limit_buckets" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_rate_limit_buckets_expires" ON "rate_limit_buckets" ("expires_at")`);
    await queryRunner.query(`ALTER TABLE "moderation_settings" ADD "rate_limits" jsonb`);
    await queryRunner.query(`UPDATE "moderation_settings" SET "rate_limits" = '{
      "post": {"limit": 3, "perSeconds": 9},
      "edit": {"limit": 5, "perSeconds": 60},
      "report": {"limit": 10, "perSeconds": 60},
      "address": {"limit": 600, "perSeconds": 60}}'`);
    await queryRunner.query(`ALTER TABLE "moderation_settings" ALTER COLUMN "rate_limits" SET NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "moderation_settings" DROP COLUMN "rate_limits"`);
    await queryRunner.query(`DROP TABLE "rate_limit_buckets"`);
  }
}
