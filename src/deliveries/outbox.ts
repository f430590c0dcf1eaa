import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import { OutboxEventType, OutboxSubject } from './outbox-event';

/**
 * Records an event for the world outside in `manager`'s transaction, for the changes that the
 * database functions do not record themselves (they do for posts and for everything logged).
 */
export async function recordOutbox(
  manager: EntityManager,
  type: OutboxEventType,
  subject: OutboxSubject,
): Promise<void> {
  await sql(manager, `SELECT record_outbox($1, $2, $3)`, [subject.siteId, type, JSON.stringify(subject)]);
}
