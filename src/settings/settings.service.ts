import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { rawToEntity } from '../database/raw-entity';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { ModerationLog } from '../moderation/moderation-log.service';
import { UpdateSettingsDto } from './dto/update-settings.dto';
import { ModerationSettings } from './moderation-settings.entity';

const SETTINGS_ID = 1;
const CACHE_MS = 1000;

@Injectable()
export class SettingsService {
  private cache?: { at: number; value: Promise<ModerationSettings> };
  private last?: ModerationSettings;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly log: ModerationLog,
  ) {}

  /** The current settings; read per unit of work so that a change applies at once on every instance. */
  async current(on: EntityManager | DataSource = this.dataSource): Promise<ModerationSettings> {
    const { rows } = await sql(on, `SELECT * FROM moderation_settings WHERE id = ${SETTINGS_ID}`);
    return rawToEntity(this.dataSource.manager, ModerationSettings, rows[0]);
  }

  /** The settings from their row as JSON (to_jsonb), as read along with an article's lock. */
  fromRow(row: Record<string, unknown>): ModerationSettings {
    const settings = rawToEntity(this.dataSource.manager, ModerationSettings, row);
    settings.updatedAt = new Date(row.updated_at as string);
    return settings;
  }

  /**
   * The settings as of at most a second ago: for checks on every request (rate limits), where
   * a read per request would cost more than a moment's delay in applying a change.
   */
  async cached(): Promise<ModerationSettings> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) {
      const cache = { at: Date.now(), value: this.current() };
      this.cache = cache;
      cache.value.then(
        (settings) => (this.last = settings),
        () => (this.cache = undefined),
      );
    }
    return this.cache.value;
  }

  /**
   * The settings last read, at once, while a newer read (at most a second apart) goes on: for
   * work that checks the version it decided on, as posting does. A post that waited for every
   * refresh would wait behind the pool's queue, once a second, when the pool is busy.
   */
  async known(): Promise<ModerationSettings> {
    const next = this.cached();
    if (!this.last) return next;
    next.catch(() => undefined); // (a failed refresh is for the next caller to see)
    return this.last;
  }

  /** The settings, read again unless the cached copy is already newer than `version`. */
  async newerThan(version: number): Promise<ModerationSettings> {
    const cached = await this.cached();
    if (cached.version > version) return cached;
    this.cache = undefined;
    return this.cached();
  }

  async update(patch: UpdateSettingsDto, actor: AuthUser): Promise<ModerationSettings> {
    return this.transactions.run(async (manager) => {
      const settings = await manager.findOneOrFail(ModerationSettings, {
        where: { id: SETTINGS_ID },
        lock: { mode: 'pessimistic_write' },
      });
      // A client that does not know the createArticle limit keeps it as it is.
      if (patch.rateLimits)
        patch.rateLimits = {
          ...patch.rateLimits,
          createArticle: patch.rateLimits.createArticle ?? settings.rateLimits.createArticle,
        };
      // Fields left out of the request are own properties holding undefined: take only the others.
      const sent = Object.entries(patch).filter(([, value]) => value !== undefined);
      const changed = sent
        .filter(([key, value]) => JSON.stringify(settings[key as keyof ModerationSettings]) !== JSON.stringify(value))
        .map(([key]) => key);
      if (changed.length === 0) return settings;
      Object.assign(settings, Object.fromEntries(sent), { version: settings.version + 1 });
      const saved = await manager.save(settings);
      this.cache = undefined;
      await this.log.record(manager, {
        action: 'update_settings',
        actor,
        targetType: 'settings',
        targetId: String(SETTINGS_ID),
        reason: `changed ${changed.join(', ')}`,
      });
      return saved;
    });
  }
}
