import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { sql } from '../database/sql';
import { CURRENT_XACT, MODERATION_CHANNEL } from './moderation-events-channel';
import { LogTargetType } from './moderation-log-entry.entity';

export interface LogRecord {
  action: string;
  /** null: the system took the decision. */
  actor: AuthUser | null;
  targetType: LogTargetType;
  targetId: string;
  articleId?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
}

/**
 * Writes the moderation log; always given the manager of the transaction that makes the change.
 * The actor is named by id; one seen for the first time is recorded in `users` with their name
 * (kept current there, and erasable, unlike a copy in the append-only log).
 * The same statement tells the moderators' live stream: a held comment, or a decision (naming
 * its actor by id: the stream adds the name as it reads).
 */
@Injectable()
export class ModerationLog {
  async record(manager: EntityManager, record: LogRecord): Promise<void> {
    await sql(
      manager,
      `WITH actor AS (INSERT INTO users (id, name) SELECT $2::text, $3::text WHERE $2::text IS NOT NULL
                      ON CONFLICT (id) DO NOTHING),
       entry AS (
         INSERT INTO moderation_log (action, actor_id, target_type, target_id, article_id, from_status, to_status, reason)
         VALUES ($1, $2, $4, $5, $6, $7, $8, $9) RETURNING *
       ), event AS (
         INSERT INTO moderation_events (xact, type, payload)
         SELECT ${CURRENT_XACT}, CASE WHEN to_status = 'pending' THEN 'comment.held' ELSE 'decision' END,
           jsonb_build_object('id', id, 'action', action,
             'actor', CASE WHEN actor_id IS NULL THEN NULL ELSE jsonb_build_object('id', actor_id) END,
             'targetType', target_type, 'targetId', target_id, 'articleId', article_id,
             'fromStatus', from_status, 'toStatus', to_status, 'reason', reason,
             'createdAt', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
         FROM entry
       )
       SELECT pg_notify('${MODERATION_CHANNEL}', '')`,
      [
        record.action,
        record.actor?.id ?? null,
        record.actor?.name ?? null,
        record.targetType,
        record.targetId,
        record.articleId ?? null,
        record.fromStatus ?? null,
        record.toStatus ?? null,
        record.reason ?? null,
      ],
    );
  }
}
