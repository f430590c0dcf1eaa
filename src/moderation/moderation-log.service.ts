import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { LogTargetType, ModerationLogEntry } from './moderation-log-entry.entity';

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

/** Writes the moderation log; always given the manager of the transaction that makes the change. */
@Injectable()
export class ModerationLog {
  async record(manager: EntityManager, record: LogRecord): Promise<void> {
    await manager.insert(ModerationLogEntry, {
      action: record.action,
      actorId: record.actor?.id ?? null,
      actorName: record.actor?.name ?? null,
      targetType: record.targetType,
      targetId: record.targetId,
      articleId: record.articleId ?? null,
      fromStatus: record.fromStatus ?? null,
      toStatus: record.toStatus ?? null,
      reason: record.reason ?? null,
    });
  }
}
