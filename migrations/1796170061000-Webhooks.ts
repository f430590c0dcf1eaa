import { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_EVENT_TYPES } from '../src/deliveries/outbox-event';

const EVENT_TYPES = OUTBOX_EVENT_TYPES.map((type) => `'${type}'`).join(', ');

/**
 * Webhooks: the endpoints each site's admins register, with the events they want and the secrets
 * that sign what is sent (two while one is rotated), and the log of what was sent to each and how
 * every try went. The sending itself waits in the 'webhook' queue (made with the deliveries).
 */
export class Webhooks1796170061000 implements MigrationInterface {
  name = 'Webhooks1796170061000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "webhook_endpoints" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "site_id" smallint NOT NULL,
      "url" text NOT NULL,
      "description" text NOT NULL DEFAULT '',
      "events" character varying(32)[] NOT NULL,
      "secret" text NOT NULL,
      "previous_secret" text,
      "previous_secret_until" TIMESTAMP(3) WITH TIME ZONE,
      "status" character varying(8) NOT NULL DEFAULT 'active',
      "paused_at" TIMESTAMP(3) WITH TIME ZONE,
      "failing_since" TIMESTAMP(3) WITH TIME ZONE,
      "last_success_at" TIMESTAMP(3) WITH TIME ZONE,
      "last_failure_at" TIMESTAMP(3) WITH TIME ZONE,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_webhook_endpoints" PRIMARY KEY ("id"),
      CONSTRAINT "FK_webhook_endpoints_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "CHK_webhook_endpoints_url" CHECK ("url" ~ '^https?://' AND length("url") <= 2000),
      CONSTRAINT "CHK_webhook_endpoints_description" CHECK (length("description") <= 500),
      CONSTRAINT "CHK_webhook_endpoints_events" CHECK (
        cardinality("events") > 0 AND "events" <@ ARRAY[${EVENT_TYPES}]::character varying(32)[]),
      CONSTRAINT "CHK_webhook_endpoints_status" CHECK ("status" IN ('active', 'paused', 'disabled')),
      CONSTRAINT "CHK_webhook_endpoints_paused" CHECK (("status" = 'active') = ("paused_at" IS NULL)),
      CONSTRAINT "CHK_webhook_endpoints_previous_secret" CHECK (
        ("previous_secret" IS NULL) = ("previous_secret_until" IS NULL)))`);
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_endpoints_site" ON "webhook_endpoints" ("site_id", "created_at", "id")`,
    );

    // One row per message sent to an endpoint (its id is the queue job's, the webhook-id receivers
    // deduplicate by), written at its first try, with the exact body signed: what "send again" resends.
    await queryRunner.query(`CREATE TABLE "webhook_deliveries" (
      "id" uuid NOT NULL,
      "site_id" smallint NOT NULL,
      "endpoint_id" uuid NOT NULL,
      "event_type" character varying(32) NOT NULL,
      "payload" text NOT NULL,
      "attempts" integer NOT NULL DEFAULT 0,
      "delivered_at" TIMESTAMP(3) WITH TIME ZONE,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY ("id"),
      CONSTRAINT "FK_webhook_deliveries_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "FK_webhook_deliveries_endpoint" FOREIGN KEY ("endpoint_id")
        REFERENCES "webhook_endpoints" ("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_webhook_deliveries_attempts" CHECK ("attempts" >= 0))`);
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_endpoint" ON "webhook_deliveries" ("endpoint_id", "created_at", "id")`,
    );
    // The retention sweep's.
    await queryRunner.query(`CREATE INDEX "IDX_webhook_deliveries_created" ON "webhook_deliveries" ("created_at")`);

    await queryRunner.query(`CREATE TABLE "webhook_attempts" (
      "id" bigint GENERATED ALWAYS AS IDENTITY,
      "delivery_id" uuid NOT NULL,
      "site_id" smallint NOT NULL,
      "attempted_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "status" smallint,
      "ok" boolean NOT NULL,
      "answer" text NOT NULL DEFAULT '',
      "duration_ms" integer NOT NULL,
      CONSTRAINT "PK_webhook_attempts" PRIMARY KEY ("id"),
      CONSTRAINT "FK_webhook_attempts_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "FK_webhook_attempts_delivery" FOREIGN KEY ("delivery_id")
        REFERENCES "webhook_deliveries" ("id") ON DELETE CASCADE,
      CONSTRAINT "CHK_webhook_attempts_ok" CHECK (NOT "ok" OR "status" BETWEEN 200 AND 299),
      CONSTRAINT "CHK_webhook_attempts_answer" CHECK (length("answer") <= 1024))`);
    await queryRunner.query(`CREATE INDEX "IDX_webhook_attempts_delivery" ON "webhook_attempts" ("delivery_id", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_attempts"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
