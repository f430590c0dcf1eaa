import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_QUEUES, DeliveryQueueName } from '../deliveries/delivery-queues';

/** One queue's deliveries of a site: waiting for a try (a first one or a retry), of those retrying, and dead. */
export class QueueCountsView {
  @ApiProperty({ enum: DELIVERY_QUEUES })
  queue: DeliveryQueueName;
  waiting: number;
  retrying: number;
  dead: number;
}

/** A delivery that failed every try, kept for 30 days: what it was, and why its last try failed. */
export class DeadLetterView {
  @ApiProperty({ enum: DELIVERY_QUEUES })
  queue: DeliveryQueueName;
  /** The delivery's id (the same over its retries). */
  id: string;
  createdAt: Date;
  /** When its last try failed. */
  failedAt: Date | null;
  tries: number;
  lastError: string | null;
  /** Where it was going: a Slack channel, a webhook's host, an email address (masked). */
  receiver: string;
  /** What it was about, in a line. */
  summary: string;
}

/** A site's deliveries: the counts by queue, and its dead letters (the newest 100). */
export class DeliveriesView {
  queues: QueueCountsView[];
  deadLetters: DeadLetterView[];
}
