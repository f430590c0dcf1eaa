import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names come in without directional embeddings, overrides and isolates (from tokens and imports);
 * names stored before that lose them too, so that no name can reorder the text shown after it,
 * in the pages' plain-text messages as much as in their markup. Not undone: the controls are gone.
 */
export class NamesWithoutBidiControls1796170000040 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "users" SET "name" = regexp_replace("name", E'[\\u202A-\\u202E\\u2066-\\u2069]', '', 'g')
       WHERE "name" ~ E'[\\u202A-\\u202E\\u2066-\\u2069]'`,
    );
  }

  public async down(): Promise<void> {}
}
