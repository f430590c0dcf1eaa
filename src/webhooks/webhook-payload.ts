import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommentView } from '../comments/comment.view';
import { WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE } from './webhook-events';

export class WebhookActor {
  id: string;
  @ApiProperty({ type: String, nullable: true })
  name: string | null;
}

/** The article as the API shows it, less its counts and notice. */
export class WebhookArticle {
  id: string;
  url: string;
  title: string;
  @ApiProperty({ type: String, nullable: true })
  externalId: string | null;
  @ApiProperty({ enum: ['post', 'pre'] })
  moderationMode: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set when closed by hand' })
  closedAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  closedMessage: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it is set to close' })
  closeAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
}

/** A reader as moderators see them. */
export class WebhookUser {
  id: string;
  @ApiProperty({ type: String, nullable: true, description: 'null once erased' })
  name: string | null;
  banned: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  bannedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: until lifted' })
  banUntil: string | null;
  @ApiProperty({ type: String, nullable: true })
  banReason: string | null;
  @ApiProperty({ description: 'Their comments wait for a moderator' })
  premoderated: boolean;
}

export class WebhookReport {
  id: string;
  reason: string;
  @ApiProperty({ description: "The comment's open reports, this one included" })
  openReportCount: number;
}

/** What happened, as the moderation log says it. */
export class WebhookChange {
  @ApiProperty({
    description:
      "The moderation log's action (approve, reject, restore, hold, edit, delete, create_article, close, reopen, ban, unban), or post, or report",
  })
  action: string;
  @ApiProperty({ type: String, nullable: true })
  fromStatus: string | null;
  @ApiProperty({ type: String, nullable: true })
  toStatus: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The moderator's reason, where one was given" })
  reason: string | null;
}

export class WebhookEventData {
  @ApiProperty({ description: 'The event (the same in the message to every endpoint it is sent to)' })
  eventId: string;
  @ApiProperty({ description: "The site's key" })
  site: string;
  @ApiPropertyOptional({
    type: WebhookActor,
    description: 'Who did it; left out when Comment Desk did (an automatic hold)',
  })
  actor?: WebhookActor;
  @ApiPropertyOptional({
    type: CommentView,
    description:
      'comment.* events: the comment as moderators see it as the event is sent (deleted ones keep their text)',
  })
  comment?: CommentView;
  @ApiPropertyOptional({ type: WebhookArticle, description: "The article, or the comment's article" })
  article?: WebhookArticle;
  @ApiPropertyOptional({ type: WebhookUser, description: 'user.* events: the user' })
  user?: WebhookUser;
  @ApiPropertyOptional({ type: WebhookReport, description: 'comment.reported: the report' })
  report?: WebhookReport;
  change: WebhookChange;
}

/**
 * The body of every webhook (Standard Webhooks): POSTed as JSON with the headers webhook-id
 * (the same at every try: deduplicate by it), webhook-timestamp and webhook-signature.
 */
export class WebhookPayload {
  @ApiProperty({ enum: [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE] })
  type: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When it happened' })
  timestamp: string;
  @ApiProperty({ description: 'webhook.test: only eventId, site and change (action test)' })
  data: WebhookEventData;
}
