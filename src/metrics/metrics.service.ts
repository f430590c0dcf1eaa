import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { EventStreams } from '../live/event-streams.service';
import { QUEUES, QueueName, readQueueSizes } from '../articles/queue-sizes';
import { workerNumber } from '../config/worker-number';
import { DeliveryQueue } from '../deliveries/delivery-queue.service';
import { registerDeliveryMetrics } from './delivery-metrics';

export type HttpLabel = 'method' | 'route' | 'status_code';

/**
 * The Prometheus registry of one application instance (never prom-client's global one, so that
 * several apps in one process do not clash): HTTP metrics fed by HttpMetrics, the pg pool and the
 * moderation queues read at scrape time, and Node's process metrics.
 */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');

  readonly httpRequests = new Counter<HttpLabel>({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram<HttpLabel>({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to finishing its response, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly queueFailures: Counter;

  /** The read of the queue sizes under way, shared by the metrics of one scrape (and by concurrent scrapes). */
  private queueRead?: Promise<Record<QueueName, number> | null>;

  constructor(
    private readonly dataSource: DataSource,
    streams: EventStreams,
    deliveries: DeliveryQueue,
  ) {
    // With WORKERS > 1 a scrape reaches one worker: every series says which (docs/scaling-out.md).
    const worker = workerNumber();
    if (worker !== undefined) this.registry.setDefaultLabels({ worker: String(worker) });
    collectDefaultMetrics({ register: this.registry });
    this.liveMetrics(streams);
    // A scrape collects in this order. The pool is read (synchronously) before the queue query
    // takes a connection from it, so that the scrape does not see its own query.
    this.poolGauge(
      'comment_desk_db_pool_connections',
      'Connections open in the database pool (idle and in use)',
      (p) => p.totalCount,
    );
    this.poolGauge(
      'comment_desk_db_pool_idle_connections',
      'Idle connections in the database pool',
      (p) => p.idleCount,
    );
    this.poolGauge(
      'comment_desk_db_pool_waiting_requests',
      'Queries waiting for a connection from the database pool',
      (p) => p.waitingCount,
    );
    this.poolGauge(
      'comment_desk_db_pool_max_connections',
      'Size limit of the database pool (DATABASE_POOL_SIZE)',
      (p) => p.options.max ?? 10,
    );
    const queues: Gauge<'queue'> = new Gauge({
      name: 'comment_desk_moderation_queue_comments',
      help: "Comments in each moderation queue (the queue names of /api/moderation/queue/:queue), from the articles' stored counts",
      labelNames: ['queue'],
      registers: [this.registry],
      collect: () => this.collectQueues(queues),
    });
    this.queueFailures = new Counter({
      name: 'comment_desk_moderation_queue_collect_failures_total',
      help: 'Scrapes whose moderation queue sizes could not be read from the database',
      registers: [this.registry],
      // Counted in the scrape that failed: waits for that scrape's read of the queues.
      collect: async () => void (await this.readQueues()),
    });
    registerDeliveryMetrics(this.registry, deliveries);
  }

  /** The text exposition of every metric, with the gauges read now. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  onApplicationShutdown(): void {
    this.registry.clear();
  }

  private liveMetrics(streams: EventStreams): void {
    const open: Gauge<'kind'> = new Gauge({
      name: 'comment_desk_live_streams',
      help: 'Event streams open on this instance, by kind (thread readers, moderators)',
      labelNames: ['kind'],
      registers: [this.registry],
      collect: () => {
        open.set({ kind: 'thread' }, streams.count('thread'));
        open.set({ kind: 'moderation' }, streams.count('moderation'));
      },
    });
    new Gauge({
      name: 'comment_desk_live_max_connections',
      help: 'Event streams this instance holds before refusing more (LIVE_MAX_CONNECTIONS)',
      registers: [this.registry],
      collect() {
        this.set(streams.maxConnections);
      },
    });
    const counters: [string, string, () => number][] = [
      [
        'comment_desk_live_events_sent_total',
        'Events written to streams (one per event and reader)',
        () => streams.stats.eventsSent,
      ],
      [
        'comment_desk_live_readers_dropped_slow_total',
        'Streams dropped because their reader stopped reading',
        () => streams.stats.droppedSlow,
      ],
      [
        'comment_desk_live_connections_refused_total',
        'Streams refused with 503: the instance was full, short of heap, setting up too many at once, or draining',
        () => streams.stats.refused,
      ],
      [
        'comment_desk_live_connections_refused_memory_total',
        'Streams refused with 503 because the heap in use was above LIVE_HEAP_HIGH_WATER_PERCENT',
        () => streams.stats.refusedForMemory,
      ],
    ];
    for (const [name, help, read] of counters) {
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    }
  }

  /** The pg Pool behind TypeORM, while the DataSource is connected. */
  private pool(): Pool | undefined {
    if (!this.dataSource.isInitialized) return undefined;
    return (this.dataSource.driver as unknown as { master?: Pool }).master;
  }

  private poolGauge(name: string, help: string, read: (pool: Pool) => number): void {
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers: [this.registry],
      collect: () => {
        const pool = this.pool();
        if (pool) gauge.set(read(pool));
        else gauge.reset();
      },
    });
  }

  private async collectQueues(gauge: Gauge<'queue'>): Promise<void> {
    const sizes = await this.readQueues();
    if (!sizes) return gauge.reset();
    for (const queue of QUEUES) gauge.set({ queue }, sizes[queue]);
  }

  private readQueues(): Promise<Record<QueueName, number> | null> {
    this.queueRead ??= this.queryQueues().finally(() => (this.queueRead = undefined));
    return this.queueRead;
  }

  /**
   * When the database does not answer, the queue sizes are left out of the scrape (and the
   * failure counted) rather than failing it.
   */
  private async queryQueues(): Promise<Record<QueueName, number> | null> {
    try {
      return await readQueueSizes(this.dataSource);
    } catch (error) {
      this.queueFailures.inc();
      this.logger.warn(`Could not read the moderation queue sizes: ${(error as Error).message}`);
      return null;
    }
  }
}
