/**
 * The queues that deliveries wait in (pg-boss queues, made by migrations): one per kind of
 * receiver, so that a slow mail server does not hold webhooks back. A delivery that failed every
 * retry stays in its queue as failed: a dead letter, which an admin sees and may send again.
 */
export const DELIVERY_QUEUES = ['webhook', 'email', 'slack'] as const;
export type DeliveryQueueName = (typeof DELIVERY_QUEUES)[number];

/** pg-boss's schema: its tables live apart from ours. */
export const QUEUE_SCHEMA = 'pgboss';
