import { Counter, Gauge, Registry } from 'prom-client';
import { DeliveryQueue, QueueBacklog } from '../deliveries/delivery-queue.service';
import { DELIVERY_QUEUES } from '../deliveries/delivery-queues';

/**
 * Deliveries (webhooks, emails, Slack) by queue: tries that delivered and that failed on this
 * instance, and, read from the database at scrape time (one query for all four), what waits,
 * what waits for a retry, what is dead, and how long the oldest waiting delivery has waited.
 */
export function registerDeliveryMetrics(registry: Registry, queue: DeliveryQueue): void {
  for (const [name, help, counts] of [
    ['comment_desk_deliveries_sent_total', 'Deliveries made by this instance', queue.stats.sent],
    [
      'comment_desk_deliveries_failed_total',
      'Delivery tries that failed on this instance (retried later, or dead after the last)',
      queue.stats.failed,
    ],
  ] as const)
    new Counter<'queue'>({
      name,
      help,
      labelNames: ['queue'],
      registers: [registry],
      collect() {
        this.reset();
        for (const q of DELIVERY_QUEUES) this.inc({ queue: q }, counts.get(q) ?? 0);
      },
    });
  let reading: Promise<QueueBacklog[]> | undefined;
  // Four gauges, one query: the first to collect in a scrape reads, the others share its answer.
  const backlog = () =>
    // (The database away: the scrape goes on without them.)
    (reading ??= queue
      .backlog()
      .catch(() => [])
      .finally(() => setImmediate(() => (reading = undefined))));
  for (const [name, help, pick] of [
    [
      'comment_desk_deliveries_waiting',
      'Deliveries waiting for a try (a first one or a retry)',
      (b: QueueBacklog) => b.waiting,
    ],
    [
      'comment_desk_deliveries_retrying',
      'Deliveries that failed and wait for a retry',
      (b: QueueBacklog) => b.retrying,
    ],
    [
      'comment_desk_deliveries_dead',
      'Deliveries that failed every retry (dead letters, an admin may send them again)',
      (b: QueueBacklog) => b.dead,
    ],
    [
      'comment_desk_deliveries_oldest_waiting_seconds',
      'How long the oldest waiting delivery has waited',
      (b: QueueBacklog) => b.oldestWaitingSeconds,
    ],
  ] as const)
    new Gauge<'queue'>({
      name,
      help,
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        for (const b of await backlog()) this.set({ queue: b.queue }, pick(b));
      },
    });
}
