import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader, RequestSite } from '../auth/request-site.decorator';
import type { Site } from '../sites/site.entity';
import { userIdParam } from '../common/user-id';
import { BanDto, PremodDto } from '../users/dto/user-moderation.dto';
import { UserRestrictions } from '../users/user-restrictions.service';
import { UserSiteAccess } from '../users/user-site-access';
import { BannedUserView, ModeratedUserView } from './moderation.views';
import { UserProfiles } from './user-profiles.service';

/**
 * A user as moderators see them, and the restrictions that answer with that view. (Each operation
 * keeps the id it was published with, from when these routes shared ModerationController.)
 */
@ApiTags('moderation')
@ApiBearerAuth()
@ApiSiteHeader()
@Access('moderator')
@Controller('moderation/users')
export class ModeratedUsersController {
  constructor(
    private readonly profiles: UserProfiles,
    private readonly restrictions: UserRestrictions,
    private readonly access: UserSiteAccess,
  ) {}

  /** The user: ban and pre-moderation state, comments by status, recent comments. */
  @Get(':id')
  @ApiOperation({ operationId: 'ModerationController_user' })
  async user(
    @Param('id') id: string,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<ModeratedUserView> {
    const userId = userIdParam(id);
    await this.access.siteOf(userId, user, site);
    return this.profiles.profile(userId, user);
  }

  /**
   * Bans the user from posting, until a date or until unbanned; with rejectWaiting, rejects their
   * comments still waiting for a moderator in the same transaction.
   */
  @Post(':id/ban')
  @HttpCode(200)
  @ApiOperation({ operationId: 'ModerationController_ban' })
  async ban(
    @Param('id') id: string,
    @Body() dto: BanDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<BannedUserView> {
    const userId = userIdParam(id);
    const siteId = await this.access.siteOf(userId, user, site);
    const waitingRejections = await this.restrictions.ban(userId, siteId, dto, user);
    return { ...(await this.profiles.profile(userId, user)), waitingRejections };
  }

  /** Lifts the user's ban. */
  @Post(':id/unban')
  @HttpCode(200)
  @ApiOperation({ operationId: 'ModerationController_unban' })
  async unban(
    @Param('id') id: string,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<ModeratedUserView> {
    const userId = userIdParam(id);
    await this.access.siteOf(userId, user, site);
    await this.restrictions.unban(userId, user);
    return this.profiles.profile(userId, user);
  }

  /** Hold all of this user's new comments for review. */
  @Post(':id/premod')
  @HttpCode(200)
  @ApiOperation({ operationId: 'ModerationController_premod' })
  async premod(
    @Param('id') id: string,
    @Body() dto: PremodDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<ModeratedUserView> {
    const userId = userIdParam(id);
    const siteId = await this.access.siteOf(userId, user, site);
    await this.restrictions.setPremod(userId, siteId, dto.enabled, user);
    return this.profiles.profile(userId, user);
  }
}
