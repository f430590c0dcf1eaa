import { ApiProperty } from '@nestjs/swagger';
import { ModerationLogEntry } from './moderation-log-entry.entity';

export class LogActorView {
  id: string;
  name: string | null;
}

export class LogEntryView {
  id: string;
  action: string;
  @ApiProperty({ type: LogActorView, nullable: true, description: 'null: the system decided' })
  actor: LogActorView | null;
  targetType: string;
  targetId: string;
  articleId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  createdAt: Date;

  /** `names`: the actors' names as `users` has them now (null once erased). */
  static of(e: ModerationLogEntry, names: Map<string, string | null>): LogEntryView {
    return {
      id: e.id,
      action: e.action,
      actor: e.actorId === null ? null : { id: e.actorId, name: names.get(e.actorId) ?? null },
      targetType: e.targetType,
      targetId: e.targetId,
      articleId: e.articleId,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      reason: e.reason,
      createdAt: e.createdAt,
    };
  }
}
