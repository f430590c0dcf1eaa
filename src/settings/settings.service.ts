import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { rawToEntity } from '../database/raw-entity';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import { RateLimitsDto, UpdateSettingsDto } from './dto/update-settings.dto';
import { DEFAULT_SITE_ID } from '../sites/site.entity';
import { ModerationSettings, RATE_LIMIT_NAMES, RateLimits } from './moderation-settings.entity';

const CACHE_MS = 1000;

/** Each site's moderation settings (their row's id is the site's). */
@Injectable()
export class SettingsService {
  private readonly caches = new Map<number, SiteCache>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly log: ModerationLog,
  ) {}

  /** The current settings; read per unit of work so that a change applies at once on every instance. */
  async current(
    siteId = DEFAULT_SITE_ID,
    on: EntityManager | DataSource = this.dataSource,
  ): Promise<ModerationSettings> {
    const { rows } = await sql(on, `SELECT * FROM moderation_settings WHERE id = $1`, [siteId]);
    if (!rows[0]) throw AppError.notFound('The site');
    return rawToEntity(this.dataSource.manager, ModerationSettings, rows[0]);
  }

  /** The settings from their row as JSON (to_jsonb), as read along with an article's lock. */
  fromRow(row: Record<string, unknown>): ModerationSettings {
    const settings = rawToEntity(this.dataSource.manager, ModerationSettings, row);
    settings.updatedAt = new Date(row.updated_at as string);
    return settings;
  }

  /**
   * The settings as of about a second ago: for checks on every request (rate limits, the rules
   * of a post, whose statement checks the settings' version under its locks anyway), where a read
   * per request would cost more than a moment's delay in applying a change. Once a copy is a
   * second old, the next caller starts a read and every caller goes on with the copy until it
   * lands: only the very first read is waited for, so no request queues behind the refresh for a
   * connection of a busy pool.
   */
  async cached(siteId = DEFAULT_SITE_ID): Promise<ModerationSettings> {
    let site = this.caches.get(siteId);
    if (!site) this.caches.set(siteId, (site = { refreshing: false }));
    const cache = site.cache;
    if (!cache) return this.read(site, siteId);
    if (Date.now() - cache.at > CACHE_MS && !site.refreshing) {
      site.refreshing = true;
      const stale = cache;
      stale.at = Date.now(); // tried again a second later if this read fails
      const current = this.current(siteId);
      current.then(
        (settings) => {
          // Not over a copy read after a change (update() drops the cache): this read may be older.
          if (site.cache === stale) site.cache = { at: Date.now(), value: Promise.resolve(settings) };
        },
        () => undefined,
      );
      void current.catch(() => undefined).finally(() => (site.refreshing = false));
    }
    return cache.value;
  }

  /** Reads the settings and keeps them; callers until it lands share the read. */
  private read(site: SiteCache, siteId: number): Promise<ModerationSettings> {
    const cache = { at: Date.now(), value: this.current(siteId) };
    site.cache = cache;
    cache.value.catch(() => {
      if (site.cache === cache) site.cache = undefined;
    });
    return cache.value;
  }

  /** The settings, read again unless the cached copy is already newer than `version`. */
  async newerThan(version: number, siteId = DEFAULT_SITE_ID): Promise<ModerationSettings> {
    const cached = await this.cached(siteId);
    if (cached.version > version) return cached;
    this.forget(siteId);
    return this.cached(siteId);
  }

  /** Drops the copy of a site's settings: the next caller reads them (after a change here). */
  forget(siteId: number): void {
    const site = this.caches.get(siteId);
    if (site) site.cache = undefined;
  }

  async update(siteId: number, patch: UpdateSettingsDto, actor: AuthUser): Promise<ModerationSettings> {
    return this.transactions.run(async (manager) => {
      const settings = await manager.findOne(ModerationSettings, {
        where: { id: siteId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!settings) throw AppError.notFound('The site');
      if (patch.rateLimits) patch.rateLimits = mergeRateLimits(settings.rateLimits, patch.rateLimits);
      // Fields left out of the request are own properties holding undefined: take only the others.
      const sent = Object.entries(patch).filter(([, value]) => value !== undefined);
      const changed = sent
        .filter(([key, value]) => JSON.stringify(settings[key as keyof ModerationSettings]) !== JSON.stringify(value))
        .map(([key]) => key);
      if (changed.length === 0) return settings;
      Object.assign(settings, Object.fromEntries(sent), { version: settings.version + 1 });
      const saved = await manager.save(settings);
      this.forget(siteId);
      await this.log.record(manager, {
        action: 'update_settings',
        actor,
        targetType: 'settings',
        targetId: String(siteId),
        reason: `changed ${changed.join(', ')}`,
      });
      return saved;
    });
  }
}

interface SiteCache {
  cache?: { at: number; value: Promise<ModerationSettings> };
  refreshing: boolean;
}

/**
 * The stored limits with the limits and fields that a change gives: a client that sends some of
 * them keeps the others (the database refuses limits that are not whole). In the stored order of
 * keys, so that a change that changes nothing is seen as such.
 */
function mergeRateLimits(stored: RateLimits, change: RateLimitsDto): RateLimits {
  const merged = structuredClone(stored);
  for (const name of RATE_LIMIT_NAMES) {
    const given = Object.entries(change[name] ?? {}).filter(([, value]) => value !== undefined);
    merged[name] = Object.assign({ ...merged[name] }, Object.fromEntries(given));
  }
  return merged;
}
