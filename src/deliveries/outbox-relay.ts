import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Environment } from '../config/environment';
import { sql } from '../database/sql';
import { Repeating } from '../common/repeating';
import { Transactions } from '../database/transactions';
import { DeliveryQueue, Dispatch } from './delivery-queue.service';
import { OutboxEvent } from './outbox-event';

/** Who wants to hear of events: the deliveries a batch of them makes (read in the relay's transaction). */
export type FanOut = (events: OutboxEvent[], manager: EntityManager) => Promise<Dispatch[]>;

const BATCH = 200;
/** How often an idle relay looks for events; a full batch is followed at once by the next. */
const IDLE_MS = 250;

/**
 * Moves the outbox's events into the delivery queue, on every instance at once: each takes a
 * batch no other holds (SKIP LOCKED), asks every feature which deliveries it makes, queues them
 * and removes the batch, in one transaction. An instance that dies mid-batch leaves it whole to
 * the next; an event is never turned into its deliveries twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly fanOuts: FanOut[] = [];
  private readonly repeating = new Repeating(() => this.relayOnce(), {
    // A full batch is followed at once by the next.
    after: (count) => (count === BATCH ? 0 : IDLE_MS),
    afterError: (error) => {
      this.logger.warn(`Relaying the outbox failed (${error.message}); trying again shortly`);
      return IDLE_MS * 8;
    },
  });

  constructor(
    private readonly transactions: Transactions,
    private readonly queue: DeliveryQueue,
    private readonly env: Environment,
  ) {}

  /** Features subscribe as they start (before the application has booted). */
  subscribe(fanOut: FanOut): void {
    this.fanOuts.push(fanOut);
  }

  onApplicationBootstrap(): void {
    if (this.env.DELIVERIES === 'on') this.repeating.start(0);
  }

  onApplicationShutdown(): Promise<void> {
    return this.repeating.stop();
  }

  /** One batch relayed; answers how many events it held. */
  async relayOnce(): Promise<number> {
    return this.transactions.run(async (manager) => {
      const { rows } = await sql<{ id: string; site_id: number; type: string; subject: unknown; created_at: Date }>(
        manager,
        `DELETE FROM outbox_events WHERE id IN
           (SELECT id FROM outbox_events ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, site_id, type, subject, created_at`,
        [BATCH],
      );
      if (rows.length === 0) return 0;
      const events = rows.map(
        (r) =>
          ({ id: r.id, siteId: r.site_id, type: r.type, subject: r.subject, createdAt: r.created_at }) as OutboxEvent,
      );
      for (const fanOut of this.fanOuts) await this.queue.send(manager, await fanOut(events, manager));
      return rows.length;
    });
  }
}
