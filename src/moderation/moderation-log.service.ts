import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { sql } from '../database/sql';
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
 */
@Injectable()
export class ModerationLog {
  async record(manager: EntityManager, record: LogRecord): Promise<void> {
    await sql(
      manager,
      `WITH actor AS (INSERT INTO users (id, name) SELECT $2::text, $3::text WHERE $2::text IS NOT NULL
                      ON CONFLICT (id) DO NOTHING)
       INSERT INTO moderation_log (action, actor_id, target_type, target_id, article_id, from_status, to_status, reason)
       VALUES ($1, $2, $4, $5, $6, $7, $8, $9)`,
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
