import PgBoss from 'pg-boss';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { DELIVERY_QUEUES, QUEUE_SCHEMA } from '../src/deliveries/delivery-queues';

/**
 * Delivering what happens to the world outside, at least once: the outbox (written by the
 * database functions in the transaction of each change), and the job queue its events become
 * deliveries in. The queue is pg-boss's, installed here from its own construction plan (so the
 * schema still comes only from migrations; a pg-boss upgrade that changes it comes with a
 * migration of its getMigrationPlans()).
 */
export class Deliveries1796170060000 implements MigrationInterface {
  name = 'Deliveries1796170060000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // (Its plan is a transaction of its own; it runs inside this migration's instead.)
    const plan = PgBoss.getConstructionPlans(QUEUE_SCHEMA)
      .replace(/^\s*BEGIN;/, '')
      .replace(/COMMIT;\s*$/, '');
    await queryRunner.query(plan);
    // Retries are set per delivery (DELIVERY_RETRY_*); what is here holds for a job sent without them.
    const options = { retryLimit: 13, retryDelay: 20, retryBackoff: true, expireInSeconds: 120, retentionDays: 14 };
    for (const name of DELIVERY_QUEUES)
      await queryRunner.query(`SELECT ${QUEUE_SCHEMA}.create_queue($1, $2)`, [name, JSON.stringify(options)]);

    await queryRunner.query(`CREATE TABLE "outbox_events" (
      "id" bigint GENERATED ALWAYS AS IDENTITY,
      "site_id" smallint NOT NULL,
      "type" character varying(32) NOT NULL,
      "subject" jsonb NOT NULL,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_outbox_events" PRIMARY KEY ("id"),
      CONSTRAINT "FK_outbox_events_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"))`);
    // Emails kept instead of sent (MAIL_CATCHER), for admins to read: a development machine has no mail server.
    await queryRunner.query(`CREATE TABLE "caught_emails" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "site_id" smallint NOT NULL,
      "message_id" text NOT NULL,
      "to" text NOT NULL,
      "subject" text NOT NULL,
      "text" text NOT NULL,
      "html" text NOT NULL,
      "headers" jsonb NOT NULL DEFAULT '{}',
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_caught_emails" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_caught_emails_message" UNIQUE ("message_id"),
      CONSTRAINT "FK_caught_emails_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "IDX_caught_emails_site_created" ON "caught_emails" ("site_id", "created_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "caught_emails"`);
    await queryRunner.query(`DROP TABLE "outbox_events"`);
    await queryRunner.query(`DROP SCHEMA ${QUEUE_SCHEMA} CASCADE`);
  }
}
