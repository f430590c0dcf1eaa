import { ApiProperty } from '@nestjs/swagger';
import { fingerprint } from '../identity/site-identity';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from './webhook-events';
import { WebhookPayload } from './webhook-payload';

export const ENDPOINT_STATUSES = ['active', 'paused', 'disabled'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

export interface EndpointRow {
  id: string;
  site_id: number;
  url: string;
  description: string;
  events: WebhookEventType[];
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  status: EndpointStatus;
  paused_at: Date | null;
  failing_since: Date | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export class WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  events: WebhookEventType[];
  @ApiProperty({
    enum: ENDPOINT_STATUSES,
    description:
      'active: sent to; paused: paused by Comment Desk after failing for days without a success (the moderation log says so); disabled: paused by an admin. Resuming makes either active',
  })
  status: EndpointStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  pausedAt: Date | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The first failed try since the last success; null while the endpoint answers',
  })
  failingSince: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSuccessAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastFailureAt: Date | null;
  @ApiProperty({
    type: [String],
    description:
      'SHA-256 of each signing secret, first 12 hex digits: the current one, then the one being rotated out (secrets are shown once, when made)',
  })
  secretFingerprints: string[];
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when the rotated-out secret still signs beside the current one',
  })
  previousSecretUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;

  static of(row: EndpointRow): WebhookEndpointView {
    const rotating = row.previous_secret !== null && row.previous_secret_until! > new Date();
    return {
      id: row.id,
      url: row.url,
      description: row.description,
      events: row.events,
      status: row.status,
      pausedAt: row.paused_at,
      failingSince: row.failing_since,
      lastSuccessAt: row.last_success_at,
      lastFailureAt: row.last_failure_at,
      secretFingerprints: [row.secret, ...(rotating ? [row.previous_secret!] : [])].map(fingerprint),
      previousSecretUntil: rotating ? row.previous_secret_until : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

/** An endpoint just made, or whose secret was just rotated: the new secret, shown this once. */
export class WebhookEndpointWithSecretView extends WebhookEndpointView {
  @ApiProperty({
    description: 'The signing secret (whsec_…), for the receiver to verify with: shown only now, never again',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret: string;
}

export class WebhookEndpointListView {
  items: WebhookEndpointView[];
}

export class WebhookAttemptView {
  attemptedAt: Date;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "The receiver's HTTP status; null: no answer (refused, unreachable, timed out)",
  })
  status: number | null;
  @ApiProperty({ description: 'Whether it was delivered (a 2xx answer)' })
  ok: boolean;
  @ApiProperty({ description: "The answer's first bytes (up to 1 kB), or why there was none" })
  answer: string;
  durationMs: number;
}

export const DELIVERY_STATES = ['delivered', 'waiting', 'retrying', 'dead', 'unknown'] as const;

export class WebhookDeliveryView {
  @ApiProperty({ description: 'The webhook-id the receiver got (the same at every try)' })
  id: string;
  @ApiProperty({ description: 'The event type, or webhook.test' })
  type: string;
  @ApiProperty({
    enum: DELIVERY_STATES,
    description:
      'delivered; waiting (to be tried); retrying (failed, tried again later); dead (failed every try: may be sent again); unknown (no longer in the queue, not delivered)',
  })
  state: (typeof DELIVERY_STATES)[number];
  @ApiProperty({ type: WebhookPayload, description: 'The body as sent (every webhook has this shape)' })
  payload: WebhookPayload;
  createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: Date | null;
  @ApiProperty({ type: [WebhookAttemptView], description: 'Every try, the first first' })
  attempts: WebhookAttemptView[];
}

export class WebhookDeliveryListView {
  @ApiProperty({ type: [WebhookDeliveryView], description: 'The newest first (up to `limit`)' })
  items: WebhookDeliveryView[];
}

export class WebhookQueuedView {
  @ApiProperty({ description: 'The webhook-id of the delivery queued' })
  id: string;
}
