import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { ModerationLog } from '../moderation/moderation-log.service';
import { SettingsService } from '../settings/settings.service';

const SWEEP_EVERY_MS = 30_000;
const SWEEP_LOCK_KEY = 7_305_118_343;

/**
 * Writes down closings that their schedule (closeAt, autoCloseAfterDays) has made due, with a log
 * entry by the system. Posting checks the schedule itself, so this is bookkeeping, not a gate.
 */
@Injectable()
export class ClosingSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClosingSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly transactions: Transactions,
    private readonly settings: SettingsService,
    private readonly log: ModerationLog,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sweep().catch((e) => this.logger.warn(`sweep failed: ${e.message}`)), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Closes what is due; one instance at a time. Returns the ids closed. */
  async sweep(): Promise<string[]> {
    return this.transactions.run(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [SWEEP_LOCK_KEY]);
      if (!locked) return [];
      const settings = await this.settings.current(manager);
      // An UPDATE through TypeORM answers [rows, rowCount].
      const [rows]: [{ id: string; by_schedule: boolean }[], number] = await manager.query(
        `UPDATE articles SET
           closed_at = LEAST(close_at, CASE WHEN NOT auto_close_exempt AND $1::int IS NOT NULL
                                            THEN created_at + make_interval(days => $1::int) END),
           closed_message = $2, updated_at = now()
         WHERE closed_at IS NULL AND (close_at <= now() OR (NOT auto_close_exempt AND $1::int IS NOT NULL
           AND created_at + make_interval(days => $1::int) <= now()))
         RETURNING id, close_at IS NOT NULL AND close_at <= now() AS by_schedule`,
        [settings.autoCloseAfterDays, settings.defaultClosedMessage],
      );
      for (const row of rows) {
        await this.log.record(manager, {
          action: 'close',
          actor: null,
          targetType: 'article',
          targetId: row.id,
          articleId: row.id,
          reason: row.by_schedule ? 'its closeAt time passed' : `open for ${settings.autoCloseAfterDays} days`,
        });
      }
      return rows.map((r) => r.id);
    });
  }
}
