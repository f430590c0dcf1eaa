import { DataSource } from 'typeorm';

/** The moderators' queues. */
export const QUEUES = ['pending', 'reported', 'unmoderated', 'approved', 'rejected'] as const;
export type QueueName = (typeof QUEUES)[number];

/** The queues of /api/moderation/queue/:queue and the article counter that holds each one's size. */
const QUEUE_COUNTERS: Record<QueueName, string> = {
  pending: 'count_pending',
  unmoderated: 'count_published',
  approved: 'count_approved',
  rejected: 'count_rejected',
  reported: 'count_reported',
};

export type QueueSizes = Record<QueueName, number>;

/**
 * One query over the articles' counters, which move in the same transaction as every comment
 * (so they equal a recount): no scan of the comments. Those of `siteIds`' articles, or of all.
 */
export async function readQueueSizes(dataSource: DataSource, siteIds?: number[]): Promise<QueueSizes> {
  const sums = QUEUES.map((q) => `COALESCE(sum(${QUEUE_COUNTERS[q]}), 0)::float8 AS ${q}`).join(', ');
  const [row]: QueueSizes[] = siteIds
    ? await dataSource.query(`SELECT ${sums} FROM articles WHERE site_id = ANY($1::smallint[])`, [siteIds])
    : await dataSource.query(`SELECT ${sums} FROM articles`);
  return Object.fromEntries(QUEUES.map((q) => [q, Number(row[q])])) as QueueSizes;
}
