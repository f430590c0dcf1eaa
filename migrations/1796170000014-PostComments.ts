import { MigrationInterface } from 'typeorm';

/** Posting in one round trip: post_comments(). */
export class PostComments1796170000014 implements MigrationInterface {
  name = 'PostComments1796170000014';

  public async up(): Promise<void> {
    // The function lives in migrations/functions/post_comments.sql, applied after the migrations.
  }

  public async down(): Promise<void> {}
}
