import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Slack alerts, per site: the incoming-webhook URL its admins set (a secret: never read back
 * whole) and what is worth an alert there. A site without a row sends none.
 */
export class SlackAlerts1796170062000 implements MigrationInterface {
  name = 'SlackAlerts1796170062000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "slack_settings" (
      "site_id" smallint NOT NULL,
      "url" text NOT NULL,
      "triggers" text[] NOT NULL DEFAULT '{}',
      "updated_by" text,
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_slack_settings" PRIMARY KEY ("site_id"),
      CONSTRAINT "FK_slack_settings_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_slack_settings_url" CHECK ("url" ~ '^https?://\\S+$' AND length("url") <= 2000),
      CONSTRAINT "CHK_slack_settings_triggers" CHECK (
        "triggers" <@ ARRAY['held', 'reported', 'report_threshold', 'staff_post']::text[]
        AND array_position("triggers", NULL) IS NULL))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "slack_settings"`);
  }
}
