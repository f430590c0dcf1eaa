import { ApiProperty } from '@nestjs/swagger';
import { ModerationLogEntry } from './moderation-log-entry.entity';

export class LogActorView {
  id: string;
  name: string | null;
}

/** What a person needs to read an entry without looking its ids up, as the database has it now. */
export interface LogTargetWords {
  excerpt: string | null;
  articleTitle: string | null;
  targetName: string | null;
}

export const EXCERPT_LENGTH = 140;

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
  /** The id of the site the entry belongs to (GET /api/admin/sites names it). */
  siteId: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: `A comment target: the first ${EXCERPT_LENGTH} characters of its text as it is now; null once deleted or erased`,
  })
  excerpt: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "An article target: its title; a comment target: its article's title",
  })
  articleTitle: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'A user target: their display name as it is now (null once erased)',
  })
  targetName: string | null;

  /** As the log reads it: `words` name what the entry is about. */
  static read(e: ModerationLogEntry, names: Map<string, string | null>, words: LogTargetWords): LogEntryView {
    return { ...LogEntryView.of(e, names), ...words };
  }

  /**
   * As it was written (the live stream's events). `names`: the actors' names as `users` has them
   * now (null once erased).
   */
  static of(e: ModerationLogEntry, names: Map<string, string | null>): Omit<LogEntryView, keyof LogTargetWords> {
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
      siteId: e.siteId,
    };
  }
}
