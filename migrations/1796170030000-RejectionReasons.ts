import { MigrationInterface, QueryRunner } from 'typeorm';

const DEFAULTS = `'{"Off topic","Abusive or insulting","Spam or advertising","Personal information",Misinformation,Duplicate}'`;

/**
 * The site's list of rejection reasons (short labels a moderator picks from when rejecting), and
 * the label a rejected comment was given, which its author sees. A list has up to 30 labels (none:
 * free text only), each 1 to 60 characters without surrounding spaces, none twice.
 */
export class RejectionReasons1796170030000 implements MigrationInterface {
  name = 'RejectionReasons1796170030000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE FUNCTION valid_reason_labels(labels text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $fn$
  SELECT cardinality(labels) <= 30 AND (SELECT coalesce(bool_and(l IS NOT NULL AND char_length(l) BETWEEN 1 AND 60
      AND l = btrim(l)), true) AND count(DISTINCT l) = count(*) FROM unnest(labels) l)
$fn$`);
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD "rejection_reasons" text array NOT NULL DEFAULT ${DEFAULTS}`,
    );
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD CONSTRAINT "CHK_moderation_settings_rejection_reasons" CHECK (valid_reason_labels("rejection_reasons"))`,
    );
    await queryRunner.query(`ALTER TABLE "comments" ADD "rejection_reason" text`);
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "CHK_comments_rejection_reason" CHECK ("rejection_reason" IS NULL OR char_length("rejection_reason") BETWEEN 1 AND 60)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "rejection_reason"`);
    await queryRunner.query(`ALTER TABLE "moderation_settings" DROP COLUMN "rejection_reasons"`);
    await queryRunner.query(`DROP FUNCTION valid_reason_labels(text[])`);
  }
}
