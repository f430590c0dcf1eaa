import { OUTBOX_EVENT_TYPES, OutboxEventType } from '../deliveries/outbox-event';

/** The events an endpoint may subscribe to: everything the outbox records. */
export const WEBHOOK_EVENT_TYPES = OUTBOX_EVENT_TYPES;
export type WebhookEventType = OutboxEventType;

/** What "send a test event" sends: no endpoint subscribes to it, each may be sent one. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** The queue's job: one message to one endpoint, its body already made (and signed as it is). */
export interface WebhookJobData {
  siteId: number;
  endpointId: string;
  type: string;
  /** The JSON body exactly as it is sent and signed. */
  payload: string;
  /** Sent because an admin asked (a test, or sending again): a paused endpoint gets it too. */
  asked?: boolean;
}

/** Without a success for this long, with failures throughout, an endpoint is paused and its admins told. */
export const PAUSE_AFTER_FAILING_DAYS = 5;
/** How long a rotated-out secret keeps signing beside the new one. */
export const PREVIOUS_SECRET_HOURS = 24;
/** How long the delivery log keeps what was sent and how each try went. */
export const DELIVERY_LOG_DAYS = 30;
/** A receiver has this long to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
