import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { PageQueryDto } from '../common/pagination';
import { userIdParam } from '../common/user-id';
import { CreateUserNoteDto } from './dto/user-moderation.dto';
import { UserNotes } from './user-notes.service';
import { UserNotePageView, UserNoteView } from './users.views';

/**
 * Moderators' notes about a user, beside the user's page in the moderation API. (Each operation
 * keeps the id it was published with, from when these routes shared ModerationController.)
 */
@ApiTags('moderation')
@ApiBearerAuth()
@Access('moderator')
@Controller('moderation/users')
export class UserNotesController {
  constructor(private readonly notes: UserNotes) {}

  /** Moderators' notes about the user, newest first (visible to moderators only). */
  @Get(':id/notes')
  @ApiOperation({ operationId: 'ModerationController_notes' })
  list(@Param('id') id: string, @Query() query: PageQueryDto): Promise<UserNotePageView> {
    return this.notes.list(userIdParam(id), query);
  }

  /** Appends a note about the user; notes are never edited. */
  @Post(':id/notes')
  @ApiOperation({ operationId: 'ModerationController_addNote' })
  add(@Param('id') id: string, @Body() dto: CreateUserNoteDto, @CurrentUser() user: AuthUser): Promise<UserNoteView> {
    return this.notes.add(userIdParam(id), dto, user);
  }
}
