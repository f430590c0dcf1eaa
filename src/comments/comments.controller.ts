import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { PageQueryDto } from '../common/pagination';
import { UuidParam } from '../common/uuid.pipe';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { AppError } from '../errors/app-error';
import { CommentPageView, CommentView, ThreadPage } from './comment.view';
import { CommentsService } from './comments.service';
import { CreateCommentDto, ThreadQueryDto, UpdateCommentDto } from './dto/comment.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('comments')
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  /** A page of the thread: top-level comments, each with its reply count and first replies. */
  @Get('articles/:id/comments')
  @Access('public')
  thread(
    @Param('id', UuidParam()) articleId: string,
    @Query() query: ThreadQueryDto,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<ThreadPage> {
    return this.comments.thread(articleId, query, viewer);
  }

  @Post('articles/:id/comments')
  @Access('user')
  @RateLimit('post')
  @ApiBearerAuth()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first response' })
  @ApiCreatedResponse({ type: CommentView })
  async create(
    @Param('id', UuidParam()) articleId: string,
    @Body() dto: CreateCommentDto,
    @CurrentUser() author: AuthUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CommentView> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw AppError.validation('Idempotency-Key must be 1 to 200 visible ASCII characters', [
        { field: 'Idempotency-Key', messages: ['invalid'] },
      ]);
    }
    return (await this.comments.create(articleId, dto, author, idempotencyKey)).body;
  }

  /** The direct replies of a comment, oldest first. */
  @Get('comments/:id/replies')
  @Access('public')
  replies(
    @Param('id', UuidParam()) id: string,
    @Query() query: PageQueryDto,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<CommentPageView> {
    return this.comments.replies(id, query, viewer);
  }

  @Get('comments/:id')
  @Access('public')
  findOne(@Param('id', UuidParam()) id: string, @CurrentUser() viewer?: AuthUser): Promise<CommentView> {
    return this.comments.findOne(id, viewer);
  }

  /** Its author, inside the edit window; the comment is moderated again. */
  @Patch('comments/:id')
  @Access('user')
  @RateLimit('edit')
  @ApiBearerAuth()
  edit(@Param('id', UuidParam()) id: string, @Body() dto: UpdateCommentDto, @CurrentUser() user: AuthUser) {
    return this.comments.edit(id, dto.body, user);
  }

  @Delete('comments/:id')
  @Access('user')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', UuidParam()) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    await this.comments.remove(id, user);
  }
}
