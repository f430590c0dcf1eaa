import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { Environment } from '../config/environment';
import { sql } from '../database/sql';
import { DELIVERY_QUEUES, DeliveryQueueName, QUEUE_SCHEMA } from './delivery-queues';
import { RetryLater } from './retry-later';

/** What every delivery carries: the site it is for (an admin sees the dead letters of their sites). */
export interface DeliveryData {
  siteId: number;
}

/** A delivery to be queued: its queue, what the worker needs, and when to try it first. */
export interface Dispatch<T extends DeliveryData = DeliveryData> {
  /** One of DELIVERY_QUEUES (a queue must have been made by a migration). */
  queue: string;
  data: T;
  startAfter?: Date;
  /** The job's id (a uuid), when the caller must know it at once; else one is made. */
  id?: string;
}

/** A delivery as its worker gets it. */
export interface DeliveryJob<T extends DeliveryData = DeliveryData> {
  id: string;
  data: T;
  /** Tries before this one. */
  retryCount: number;
  retryLimit: number;
  createdOn: Date;
}

export type DeliveryHandler<T extends DeliveryData> = (job: DeliveryJob<T>) => Promise<void>;

/** Deliveries a worker takes at once, tried side by side: a slow receiver does not hold the others back. */
const BATCH = 50;
const POLL_SECONDS = 0.5;

/**
 * The job queue of deliveries, on PostgreSQL (pg-boss): queued in the caller's transaction, so a
 * change that rolls back queues nothing; tried by one instance at a time (jobs are taken with
 * SKIP LOCKED); retried on an exponential backoff with jitter; failed for good, kept as a dead
 * letter. An instance that dies with deliveries in hand gives them up after DELIVERY_EXPIRE_SECONDS.
 */
@Injectable()
export class DeliveryQueue implements OnApplicationShutdown {
  /** Tries on this instance, by queue: delivered, and failed (to be retried, or dead). */
  readonly stats = { sent: new Map<string, number>(), failed: new Map<string, number>() };
  private readonly logger = new Logger('Deliveries');
  private readonly boss: PgBoss;
  private started?: Promise<unknown>;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema: QUEUE_SCHEMA,
      // The schema and its queues come from migrations.
      migrate: false,
      // Failed deliveries are the dead letters: they stay where an admin finds them for 30 days.
      archiveFailedAfterSeconds: 30 * 24 * 3600,
      schedule: false,
      // Expired deliveries (of an instance that died) are found by this sweep: often enough that
      // one is tried again soon after DELIVERY_EXPIRE_SECONDS, not up to pg-boss's 2 minutes later.
      maintenanceIntervalSeconds: Math.min(120, Math.max(1, Math.floor(env.DELIVERY_EXPIRE_SECONDS / 2))),
    });
    this.boss.on('error', (error) => this.logger.warn(`The delivery queue: ${(error as Error).message}`));
  }

  /** Queues deliveries in `manager`'s transaction, each with the retry policy of the environment. */
  async send(manager: EntityManager, dispatches: Dispatch[]): Promise<void> {
    if (dispatches.length === 0) return;
    await this.start();
    await this.boss.insert(
      dispatches.map((d) => ({
        id: d.id,
        name: d.queue,
        data: d.data,
        startAfter: d.startAfter,
        retryLimit: this.env.DELIVERY_RETRY_LIMIT,
        retryDelay: this.env.DELIVERY_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        expireInSeconds: this.env.DELIVERY_EXPIRE_SECONDS,
      })),
      { db: { executeSql: (text, values) => sql(manager, text, values, { planEachTime: true }) } },
    );
  }

  /**
   * Works a queue on this instance: the handler delivers one job; a throw is a failed try, retried
   * later (or, after the last, a dead letter).
   */
  async work<T extends DeliveryData>(queue: string, handler: DeliveryHandler<T>): Promise<void> {
    await this.start();
    await this.boss.work<T>(
      queue,
      { batchSize: BATCH, pollingIntervalSeconds: POLL_SECONDS, includeMetadata: true },
      async (jobs) => {
        await this.deliver(queue, jobs, handler);
        // A full batch: more are likely waiting. They are taken now rather than after the polling
        // interval (one batch per interval would cap a busy queue at BATCH / POLL_SECONDS a second).
        for (let more = jobs.length === BATCH; more && !this.stopping;) {
          const next = await this.boss.fetch<T>(queue, { batchSize: BATCH, includeMetadata: true });
          if (!next?.length) break;
          await this.deliver(queue, next, handler);
          more = next.length === BATCH;
        }
      },
    );
  }

  /**
   * Tries a batch side by side; completes what was delivered and then fails the rest. Failed only
   * once the whole batch is done: a job failed early could be retried and taken by another
   * instance before this batch ends, and completing the batch then would complete it there, undelivered.
   */
  private async deliver<T extends DeliveryData>(
    queue: string,
    jobs: PgBoss.JobWithMetadata<T>[],
    handler: DeliveryHandler<T>,
  ): Promise<void> {
    const failed: { id: string; error: unknown }[] = [];
    await Promise.all(
      jobs.map(async (job) => {
        try {
          await handler({
            id: job.id,
            data: job.data,
            retryCount: job.retryCount,
            retryLimit: job.retryLimit,
            createdOn: job.createdOn,
          });
          count(this.stats.sent, queue);
        } catch (error) {
          count(this.stats.failed, queue);
          failed.push({ id: job.id, error });
        }
      }),
    );
    const delivered = jobs.filter((job) => !failed.some((f) => f.id === job.id)).map((job) => job.id);
    if (delivered.length > 0) await this.boss.complete(queue, delivered);
    for (const { id, error } of failed) {
      await this.boss.fail(queue, id, { message: messageOf(error) });
      if (error instanceof RetryLater) await this.notBefore(queue, id, error.seconds);
    }
  }

  /** A retry waits at least `seconds` (the receiver's Retry-After), however short its backoff. */
  private async notBefore(queue: string, id: string, seconds: number): Promise<void> {
    await sql(
      this.dataSource,
      `UPDATE ${QUEUE_SCHEMA}.job SET start_after = greatest(start_after, now() + $3 * interval '1 second')
       WHERE name = $1 AND id = $2 AND state = 'retry'`,
      [queue, id, seconds],
    );
  }

  /**
   * Sends a dead letter again: one more try, then the backoff as before. False when it is no longer
   * a dead letter. In `manager`'s transaction when given (with the log entry of who sent it again).
   */
  async retry(queue: string, id: string, manager?: EntityManager): Promise<boolean> {
    const { rowCount } = await sql(
      manager ?? this.dataSource,
      `UPDATE ${QUEUE_SCHEMA}.job SET state = 'retry', retry_limit = retry_limit + 1, start_after = now()
       WHERE name = $1 AND id = $2 AND state = 'failed'`,
      [queue, id],
    );
    return rowCount === 1;
  }

  /** Every queue's deliveries waiting (a first try or a retry), retrying, and dead, with the oldest waiting's age. */
  async backlog(): Promise<QueueBacklog[]> {
    const { rows } = await sql<QueueBacklog>(
      this.dataSource,
      `SELECT name AS queue,
         count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS waiting,
         count(*) FILTER (WHERE state = 'retry')::int AS retrying,
         count(*) FILTER (WHERE state = 'failed')::int AS dead,
         coalesce(extract(epoch FROM now() - min(created_on) FILTER (WHERE state IN ('created', 'retry'))), 0)::float8
           AS "oldestWaitingSeconds"
       FROM ${QUEUE_SCHEMA}.job WHERE name = ANY($1) GROUP BY name`,
      [DELIVERY_QUEUES],
    );
    return DELIVERY_QUEUES.map(
      (queue) =>
        rows.find((r) => r.queue === queue) ?? { queue, waiting: 0, retrying: 0, dead: 0, oldestWaitingSeconds: 0 },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.started) await this.boss.stop({ graceful: true, wait: true, timeout: 10_000, close: false });
  }

  private start(): Promise<unknown> {
    // (A start that failed, the database away, is tried again by the next caller.)
    return (this.started ??= this.boss.start().catch((error: Error) => {
      this.started = undefined;
      throw error;
    }));
  }
}

export interface QueueBacklog {
  queue: DeliveryQueueName;
  waiting: number;
  retrying: number;
  dead: number;
  oldestWaitingSeconds: number;
}

const count = (counts: Map<string, number>, queue: string) => counts.set(queue, (counts.get(queue) ?? 0) + 1);

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);
