import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sql } from '../database/sql';
import { AppError } from '../errors/app-error';
import { AuthUser, Role } from './access.decorator';

/** A user's roles on every site: their own site's from their token, the others from site_members. */
@Injectable()
export class SiteRoles {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Also records the user on first sight, on their own site, so that what they do is logged
   * under the right site and grants can name them. Read on every moderators' request: a revoked
   * grant stops at once.
   */
  async of(user: AuthUser): Promise<ReadonlyMap<number, Role>> {
    const { rows } = await sql<{ site_id: number | null; role: Role | null; own_site: number }>(
      this.dataSource,
      `WITH seen AS (
         INSERT INTO users (id, name, site_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING site_id)
       SELECT m.site_id, m.role, COALESCE((SELECT site_id FROM seen), (SELECT site_id FROM users WHERE id = $1)) AS own_site
       FROM (SELECT 1) one LEFT JOIN site_members m ON m.user_id = $1`,
      [user.id, user.name, user.siteId],
    );
    let ownSite: number | null = rows[0]?.own_site ?? null;
    // Recorded at the same moment by another request: its row was not in this statement's snapshot.
    if (ownSite === null)
      ownSite =
        (await sql<{ site_id: number }>(this.dataSource, 'SELECT site_id FROM users WHERE id = $1', [user.id])).rows[0]
          ?.site_id ?? null;
    if (ownSite !== user.siteId) throw AppError.unauthenticated("The token's user id belongs to another site");
    const roles = new Map<number, Role>();
    for (const row of rows) if (row.site_id !== null && row.role !== null) roles.set(row.site_id, row.role);
    return roles;
  }
}
