import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { atLeast, AuthUser, Role, roleOn } from '../auth/access.decorator';
import { mustHold } from '../auth/site-access';
import { sql } from '../database/sql';
import { AppError } from '../errors/app-error';
import { subOf } from '../sites/site-users';
import { DEFAULT_SITE_ID, Site } from '../sites/site.entity';
import { SitesDirectory } from '../sites/sites.directory';

/**
 * Which site a user that a moderator names belongs to, and whether the moderator may act there:
 * the user row's site, or, for an id never seen, the request's site (if the id is one that site's
 * login could give, so that no one claims another site's reader in advance). A user of a site the
 * caller does not moderate is answered as missing; one where a moderator lacks the admin role that
 * the action needs, 403.
 */
@Injectable()
export class UserSiteAccess {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sites: SitesDirectory,
  ) {}

  async siteOf(userId: string, caller: AuthUser, requestSite: Site, role: Role = 'moderator'): Promise<number> {
    const {
      rows: [row],
    } = await sql<{ site_id: number }>(this.dataSource, `SELECT site_id FROM users WHERE id = $1`, [userId]);
    let siteId = row?.site_id;
    if (siteId === undefined) {
      if (!(await this.couldBeOf(userId, requestSite))) throw AppError.notFound('The user');
      siteId = requestSite.id;
    }
    if (!atLeast(roleOn(caller, siteId), 'moderator')) throw AppError.notFound('The user');
    mustHold(caller, siteId, role);
    return siteId;
  }

  /** Ids on every site but the first carry the site's key (userIdOf); the first site's carry none of the others'. */
  private async couldBeOf(userId: string, site: Site): Promise<boolean> {
    if (site.id !== DEFAULT_SITE_ID) return subOf(site, userId) !== null;
    const others = (await this.sites.all()).filter((s) => s.id !== DEFAULT_SITE_ID);
    return !others.some((s) => userId.startsWith(`${s.key}:`));
  }
}
