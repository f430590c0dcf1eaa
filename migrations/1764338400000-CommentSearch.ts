import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderators' search: words through a full-text index, fragments of text, names, titles and
 * urls through trigram indexes (pg_trgm is a trusted extension: the database's owner may create it).
 */
export class CommentSearch1764338400000 implements MigrationInterface {
  name = 'CommentSearch1764338400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_body_words" ON "comments" USING gin (to_tsvector('simple', "body"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_comments_body_trgm" ON "comments" USING gin ("body" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "IDX_users_name_trgm" ON "users" USING gin ("name" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "IDX_articles_title_trgm" ON "articles" USING gin ("title" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "IDX_articles_url_trgm" ON "articles" USING gin ("url" gin_trgm_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_articles_url_trgm"`);
    await queryRunner.query(`DROP INDEX "IDX_articles_title_trgm"`);
    await queryRunner.query(`DROP INDEX "IDX_users_name_trgm"`);
    await queryRunner.query(`DROP INDEX "IDX_comments_body_trgm"`);
    await queryRunner.query(`DROP INDEX "IDX_comments_body_words"`);
  }
}
