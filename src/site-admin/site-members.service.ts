import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { userIdOf } from '../sites/site-users';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { pgCode } from '../errors/pg-errors';
import { ModerationLog } from '../journal/moderation-log.service';
import type { Site } from '../sites/site.entity';
import { SitesDirectory } from '../sites/sites.directory';
import { GrantRoleDto } from './dto/grant-role.dto';
import { SiteMemberView } from './site.view';

/** see_user(): the id is already another site's user. */
const OTHER_SITES_USER = 'CD001';

interface MemberRow {
  user_id: string;
  name: string | null;
  user_site: string;
  role: SiteMemberView['role'];
  granted_by: string | null;
  granted_at: Date;
}

const MEMBER_COLUMNS = `m.user_id, u.name, s.key AS user_site, m.role, m.granted_by, m.granted_at`;

/** Roles granted on a site, beside those its own tokens carry; each grant and revocation is logged. */
@Injectable()
export class SiteMembers {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly log: ModerationLog,
    private readonly sites: SitesDirectory,
  ) {}

  async list(site: Site): Promise<SiteMemberView[]> {
    const { rows } = await sql<MemberRow>(
      this.dataSource,
      `SELECT ${MEMBER_COLUMNS} FROM site_members m JOIN users u ON u.id = m.user_id JOIN sites s ON s.id = u.site_id
       WHERE m.site_id = $1 ORDER BY m.granted_at, m.user_id`,
      [site.id],
    );
    return rows.map(toView);
  }

  /**
   * Grants the role (replacing one held before), recording the user on their own site if they
   * have not been seen yet: they hold it from their next request.
   */
  async grant(site: Site, dto: GrantRoleDto, actor: AuthUser): Promise<SiteMemberView> {
    const userSite = await this.sites.byKey(dto.userSite).catch((error: unknown) => {
      if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
      throw AppError.validation(`userSite: no site has the key "${dto.userSite}"`, [
        { field: 'userSite', messages: ['must be the key of a site'] },
      ]);
    });
    const userId = userIdOf(userSite, dto.sub);
    return this.transactions.run(async (manager) => {
      try {
        await sql(manager, `SELECT 1 FROM see_user($1, NULL, $2::smallint)`, [userId, userSite.id]);
      } catch (error) {
        if (pgCode(error) === OTHER_SITES_USER) throw AppError.conflict(`The user id ${userId} is another site's user`);
        throw error;
      }
      const { rows } = await sql<MemberRow>(
        manager,
        `WITH granted AS (
           INSERT INTO site_members AS m (site_id, user_id, role, granted_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (site_id, user_id) DO UPDATE SET role = EXCLUDED.role, granted_by = EXCLUDED.granted_by, granted_at = now()
           RETURNING m.*)
         SELECT ${MEMBER_COLUMNS} FROM granted m JOIN users u ON u.id = m.user_id JOIN sites s ON s.id = u.site_id`,
        [site.id, userId, dto.role, actor.id],
      );
      await this.log.record(manager, {
        action: 'grant_role',
        actor,
        targetType: 'site',
        targetId: String(site.id),
        reason: `${dto.role} to ${userId}`,
      });
      return toView(rows[0]);
    });
  }

  /** Takes the granted role away (the role the user's own token carries stays theirs). */
  async revoke(site: Site, userId: string, actor: AuthUser): Promise<void> {
    await this.transactions.run(async (manager) => {
      const { rows } = await sql<{ role: string }>(
        manager,
        `DELETE FROM site_members WHERE site_id = $1 AND user_id = $2 RETURNING role`,
        [site.id, userId],
      );
      if (!rows[0]) throw AppError.notFound('The member');
      await this.log.record(manager, {
        action: 'revoke_role',
        actor,
        targetType: 'site',
        targetId: String(site.id),
        reason: `${rows[0].role} from ${userId}`,
      });
    });
  }
}

const toView = (row: MemberRow): SiteMemberView => ({
  userId: row.user_id,
  name: row.name,
  userSite: row.user_site,
  role: row.role,
  grantedBy: row.granted_by,
  grantedAt: row.granted_at,
});
