import { MigrationInterface } from 'typeorm';

/** Posts to several articles in one statement: post_comments_across(). */
export class PostCommentsAcrossArticles1796170000030 implements MigrationInterface {
  name = 'PostCommentsAcrossArticles1796170000030';

  public async up(): Promise<void> {
    // The function lives in migrations/functions/post_comments_across.sql, applied after the migrations.
  }

  public async down(): Promise<void> {}
}
