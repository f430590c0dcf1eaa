import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ArticlesService } from '../articles/articles.service';
import { Access } from '../auth/access.decorator';
import { UuidParam } from '../common/uuid.pipe';
import { AppError } from '../errors/app-error';
import { EventStreams, Follow, StreamReader } from './event-streams.service';
import type { Position } from './position';
import { THREAD_EVENT_TYPES, ThreadEvents } from './thread-events.service';

@ApiTags('comments')
@Controller('articles/:id/comments/stream')
export class LiveController {
  constructor(
    private readonly articles: ArticlesService,
    private readonly streams: EventStreams,
    private readonly events: ThreadEvents,
  ) {}

  /**
   * Server-sent events of a thread: `comment.created`, `comment.edited`, `comment.published`,
   * `comment.hidden`, `comment.deleted` and `article.updated` (closing, reopening, mode and
   * disclaimer), each with the comment or article as readers see it; `heartbeat` every 15 s.
   * Reconnecting with Last-Event-ID resumes without a gap. When the instance has as many readers
   * as it can hold, is short of memory, has too many readers connecting at once, or is shutting
   * down: 503 with a jittered Retry-After; poll the thread with its ETag meanwhile. A reader that stops reading is disconnected, and resumes with Last-Event-ID.
   */
  @Get()
  @Access('public')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless text/event-stream',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiServiceUnavailableResponse({
    description: 'Too many readers on this instance, or connecting at once: retry after Retry-After, poll meanwhile',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: `Resume after this event; types: ${THREAD_EVENT_TYPES.join(', ')}`,
  })
  async stream(
    @Param('id', UuidParam()) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = this.events.parseEventId(lastEventId);
    await this.streams.open(request, reply, 'thread', async () => {
      // A crowd on one article reads it once, not once a reader.
      if (!this.events.following(id) && !(await this.articles.read(id))) throw AppError.notFound('The article');
      await this.events.ready(id);
      return new ThreadFollow(this.events, id, after);
    });
  }
}

/** What a thread's stream follows; an object of its own, not closures: it lives as long as the stream. */
class ThreadFollow implements Follow {
  constructor(
    private readonly events: ThreadEvents,
    private readonly articleId: string,
    private readonly after: Position | undefined,
  ) {}

  join(reader: StreamReader): Promise<void> {
    return this.events.follow(this.articleId, reader, this.after);
  }

  leave(reader?: StreamReader): void {
    this.events.unfollow(this.articleId, reader);
  }
}
