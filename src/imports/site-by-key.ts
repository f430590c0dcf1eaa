import { DataSource } from 'typeorm';
import { sql } from '../database/sql';
import { DEFAULT_SITE_ID } from '../sites/site.entity';
import type { ImportSite } from './import-jobs';

/** The site of `--site KEY`; without it, the first site; null when there is no such site. */
export async function siteByKey(dataSource: DataSource, key: string | undefined): Promise<ImportSite | null> {
  const { rows } = await sql<ImportSite>(
    dataSource,
    key === undefined ? `SELECT id, key FROM sites WHERE id = $1` : `SELECT id, key FROM sites WHERE key = $1`,
    [key ?? DEFAULT_SITE_ID],
  );
  return rows[0] ?? null;
}
