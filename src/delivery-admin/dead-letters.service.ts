import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { DeliveryQueue } from '../deliveries/delivery-queue.service';
import { DELIVERY_QUEUES, QUEUE_SCHEMA } from '../deliveries/delivery-queues';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import type { Site } from '../sites/site.entity';
import { describe } from './dead-letter-description';
import { DeadLetterView, DeliveriesView, QueueCountsView } from './deliveries.view';

const LISTED = 100;

interface FailedRow {
  id: string;
  name: DeadLetterView['queue'];
  data: Record<string, unknown>;
  created_on: Date;
  completed_on: Date | null;
  retry_count: number;
  output: { message?: string; value?: { message?: string } } | null;
}

/**
 * A site's deliveries as its admins see them (every delivery carries its site): how many wait,
 * retry and are dead in each queue, and the dead letters, which they may send again.
 */
@Injectable()
export class DeadLetters {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly queue: DeliveryQueue,
    private readonly log: ModerationLog,
  ) {}

  async overview(site: Site): Promise<DeliveriesView> {
    const [counts, failed] = await Promise.all([
      sql<QueueCountsView>(
        this.dataSource,
        `SELECT name AS queue,
           count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS waiting,
           count(*) FILTER (WHERE state = 'retry')::int AS retrying,
           count(*) FILTER (WHERE state = 'failed')::int AS dead
         FROM ${QUEUE_SCHEMA}.job
         WHERE name = ANY($1) AND state IN ('created', 'retry', 'failed') AND data->>'siteId' = $2
         GROUP BY name`,
        [DELIVERY_QUEUES, String(site.id)],
      ),
      sql<FailedRow>(
        this.dataSource,
        `SELECT id, name, data, created_on, completed_on, retry_count, output FROM ${QUEUE_SCHEMA}.job
         WHERE name = ANY($1) AND state = 'failed' AND data->>'siteId' = $2
         ORDER BY completed_on DESC NULLS LAST, id LIMIT ${LISTED}`,
        [DELIVERY_QUEUES, String(site.id)],
      ),
    ]);
    return {
      queues: DELIVERY_QUEUES.map(
        (queue) => counts.rows.find((r) => r.queue === queue) ?? { queue, waiting: 0, retrying: 0, dead: 0 },
      ),
      deadLetters: failed.rows.map((row) => ({
        queue: row.name,
        id: row.id,
        createdAt: row.created_on,
        failedAt: row.completed_on,
        tries: row.retry_count + 1,
        lastError: row.output?.message ?? row.output?.value?.message ?? null,
        ...describe(row.name, row.data),
      })),
    };
  }

  /** Sends a dead letter of the site again (a try at once, then the backoff as before); logged. */
  async retry(site: Site, queue: string, id: string, actor: AuthUser): Promise<void> {
    if (!(DELIVERY_QUEUES as readonly string[]).includes(queue)) throw AppError.notFound('The delivery');
    const { rows } = await sql<{ state: string }>(
      this.dataSource,
      `SELECT state FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND id = $2 AND data->>'siteId' = $3`,
      [queue, id, String(site.id)],
    );
    if (!rows[0]) throw AppError.notFound('The delivery');
    await this.transactions.run(async (manager) => {
      if (rows[0].state !== 'failed' || !(await this.queue.retry(queue, id, manager)))
        throw AppError.conflict('This delivery is no longer a dead letter: it was sent again or delivered');
      await this.log.record(manager, {
        action: 'retry_delivery',
        actor,
        targetType: 'site',
        targetId: String(site.id),
        reason: `${queue} ${id}`,
      });
    });
  }
}
