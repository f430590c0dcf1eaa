import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { PageQueryDto } from '../common/pagination';
import { UuidParam } from '../common/uuid.pipe';
import { RateLimit } from '../rate-limits/rate-limit.decorator';
import { AppError } from '../errors/app-error';
import { ApiProblem } from '../openapi/openapi-document';
import { CommentPageView, CommentView, ThreadPage } from './comment.view';
import { CommentContexts } from './comment-context';
import { CommentContextView } from './comment-context.view';
import { CommentEdits } from './comment-edits.service';
import { CommentPoster } from './comment-poster';
import { CachedJson, CommentReads } from './comment-reads.service';
import { CommentRemoval } from './comment-removal.service';
import { CreateCommentDto, ThreadQueryDto, UpdateCommentDto } from './dto/comment.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Pages vary with who is asking; clients revalidate them with the ETag before each use. */
function sendCached(reply: FastifyReply, cached: CachedJson): void {
  reply.header('ETag', cached.etag).header('Cache-Control', 'private, no-cache').header('Vary', 'Authorization');
  if (cached.json === undefined) reply.code(304).send();
  else reply.code(200).type('application/json; charset=utf-8').send(cached.json);
}

@ApiTags('comments')
@Controller()
export class CommentsController {
  constructor(
    private readonly reads: CommentReads,
    private readonly poster: CommentPoster,
    private readonly edits: CommentEdits,
    private readonly removal: CommentRemoval,
    private readonly contexts: CommentContexts,
  ) {}

  /** A page of the thread: top-level comments, each with its reply count and first replies. */
  @Get('articles/:id/comments')
  @Access('public')
  @ApiOkResponse({ type: ThreadPage, description: 'With an ETag; 304 when If-None-Match names the current one' })
  @ApiResponse({ status: 304, description: 'Not Modified: If-None-Match names the current ETag' })
  async thread(
    @Param('id', UuidParam()) articleId: string,
    @Query() query: ThreadQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: FastifyReply,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<void> {
    sendCached(res, await this.reads.thread(articleId, query, viewer, ifNoneMatch));
  }

  /** Posts a comment or a reply; the rules decide its status. A retry with the same Idempotency-Key creates nothing. */
  @Post('articles/:id/comments')
  @Access('user')
  @RateLimit('post')
  @ApiBearerAuth()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key returns the first response',
  })
  @ApiCreatedResponse({ type: CommentView })
  @ApiProblem(
    409,
    'ARTICLE_CLOSED: the article is closed to comments; CONFLICT: the same comment again a moment later, a reply to a comment that is not visible, or a first request with this Idempotency-Key still running',
  )
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
    return (await this.poster.post(articleId, dto, author, idempotencyKey)).body;
  }

  /** The direct replies of a comment, oldest first. */
  @Get('comments/:id/replies')
  @Access('public')
  @ApiOkResponse({ type: CommentPageView, description: 'With an ETag; 304 when If-None-Match names the current one' })
  @ApiResponse({ status: 304, description: 'Not Modified: If-None-Match names the current ETag' })
  async replies(
    @Param('id', UuidParam()) id: string,
    @Query() query: PageQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: FastifyReply,
    @CurrentUser() viewer?: AuthUser,
  ): Promise<void> {
    sendCached(res, await this.reads.replies(id, query, viewer, ifNoneMatch));
  }

  /**
   * A comment with the comments it answers, top-level first, and its article's thread header: what a
   * link to one comment opens. Not found when the viewer could not reach it through the thread.
   */
  @Get('comments/:id/context')
  @Access('public')
  @ApiOkResponse({ type: CommentContextView })
  @ApiProblem(404, 'NOT_FOUND: no such comment, or the viewer may not see it or one of the comments it answers')
  context(@Param('id', UuidParam()) id: string, @CurrentUser() viewer?: AuthUser): Promise<CommentContextView> {
    return this.contexts.read(id, viewer);
  }

  /** A visible comment, or one of the caller's own, or any for a moderator. */
  @Get('comments/:id')
  @Access('public')
  findOne(@Param('id', UuidParam()) id: string, @CurrentUser() viewer?: AuthUser): Promise<CommentView> {
    return this.reads.findOne(id, viewer);
  }

  /** Its author, inside the edit window; the comment is moderated again. */
  @Patch('comments/:id')
  @Access('user')
  @RateLimit('edit')
  @ApiBearerAuth()
  @ApiProblem(
    409,
    'ARTICLE_CLOSED: the article is closed to comments; CONFLICT: the comment was rejected, or the edit window is over',
  )
  edit(@Param('id', UuidParam()) id: string, @Body() dto: UpdateCommentDto, @CurrentUser() user: AuthUser) {
    return this.edits.edit(id, dto.body, user);
  }

  /** Its author or a moderator deletes; with replies it stays in the thread as a tombstone. */
  @Delete('comments/:id')
  @Access('user')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', UuidParam()) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    await this.removal.remove(id, user);
  }
}
