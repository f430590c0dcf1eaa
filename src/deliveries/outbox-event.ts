/** What happened that the world outside may subscribe to: the types of the outbox's events. */
export const OUTBOX_EVENT_TYPES = [
  'comment.posted',
  'comment.held',
  'comment.reported',
  'comment.approved',
  'comment.rejected',
  'comment.restored',
  'comment.edited',
  'comment.deleted',
  'article.created',
  'article.closed',
  'article.reopened',
  'user.banned',
  'user.unbanned',
] as const;
export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number];

/**
 * What the change was, in the moderation log's terms (a moderators' event, less names): the
 * thing it is about (`targetType`, `targetId`), its article, who did it, and the statuses.
 * A report adds the report; a post has no log entry (`id` is absent).
 */
export interface OutboxSubject {
  id?: string;
  action?: string;
  actor: { id: string } | null;
  targetType: 'comment' | 'article' | 'user' | string;
  targetId: string;
  articleId: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  createdAt: string;
  siteId: number;
  [more: string]: unknown;
}

export interface OutboxEvent {
  /** Unique, in commit order only roughly: a receiver deduplicates by it, never orders by it. */
  id: string;
  siteId: number;
  type: OutboxEventType;
  subject: OutboxSubject;
  createdAt: Date;
}
