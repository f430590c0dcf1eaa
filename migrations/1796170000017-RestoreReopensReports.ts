import { MigrationInterface } from 'typeorm';

/** Taking a decision back also opens again the reports that decision resolved (decide_comment()). */
export class RestoreReopensReports1796170000017 implements MigrationInterface {
  name = 'RestoreReopensReports1796170000017';

  public async up(): Promise<void> {
    // The function lives in migrations/functions/decide_comment.sql, applied after the migrations.
  }

  public async down(): Promise<void> {}
}
