import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Repeating } from '../common/repeating';
import { Environment } from '../config/environment';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { Email, Mailer } from '../mail/mailer';
import { NOTIFICATION_KINDS, NotificationKind } from './email-words';
import { NotificationLinks } from './notification-links';
import { digestEmail, NotificationItem } from './reader-emails';

/** Readers whose digests one transaction sends. */
const READERS_PER_BATCH = 100;

/**
 * Sends the hourly and daily digests: a timer on every instance (NOTIFICATION_SWEEP_SECONDS)
 * takes readers with items due that no other instance holds (their preferences' rows, locked
 * with SKIP LOCKED), removes those items and queues one email per reader, in one transaction.
 * An item is due at the end of its period (the hour, or the day in UTC), set when it was written;
 * items of a kind the reader has since turned off, or with no address left, are dropped.
 */
@Injectable()
export class DigestSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Digests');
  private readonly repeating = new Repeating(() => this.sweepAll(), {
    after: () => this.env.NOTIFICATION_SWEEP_SECONDS * 1000,
    afterError: (error) => {
      this.logger.warn(`Sending digests failed (${error.message}); trying again at the next sweep`);
      return this.env.NOTIFICATION_SWEEP_SECONDS * 1000;
    },
  });
  private stopped = false;

  constructor(
    private readonly transactions: Transactions,
    private readonly mailer: Mailer,
    private readonly links: NotificationLinks,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.DELIVERIES === 'on' && this.mailer.enabled)
      this.repeating.start(this.env.NOTIFICATION_SWEEP_SECONDS * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    return this.repeating.stop();
  }

  /** One batch of readers' digests queued; answers how many readers it held. */
  async sweepOnce(): Promise<number> {
    return this.transactions.run(async (m) => {
      const { rows } = await sql<{
        user_id: string;
        site_id: number;
        site_name: string;
        lang: string;
        address: string | null;
        wanted: NotificationKind[];
        items: { kind: NotificationKind; item: NotificationItem }[];
      }>(
        m,
        `WITH readers AS (
           SELECT p.user_id FROM notification_preferences p
           WHERE EXISTS (SELECT 1 FROM notification_digest_items d WHERE d.user_id = p.user_id AND d.due_at <= now())
           LIMIT $1 FOR UPDATE OF p SKIP LOCKED),
         due AS (
           DELETE FROM notification_digest_items d USING readers r
           WHERE d.user_id = r.user_id AND d.due_at <= now() RETURNING d.id, d.user_id, d.kind, d.item)
         SELECT p.user_id, p.site_id, s.name AS site_name, p.lang, ra.address,
                array_remove(ARRAY[CASE WHEN p.replies THEN 'reply' END, CASE WHEN p.approved THEN 'approved' END,
                                    CASE WHEN p.rejected THEN 'rejected' END], NULL) AS wanted,
                json_agg(json_build_object('kind', due.kind, 'item', due.item) ORDER BY due.id) AS items
         FROM due JOIN notification_preferences p ON p.user_id = due.user_id
         JOIN sites s ON s.id = p.site_id
         LEFT JOIN reader_addresses ra ON ra.user_id = p.user_id
         GROUP BY p.user_id, p.site_id, s.name, p.lang, ra.address, p.replies, p.approved, p.rejected`,
        [READERS_PER_BATCH],
      );
      const emails: Email[] = [];
      for (const row of rows) {
        const items = row.items.filter((i) => row.wanted.includes(i.kind) && NOTIFICATION_KINDS.includes(i.kind));
        if (!row.address || items.length === 0) continue;
        const unsubscribeUrl = await this.links.unsubscribeUrl(row.user_id);
        emails.push(
          digestEmail(
            { siteId: row.site_id, siteName: row.site_name, address: row.address, lang: row.lang, unsubscribeUrl },
            items.map((i) => i.item),
          ),
        );
      }
      await this.mailer.send(m, emails);
      return rows.length;
    });
  }

  private async sweepAll(): Promise<void> {
    while (!this.stopped && (await this.sweepOnce()) === READERS_PER_BATCH);
  }
}
