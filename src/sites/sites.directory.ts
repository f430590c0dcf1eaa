import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rawToEntity } from '../database/raw-entity';
import { sql } from '../database/sql';
import { AppError } from '../errors/app-error';
import { DEFAULT_SITE_ID, Site } from './site.entity';

/** How stale the copy of the sites may be before a request reads them again (a change made on another instance). */
const FRESH_MS = 1000;

/**
 * Every site, read once a second at most: a handful of rows that every request consults (to
 * verify its token, check its origin, find its settings). A key not in the copy is looked for
 * again at once, so a site made on another instance is found by its first request.
 */
@Injectable()
export class SitesDirectory {
  private copy?: { at: number; sites: Promise<Site[]> };

  constructor(private readonly dataSource: DataSource) {}

  async all(): Promise<Site[]> {
    if (!this.copy || Date.now() - this.copy.at > FRESH_MS) this.reload();
    return this.copy!.sites;
  }

  async byId(id: number): Promise<Site> {
    const site = (await this.all()).find((s) => s.id === id) ?? (await this.reloaded()).find((s) => s.id === id);
    if (!site) throw AppError.notFound('The site');
    return site;
  }

  /** The site named by `key`, or a 404 problem. */
  async byKey(key: string): Promise<Site> {
    const site = (await this.all()).find((s) => s.key === key) ?? (await this.reloaded()).find((s) => s.key === key);
    if (!site) throw AppError.notFound('The site');
    return site;
  }

  defaultSite(): Promise<Site> {
    return this.byId(DEFAULT_SITE_ID);
  }

  /** Forgets the copy: the next request reads the sites again (after a change on this instance). */
  forget(): void {
    this.copy = undefined;
  }

  private reloaded(): Promise<Site[]> {
    this.reload();
    return this.copy!.sites;
  }

  private reload(): void {
    const copy = {
      at: Date.now(),
      sites: sql(this.dataSource, 'SELECT * FROM sites ORDER BY id').then(({ rows }) =>
        rows.map((row) => rawToEntity(this.dataSource.manager, Site, row)),
      ),
    };
    copy.sites.catch(() => {
      if (this.copy === copy) this.copy = undefined;
    });
    this.copy = copy;
  }
}
