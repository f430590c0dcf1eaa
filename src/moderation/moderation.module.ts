import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module';
import { ReportsModule } from '../reports/reports.module';
import { ModeratedUsersController } from './moderated-users.controller';
import { ModerationDecisions } from './moderation-decisions.service';
import { ModerationLogQueries } from './moderation-log-queries.service';
import { ModerationQueues } from './moderation-queues.service';
import { ModerationStreamController } from './moderation-stream.controller';
import { ModerationController } from './moderation.controller';
import { UserProfiles } from './user-profiles.service';

@Module({
  imports: [CommentsModule, ReportsModule],
  controllers: [ModerationController, ModeratedUsersController, ModerationStreamController],
  providers: [ModerationQueues, ModerationDecisions, ModerationLogQueries, UserProfiles],
})
export class ModerationModule {}
