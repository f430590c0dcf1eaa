import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiSiteHeader, RequestSite } from '../auth/request-site.decorator';
import type { Site } from '../sites/site.entity';
import { PageQueryDto } from '../common/pagination';
import { userIdParam } from '../common/user-id';
import { CreateUserNoteDto } from './dto/user-moderation.dto';
import { UserNotes } from './user-notes.service';
import { UserSiteAccess } from './user-site-access';
import { UserNotePageView, UserNoteView } from './users.views';

/**
 * Moderators' notes about a user, beside the user's page in the moderation API. (Each operation
 * keeps the id it was published with, from when these routes shared ModerationController.)
 */
@ApiTags('moderation')
@ApiBearerAuth()
@ApiSiteHeader()
@Access('moderator')
@Controller('moderation/users')
export class UserNotesController {
  constructor(
    private readonly notes: UserNotes,
    private readonly access: UserSiteAccess,
  ) {}

  /** Moderators' notes about the user, newest first (visible to moderators only). */
  @Get(':id/notes')
  @ApiOperation({ operationId: 'ModerationController_notes' })
  async list(
    @Param('id') id: string,
    @Query() query: PageQueryDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<UserNotePageView> {
    const userId = userIdParam(id);
    await this.access.siteOf(userId, user, site);
    return this.notes.list(userId, query);
  }

  /** Appends a note about the user; notes are never edited. */
  @Post(':id/notes')
  @ApiOperation({ operationId: 'ModerationController_addNote' })
  async add(
    @Param('id') id: string,
    @Body() dto: CreateUserNoteDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<UserNoteView> {
    const userId = userIdParam(id);
    await this.access.siteOf(userId, user, site);
    return this.notes.add(userId, dto, user);
  }
}
