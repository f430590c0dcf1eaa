import { Controller, Headers, MessageEvent, Param, Sse } from '@nestjs/common';
import { ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import { interval, map, merge, Observable } from 'rxjs';
import { ArticlesService } from '../articles/articles.service';
import { Access } from '../auth/access.decorator';
import { UuidParam } from '../common/uuid.pipe';
import { AppError } from '../errors/app-error';
import { THREAD_EVENT_TYPES, ThreadEvents } from './thread-events.service';

const HEARTBEAT_MS = 15_000;
const VERSION = /^\d{1,18}$/;

@ApiTags('comments')
@Controller('articles/:id/comments/stream')
export class LiveController {
  constructor(
    private readonly articles: ArticlesService,
    private readonly events: ThreadEvents,
  ) {}

  /**
   * Server-sent events of a thread: `comment.created`, `comment.edited`, `comment.published`,
   * `comment.hidden`, `comment.deleted` and `article.updated` (closing, reopening, mode and
   * disclaimer), each with the comment or article as readers see it; `heartbeat` every 15 s.
   * Reconnecting with Last-Event-ID resumes without a gap.
   */
  @Sse()
  @Access('public')
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: `Resume after this event; types: ${THREAD_EVENT_TYPES.join(', ')}`,
  })
  async stream(
    @Param('id', UuidParam()) id: string,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    if (!(await this.articles.read(id))) throw AppError.notFound('The article');
    const events = this.events
      .stream(id, lastEventId !== undefined && VERSION.test(lastEventId) ? lastEventId : undefined)
      .pipe(map((event): MessageEvent => ({ id: event.id, type: event.type, data: event.data as object })));
    const heartbeats = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: '' })));
    return merge(events, heartbeats);
  }
}
