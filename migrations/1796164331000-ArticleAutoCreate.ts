import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * URL prefixes under which an embed may create an article on its first read (empty: never), and
 * the per-address limit of such creations, kept with the other rate limits.
 */
export class ArticleAutoCreate1796164331000 implements MigrationInterface {
  name = 'ArticleAutoCreate1796164331000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD "article_auto_create_prefixes" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `UPDATE "moderation_settings" SET "rate_limits" = "rate_limits" || '{"createArticle": {"limit": 10, "perSeconds": 600}}'::jsonb`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "moderation_settings" SET "rate_limits" = "rate_limits" - 'createArticle'`);
    await queryRunner.query(`ALTER TABLE "moderation_settings" DROP COLUMN "article_auto_create_prefixes"`);
  }
}
