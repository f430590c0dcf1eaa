import { MigrationInterface } from 'typeorm';

/** post_comments()'s repeat check reads the author's recent comments through IDX_comments_author. */
export class RepeatCheckByAuthor1796170000016 implements MigrationInterface {
  name = 'RepeatCheckByAuthor1796170000016';

  public async up(): Promise<void> {
    // The function lives in migrations/functions/post_comments.sql, applied after the migrations.
  }

  public async down(): Promise<void> {}
}
