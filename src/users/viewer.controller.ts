import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Access, atLeast, AuthUser, Role, roleOn } from '../auth/access.decorator';
import { SitesDirectory } from '../sites/sites.directory';
import { CurrentUser } from '../auth/current-user.decorator';
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
    private readonly sites: SitesDirectory,
  ) {}

  /** The caller, with a ban in force (and its end); a user never seen before is not banned. */
  @Get()
  async me(@CurrentUser() viewer: AuthUser): Promise<ViewerView> {
    const user = await this.dataSource.manager.findOneBy(User, { id: viewer.id });
    const banned = !!user && isBanned({ banned_at: user.bannedAt, ban_until: user.banUntil });
    // Read, not SiteRoles.of: a reader's first look must not record them.
    const granted = await this.dataSource.query<{ site_id: number; role: Role }[]>(
      'SELECT site_id, role FROM site_members WHERE user_id = $1',
      [viewer.id],
    );
    const withRoles = { ...viewer, sites: new Map(granted.map((g) => [g.site_id, g.role])) };
    const sites = (await this.sites.all())
      .map((site) => ({ key: site.key, name: site.name, role: roleOn(withRoles, site.id) }))
      .filter((site): site is ViewerSiteView => atLeast(site.role, 'moderator'));
    return {
      id: viewer.id,
      name: user?.name ?? viewer.name,
      ban: { banned, until: banned ? user!.banUntil : null },
      ...(sites.length > 0 ? { sites } : {}),
    };
  }
}
