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
 * The same statement tells the moderators' live stream: a held comment, or a decision (naming
 * its actor by id: the stream adds the name as it reads). All of it is the database's
 * log_moderation(), which post_comments() and decide_comment() call too.
 */
@Injectable()
export class ModerationLog {
  async record(manager: EntityManager, record: LogRecord): Promise<void> {
    await sql(manager, `SELECT log_moderation($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      record.action,
      record.actor?.id ?? null,
      record.actor?.name ?? null,
      record.targetType,
      record.targetId,
      record.articleId ?? null,
      record.fromStatus ?? null,
      record.toStatus ?? null,
      record.reason ?? null,
    ]);
  }
}
