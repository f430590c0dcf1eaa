import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Buckets are taken from in batches: `granted` is how many requests the last batch let through.
 * `allowed` stays (still written), so that instances of the previous release keep working while
 * a new one rolls out.
 */
export class RateLimitBatches1764331200000 implements MigrationInterface {
  name = 'RateLimitBatches1764331200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rate_limit_buckets" ADD "granted" integer NOT NULL DEFAULT 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rate_limit_buckets" DROP COLUMN "granted"`);
  }
}
