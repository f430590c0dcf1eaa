import { MigrationInterface, QueryRunner } from 'typeorm';

/** Moderators' notes about a user: appended, never edited (a trigger refuses UPDATE). */
export class UserNotes1764342000000 implements MigrationInterface {
  name = 'UserNotes1764342000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user_notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" text NOT NULL, "author_id" text NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_user_notes_body" CHECK (length("body") BETWEEN 1 AND 2000), CONSTRAINT "PK_user_notes" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_user_notes_user" ON "user_notes" ("user_id", "created_at", "id")`);
    await queryRunner.query(
      `ALTER TABLE "user_notes" ADD CONSTRAINT "FK_user_notes_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_notes" ADD CONSTRAINT "FK_user_notes_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE FUNCTION "user_notes_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'user_notes are append-only' USING ERRCODE = 'restrict_violation'; END $$`);
    await queryRunner.query(`CREATE TRIGGER "TRG_user_notes_append_only" BEFORE UPDATE ON "user_notes"
      FOR EACH ROW EXECUTE FUNCTION "user_notes_append_only"()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "user_notes"`);
    await queryRunner.query(`DROP FUNCTION "user_notes_append_only"()`);
  }
}
