import { MigrationInterface, QueryRunner } from 'typeorm';
import { ArticleUrlPolicy, normalizeArticleUrl } from '../src/articles/article-url';

/** Query parameters that follow a reader from a share or a campaign and never name an article. */
const TRACKING =
  /^(utm_.*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid|yclid|twclid|ttclid|li_fat_id|s_cid|cmpid|ocid|ref|ref_src|smid|at_medium|at_campaign|ito)$/i;
const BATCH = 1000;

/**
 * Article URLs in one normalized form (see article-url.ts), with the settings that say which query
 * parameters and trailing slashes tell articles apart, and an overall cap on the articles that
 * embeds create in an hour.
 *
 * An installation keeps the articles it has: the query parameters its stored URLs use (tracking
 * ones aside) become the ones that name an article, and a stored URL is rewritten in its normalized
 * form only when no other article has or would take that form (lookups also try the URL as given).
 */
export class ArticleUrls1796170005000 implements MigrationInterface {
  name = 'ArticleUrls1796170005000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD "article_url_query_params" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD "article_url_trailing_slash" character varying(8) NOT NULL DEFAULT 'strip'`,
    );
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD "article_creations_per_hour" integer NOT NULL DEFAULT 100`,
    );
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD CONSTRAINT "CHK_moderation_settings_trailing_slash" CHECK ("article_url_trailing_slash" IN ('strip', 'add', 'keep'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" ADD CONSTRAINT "CHK_moderation_settings_article_creations" CHECK ("article_creations_per_hour" >= 1)`,
    );

    const names = new Set<string>();
    const withQuery: { url: string }[] = await queryRunner.query(`SELECT url FROM articles WHERE url LIKE '%?%'`);
    for (const { url } of withQuery) {
      try {
        for (const name of new URL(url).searchParams.keys())
          if (!TRACKING.test(name) && name.length <= 100) names.add(name);
      } catch {
        // not a URL: left as it is below
      }
    }
    const queryParams = [...names].filter((name) => /^[^\s&=#]+$/.test(name)).slice(0, 50);
    await queryRunner.query(`UPDATE "moderation_settings" SET "article_url_query_params" = $1`, [queryParams]);

    const policy: ArticleUrlPolicy = { queryParams, trailingSlash: 'strip' };
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows: { id: string; url: string }[] = await queryRunner.query(
        `SELECT id, url FROM articles WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      const changes = new Map<string, string>(); // normalized URL -> the id that takes it
      for (const { id, url } of rows) {
        try {
          const normalized = normalizeArticleUrl(url, policy);
          if (normalized !== url && !changes.has(normalized)) changes.set(normalized, id);
        } catch {
          // not an http(s) URL: left as it is
        }
      }
      if (changes.size === 0) continue;
      const taken: { url: string }[] = await queryRunner.query(`SELECT url FROM articles WHERE url = ANY($1)`, [
        [...changes.keys()],
      ]);
      for (const { url } of taken) changes.delete(url);
      await queryRunner.query(
        `UPDATE articles a SET url = c.url FROM unnest($1::uuid[], $2::text[]) AS c(id, url) WHERE a.id = c.id`,
        [[...changes.values()], [...changes.keys()]],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" DROP CONSTRAINT "CHK_moderation_settings_article_creations"`,
    );
    await queryRunner.query(
      `ALTER TABLE "moderation_settings" DROP CONSTRAINT "CHK_moderation_settings_trailing_slash"`,
    );
    await queryRunner.query(`ALTER TABLE "moderation_settings" DROP COLUMN "article_creations_per_hour"`);
    await queryRunner.query(`ALTER TABLE "moderation_settings" DROP COLUMN "article_url_trailing_slash"`);
    await queryRunner.query(`ALTER TABLE "moderation_settings" DROP COLUMN "article_url_query_params"`);
  }
}
