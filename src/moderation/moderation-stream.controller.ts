import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { AllSitesAsked, ApiSiteHeader, ApiSitesQuery, RequestSite } from '../auth/request-site.decorator';
import { listedSites } from '../auth/site-scope';
import type { Site } from '../sites/site.entity';
import { EventStreams } from '../live/event-streams.service';
import { MODERATION_EVENT_TYPES, ModerationEvents } from '../live/moderation-events.service';

@ApiTags('moderation')
@ApiBearerAuth()
@ApiSiteHeader()
@Controller('moderation/stream')
export class ModerationStreamController {
  constructor(
    private readonly streams: EventStreams,
    private readonly events: ModerationEvents,
  ) {}

  /**
   * Server-sent events for moderators, across all articles: `comment.held` and `decision` (each a
   * moderation log entry, as `GET /api/moderation/log` shows it without its excerpt, articleTitle
   * and targetName), `comment.reported` (the report, with the comment's open report count),
   * `queue.counts` (every queue's size: on connecting, then within a second of a change) and
   * `heartbeat`. The token goes in the Authorization header,
   * never in the URL. Reconnecting with Last-Event-ID resumes without a gap. The articles are the
   * request's site's, or with `site=all` those of every site the caller moderates (the queue sizes
   * add theirs up); each event's `siteId` says whose.
   */
  @Get()
  @Access('moderator')
  @ApiSitesQuery()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless text/event-stream',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiServiceUnavailableResponse({ description: 'The instance is full or shutting down: retry after Retry-After' })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: `Resume after this event; types: ${MODERATION_EVENT_TYPES.join(', ')}`,
  })
  stream(
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
    @AllSitesAsked() all: boolean,
  ): Promise<void> {
    const siteIds = listedSites(user, site, all);
    const after = this.events.parseEventId(lastEventId);
    return this.streams.open(request, reply, 'moderation', () => ({
      join: (reader) => this.events.follow(reader, siteIds, after),
      leave: (reader) => this.events.unfollow(reader, siteIds),
    }));
  }
}
