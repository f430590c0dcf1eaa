import { Body, Controller, Get, HttpCode, Param, ParseEnumPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { CommentView } from '../comments/comment.view';
import { PageQueryDto } from '../common/pagination';
import { userIdParam } from '../common/user-id';
import { UuidParam } from '../common/uuid.pipe';
import { ApiProblem } from '../openapi/openapi-document';
import { AppError } from '../errors/app-error';
import {
  BanDto,
  BulkDecisionDto,
  CreateUserNoteDto,
  DecisionDto,
  LogQueryDto,
  PremodDto,
  QueueQueryDto,
  RestoreDto,
  SearchCommentsQueryDto,
} from './dto/moderation.dto';
import { QueueName, QUEUES } from '../articles/queue-sizes';
import { ModerationService } from './moderation.service';
import {
  BulkResponseView,
  LogPageView,
  ModeratedUserView,
  QueuePageView,
  UserNotePageView,
  UserNoteView,
} from './moderation.views';

const queuePipe = new ParseEnumPipe(Object.fromEntries(QUEUES.map((q) => [q, q])), {
  exceptionFactory: () => AppError.notFound('The queue'),
});

@ApiTags('moderation')
@ApiBearerAuth()
@Access('moderator')
@Controller('moderation')
export class ModerationController {
  constructor(private readonly moderation: ModerationService) {}

  /** Oldest first; `unmoderated` is what was published and not yet reviewed. */
  @Get('queue/:queue')
  @ApiParam({ name: 'queue', enum: QUEUES })
  queue(@Param('queue', queuePipe) queue: QueueName, @Query() query: QueueQueryDto): Promise<QueuePageView> {
    return this.moderation.queue(queue, query);
  }

  /** Every article and status, newest first: by words or a fragment of the text, author, article, status, time. */
  @Get('comments')
  search(@Query() query: SearchCommentsQueryDto): Promise<QueuePageView> {
    return this.moderation.search(query);
  }

  /** Approves a comment and resolves its open reports; with expectedStatus, a stale decision is a 409. */
  @Post('comments/:id/approve')
  @ApiProblem(409, 'CONFLICT: the comment is no longer in expectedStatus (someone decided first)')
  @HttpCode(200)
  approve(
    @Param('id', UuidParam()) id: string,
    @Body() dto: DecisionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<CommentView> {
    return this.moderation.decide(id, 'approve', dto, user);
  }

  /** Rejects a comment and resolves its open reports; with expectedStatus, a stale decision is a 409. */
  @Post('comments/:id/reject')
  @ApiProblem(409, 'CONFLICT: the comment is no longer in expectedStatus (someone decided first)')
  @HttpCode(200)
  reject(
    @Param('id', UuidParam()) id: string,
    @Body() dto: DecisionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<CommentView> {
    return this.moderation.decide(id, 'reject', dto, user);
  }

  /**
   * Undoes a decision: the comment goes back to `status` (pending or published), only while it is
   * still `expectedStatus`, so that no one else's later decision is undone. The reports that the
   * caller's decision resolved are open again; reports that came since stay open.
   */
  @Post('comments/:id/restore')
  @ApiProblem(409, 'CONFLICT: the comment is no longer in expectedStatus (someone decided first)')
  @HttpCode(200)
  restore(
    @Param('id', UuidParam()) id: string,
    @Body() dto: RestoreDto,
    @CurrentUser() user: AuthUser,
  ): Promise<CommentView> {
    return this.moderation.restore(id, dto, user);
  }

  /** Up to 100 comments; each is decided on its own and reported in `results`. */
  @Post('bulk')
  @HttpCode(200)
  bulk(@Body() dto: BulkDecisionDto, @CurrentUser() user: AuthUser): Promise<BulkResponseView> {
    return this.moderation.bulk(dto, user);
  }

  /** Newest first. */
  @Get('log')
  log(@Query() query: LogQueryDto): Promise<LogPageView> {
    return this.moderation.logEntries(query);
  }

  /** The user: ban and pre-moderation state, comments by status, recent comments. */
  @Get('users/:id')
  user(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<ModeratedUserView> {
    return this.moderation.user(userIdParam(id), user);
  }

  /** Moderators' notes about the user, newest first (visible to moderators only). */
  @Get('users/:id/notes')
  notes(@Param('id') id: string, @Query() query: PageQueryDto): Promise<UserNotePageView> {
    return this.moderation.notes(userIdParam(id), query);
  }

  /** Appends a note about the user; notes are never edited. */
  @Post('users/:id/notes')
  addNote(
    @Param('id') id: string,
    @Body() dto: CreateUserNoteDto,
    @CurrentUser() user: AuthUser,
  ): Promise<UserNoteView> {
    return this.moderation.addNote(userIdParam(id), dto, user);
  }

  /** Bans the user from posting, until a date or until unbanned. */
  @Post('users/:id/ban')
  @HttpCode(200)
  ban(@Param('id') id: string, @Body() dto: BanDto, @CurrentUser() user: AuthUser): Promise<ModeratedUserView> {
    return this.moderation.ban(userIdParam(id), dto, user);
  }

  /** Lifts the user's ban. */
  @Post('users/:id/unban')
  @HttpCode(200)
  unban(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<ModeratedUserView> {
    return this.moderation.unban(userIdParam(id), user);
  }

  /** Hold all of this user's new comments for review. */
  @Post('users/:id/premod')
  @HttpCode(200)
  premod(@Param('id') id: string, @Body() dto: PremodDto, @CurrentUser() user: AuthUser): Promise<ModeratedUserView> {
    return this.moderation.setPremod(userIdParam(id), dto.enabled, user);
  }
}
