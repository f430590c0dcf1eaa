import { Article } from '../articles/article.entity';
import { CommentRevision } from '../comments/comment-revision.entity';
import { Comment } from '../comments/comment.entity';
import { IdempotencyKey } from '../comments/idempotency-key.entity';
import { ImportJob } from '../imports/import-job.entity';
import { ModerationLogEntry } from '../moderation/moderation-log-entry.entity';
import { UserNote } from '../moderation/user-note.entity';
import { ModerationEvent } from '../live/moderation-event.entity';
import { ThreadEvent } from '../live/thread-event.entity';
import { RateLimitBucket } from '../rate-limits/rate-limit-bucket.entity';
import { Report } from '../reports/report.entity';
import { ModerationSettings } from '../settings/moderation-settings.entity';
import { User } from '../users/user.entity';

export const ENTITIES = [
  User,
  Article,
  Comment,
  CommentRevision,
  Report,
  ModerationLogEntry,
  ModerationSettings,
  IdempotencyKey,
  RateLimitBucket,
  ThreadEvent,
  ModerationEvent,
  UserNote,
  ImportJob,
];
