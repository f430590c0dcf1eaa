import { MigrationInterface, QueryRunner } from 'typeorm';

/** The defaults, which take the place of a limit stored broken or not at all. */
const DEFAULT_LIMITS = `{
  "post": {"limit": 3, "perSeconds": 9},
  "edit": {"limit": 5, "perSeconds": 60},
  "report": {"limit": 10, "perSeconds": 60},
  "createArticle": {"limit": 10, "perSeconds": 600},
  "address": {"limit": 600, "perSeconds": 60}}`;

/**
 * The rate limits setting is always whole: every limit there, each with a whole `limit` (1 to
 * 100000) and `perSeconds` (1 to 86400), the bounds of the settings route. An earlier release
 * stored what a client sent of them; each limit missing or broken gets its default.
 */
export class RateLimitsWhole1796170000120 implements MigrationInterface {
  name = 'RateLimitsWhole1796170000120';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE FUNCTION whole_between(n numeric, low int, high int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $fn$
  SELECT n = trunc(n) AND n BETWEEN low AND high
$fn$`);
    // CASE, not AND: PostgreSQL may evaluate AND's operands in any order, and a cast of text fails.
    await queryRunner.query(`
CREATE FUNCTION valid_rate_limit(l jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN jsonb_typeof(l -> 'limit') = 'number' AND jsonb_typeof(l -> 'perSeconds') = 'number' THEN
    whole_between((l -> 'limit')::numeric, 1, 100000) AND whole_between((l -> 'perSeconds')::numeric, 1, 86400)
  ELSE false END
$fn$`);
    await queryRunner.query(`
CREATE FUNCTION valid_rate_limits(r jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $fn$
  SELECT valid_rate_limit(r -> 'post') AND valid_rate_limit(r -> 'edit') AND valid_rate_limit(r -> 'report')
    AND valid_rate_limit(r -> 'createArticle') AND valid_rate_limit(r -> 'address')
$fn$`);
    await queryRunner.query(`
UPDATE "moderation_settings" s SET "rate_limits" = (
  SELECT jsonb_object_agg(d.key, CASE WHEN valid_rate_limit(s.rate_limits -> d.key) THEN s.rate_limits -> d.key ELSE d.value END)
    FROM jsonb_each('${DEFAULT_LIMITS}'::jsonb) d)
  WHERE NOT valid_rate_limits(s.rate_limits)`);
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD CONSTRAINT "CHK_moderation_settings_rate_limits" CHECK (valid_rate_limits("rate_limits"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "moderation_settings" DROP CONSTRAINT "CHK_moderation_settings_rate_limits"`);
    await queryRunner.query(`DROP FUNCTION valid_rate_limits(jsonb)`);
    await queryRunner.query(`DROP FUNCTION valid_rate_limit(jsonb)`);
    await queryRunner.query(`DROP FUNCTION whole_between(numeric, int, int)`);
  }
}
