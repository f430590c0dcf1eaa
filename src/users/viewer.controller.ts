import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Access, atLeast, AuthUser, Role } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { sql } from '../database/sql';
import { SitesDirectory } from '../sites/sites.directory';
import { User } from './user.entity';
import { isBanned } from './users.service';
import { ViewerSiteView, ViewerView } from './users.views';

/** The signed-in reader as the embed needs them before they write: whether they may post. */
@ApiTags('comments')
@ApiBearerAuth()
@Access('user')
@Controller('me')
export class ViewerController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: SitesDirectory,
  ) {}

  /** The caller, with a ban in force (and its end); a user never seen before is not banned. */
  @Get()
  async me(@CurrentUser() viewer: AuthUser): Promise<ViewerView> {
    const [user, sites] = await Promise.all([
      this.dataSource.manager.findOneBy(User, { id: viewer.id }),
      this.staffSites(viewer),
    ]);
    const banned = !!user && isBanned({ banned_at: user.bannedAt, ban_until: user.banUntil });
    return {
      id: viewer.id,
      name: user?.name ?? viewer.name,
      ban: { banned, until: banned ? user!.banUntil : null },
      ...(sites.length > 0 ? { sites } : {}),
    };
  }

  /** Read here, not by the guard: a reader's call records nobody. */
  private async staffSites(viewer: AuthUser): Promise<ViewerSiteView[]> {
    const { rows } = await sql<{ site_id: number; role: Role }>(
      this.dataSource,
      `SELECT site_id, role FROM site_members WHERE user_id = $1`,
      [viewer.id],
    );
    const roles = new Map<number, Role>([[viewer.siteId, viewer.role]]);
    for (const { site_id, role } of rows)
      if (atLeast(role, roles.get(site_id) ?? 'commenter')) roles.set(site_id, role);
    return (await this.directory.all()).flatMap((site) => {
      const role = roles.get(site.id);
      return role === 'moderator' || role === 'admin' ? [{ key: site.key, name: site.name, role }] : [];
    });
  }
}
