import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The database functions are kept as files (migrations/functions/), applied after the versioned
 * migrations whenever a file's text changes: this table remembers the checksum of the text each
 * was last applied from. Versioned migrations never call those functions (they may change later).
 */
export class DatabaseFunctions1796170010000 implements MigrationInterface {
  name = 'DatabaseFunctions1796170010000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "database_functions" ("name" text NOT NULL, "checksum" text NOT NULL, "applied_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_database_functions" PRIMARY KEY ("name"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "database_functions"`);
  }
}
