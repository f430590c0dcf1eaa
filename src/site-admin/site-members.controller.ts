import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { userIdParam } from '../common/user-id';
import { ApiProblem } from '../openapi/openapi-document';
import { SitesDirectory } from '../sites/sites.directory';
import { GrantRoleDto } from './dto/grant-role.dto';
import { mustAdminister } from './site-admin-access';
import { SiteMembers } from './site-members.service';
import { SiteMemberListView, SiteMemberView } from './site.view';

/** Roles granted on a site to users of any site's login. The site's admins, or an organisation admin. */
@ApiTags('sites')
@ApiBearerAuth()
@Access('admin')
@Controller('admin/sites/:key/members')
export class SiteMembersController {
  constructor(
    private readonly sites: SitesDirectory,
    private readonly members: SiteMembers,
  ) {}

  /** The roles granted on the site (not those that its own tokens carry). */
  @Get()
  async list(@Param('key') key: string, @CurrentUser() user: AuthUser): Promise<SiteMemberListView> {
    const site = await this.sites.byKey(key);
    mustAdminister(user, site);
    return { items: await this.members.list(site) };
  }

  /**
   * Grants a role on the site to the user whom `userSite`'s login knows as `sub` (replacing a
   * role granted before); it holds from the user's next request.
   */
  @Put()
  @ApiProblem(409, "CONFLICT: that user id is another site's user")
  async grant(
    @Param('key') key: string,
    @Body() dto: GrantRoleDto,
    @CurrentUser() user: AuthUser,
  ): Promise<SiteMemberView> {
    const site = await this.sites.byKey(key);
    mustAdminister(user, site);
    return this.members.grant(site, dto, user);
  }

  /** Revokes the role granted to the user (by their stored id); from their next request. */
  @Delete(':userId')
  @HttpCode(204)
  async revoke(
    @Param('key') key: string,
    @Param('userId') userId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    const site = await this.sites.byKey(key);
    mustAdminister(user, site);
    await this.members.revoke(site, userIdParam(userId), user);
  }
}
