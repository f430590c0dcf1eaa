import { Global, Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { EventRetention } from './event-retention';
import { EventStreams } from './event-streams.service';
import { LiveController } from './live.controller';
import { ModerationEvents } from './moderation-events.service';
import { PgListener } from './pg-listener.service';
import { ThreadEvents } from './thread-events.service';

@Global()
@Module({
  imports: [ArticlesModule],
  controllers: [LiveController],
  providers: [EventStreams, PgListener, ThreadEvents, ModerationEvents, EventRetention],
  exports: [EventStreams, ThreadEvents, ModerationEvents],
})
export class LiveModule {}
