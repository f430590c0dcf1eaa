import { MigrationInterface } from 'typeorm';

/** A moderator's decision in one round trip: decide_comment(). */
export class DecideComment1796170000015 implements MigrationInterface {
  name = 'DecideComment1796170000015';

  public async up(): Promise<void> {
    // The function lives in migrations/functions/decide_comment.sql, applied after the migrations.
  }

  public async down(): Promise<void> {}
}
