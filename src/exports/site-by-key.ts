import { DataSource } from 'typeorm';
import { sql } from '../database/sql';
import { DEFAULT_SITE_ID, Site } from '../sites/site.entity';

/** The site of the CLIs' `--site KEY` (export and import), else the first site; null if there is none. */
export async function siteByKey(
  dataSource: DataSource,
  key: string | undefined,
): Promise<Pick<Site, 'id' | 'key'> | null> {
  const { rows } = await sql<Pick<Site, 'id' | 'key'>>(
    dataSource,
    key === undefined ? `SELECT id, key FROM sites WHERE id = $1` : `SELECT id, key FROM sites WHERE key = $1`,
    [key ?? DEFAULT_SITE_ID],
  );
  return rows[0] ?? null;
}
