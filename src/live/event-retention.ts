import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

const RETENTION = '1 day';
const PRUNE_EVERY_MS = 10 * 60_000;
/** The live events' tables: readers resume from them for a day, then the events go. */
const TABLES = ['thread_events', 'moderation_events'];

@Injectable()
export class EventRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      for (const table of TABLES) {
        this.dataSource
          .query(`DELETE FROM ${table} WHERE created_at < now() - interval '${RETENTION}'`)
          .catch(() => undefined);
      }
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
