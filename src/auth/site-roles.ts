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
   * under the right site and grants can name them (and names one granted a role before they
   * were seen). Read on every moderators' request: a revoked grant stops at once.
   */
  async of(user: AuthUser): Promise<ReadonlyMap<number, Role>> {
    const { rows } = await sql<{ site_id: number | null; role: Role | null; own_site: number | null }>(
      this.dataSource,
      `WITH seen AS (
         INSERT INTO users (id, name, site_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING site_id),
       -- (an UPDATE locks only the rows it changes: once named, a user's requests take no lock here)
       named AS (
         UPDATE users SET name = $2, updated_at = now() WHERE id = $1 AND name IS NULL AND $2::text IS NOT NULL)
       SELECT m.site_id, m.role, COALESCE((SELECT site_id FROM seen), (SELECT site_id FROM users WHERE id = $1)) AS own_site
       FROM (SELECT 1) one LEFT JOIN site_members m ON m.user_id = $1`,
      [user.id, user.name, user.siteId],
    );
    // Recorded by a concurrent first request after this statement's snapshot: read it again.
    const ownSite = rows[0]?.own_site ?? (await this.storedSite(user.id));
    if (ownSite !== user.siteId) throw AppError.unauthenticated("The token's user id belongs to another site");
    const roles = new Map<number, Role>();
    for (const row of rows) if (row.site_id !== null && row.role !== null) roles.set(row.site_id, row.role);
    return roles;
  }

  private async storedSite(userId: string): Promise<number | undefined> {
    const { rows } = await sql<{ site_id: number }>(this.dataSource, `SELECT site_id FROM users WHERE id = $1`, [
      userId,
    ]);
    return rows[0]?.site_id;
  }
}
