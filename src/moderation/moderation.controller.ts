import { Body, Controller, Get, HttpCode, Param, ParseEnumPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { AllSitesAsked, ApiSiteHeader, ApiSitesQuery, RequestSite } from '../auth/request-site.decorator';
import { listedSites } from '../auth/site-scope';
import type { Site } from '../sites/site.entity';
import { CommentView } from '../comments/comment.view';
import { UuidParam } from '../common/uuid.pipe';
import { ApiProblem } from '../openapi/openapi-document';
import { AppError } from '../errors/app-error';
import {
  BulkDecisionDto,
  DecisionDto,
  LogPeopleQueryDto,
  LogQueryDto,
  QueueQueryDto,
  RestoreDto,
  SearchCommentsQueryDto,
} from './dto/moderation.dto';
import { QueueName, QUEUES } from '../articles/queue-sizes';
import { ModerationDecisions } from './moderation-decisions.service';
import { ModerationLogQueries } from './moderation-log-queries.service';
import { ModerationQueues } from './moderation-queues.service';
import { BulkResponseView, LogPageView, LogPeopleView, QueuePageView } from './moderation.views';

const queuePipe = new ParseEnumPipe(Object.fromEntries(QUEUES.map((q) => [q, q])), {
  exceptionFactory: () => AppError.notFound('The queue'),
});

@ApiTags('moderation')
@ApiBearerAuth()
@ApiSiteHeader()
@Access('moderator')
@Controller('moderation')
export class ModerationController {
  constructor(
    private readonly queues: ModerationQueues,
    private readonly decisions: ModerationDecisions,
    private readonly logQueries: ModerationLogQueries,
  ) {}

  /**
   * Oldest first; `unmoderated` is what was published and not yet reviewed. The request's site's,
   * or with `site=all` those of every site the caller moderates.
   */
  @Get('queue/:queue')
  @ApiSitesQuery()
  @ApiParam({ name: 'queue', enum: QUEUES })
  queue(
    @Param('queue', queuePipe) queue: QueueName,
    @Query() query: QueueQueryDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
    @AllSitesAsked() all: boolean,
  ): Promise<QueuePageView> {
    return this.queues.queue(queue, query, listedSites(user, site, all));
  }

  /**
   * Every article and status, newest first: by words or a fragment of the text, author, article, status, time.
   * The request's site's, or with `site=all` those of every site the caller moderates.
   */
  @Get('comments')
  @ApiSitesQuery()
  search(
    @Query() query: SearchCommentsQueryDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
    @AllSitesAsked() all: boolean,
  ): Promise<QueuePageView> {
    return this.queues.search(query, listedSites(user, site, all));
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
    return this.decisions.decide(id, 'approve', dto, user);
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
    return this.decisions.decide(id, 'reject', dto, user);
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
    return this.decisions.restore(id, dto, user);
  }

  /** Up to 100 comments; each is decided on its own and reported in `results`. */
  @Post('bulk')
  @HttpCode(200)
  bulk(
    @Body() dto: BulkDecisionDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<BulkResponseView> {
    return this.decisions.bulk(dto, user, site.id);
  }

  /** Newest first. The request's site's, or with `site=all` those of every site the caller moderates. */
  @Get('log')
  @ApiSitesQuery()
  log(
    @Query() query: LogQueryDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
    @AllSitesAsked() all: boolean,
  ): Promise<LogPageView> {
    return this.logQueries.entries(query, listedSites(user, site, all));
  }

  /**
   * Everyone who has moderated, named, for choosing whose decisions the log shows. On the request's
   * site, or with `site=all` on any of the caller's.
   */
  @Get('log/moderators')
  @ApiSitesQuery()
  async logModerators(
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
    @AllSitesAsked() all: boolean,
  ): Promise<LogPeopleView> {
    return { items: await this.logQueries.moderators(listedSites(user, site, all)) };
  }

  /**
   * Users by a fragment of their name, or by id, for choosing whom the log is about. The request's
   * site's, or with `site=all` those of every site the caller moderates.
   */
  @Get('log/users')
  @ApiSitesQuery()
  async logUsers(
    @Query() query: LogPeopleQueryDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
    @AllSitesAsked() all: boolean,
  ): Promise<LogPeopleView> {
    return { items: await this.logQueries.people(query, listedSites(user, site, all)) };
  }
}
