import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module';
import { ReportsModule } from '../reports/reports.module';
import { ModerationController } from './moderation.controller';
import { ModerationService } from './moderation.service';
import { ModerationStreamController } from './moderation-stream.controller';

@Module({
  imports: [CommentsModule, ReportsModule],
  controllers: [ModerationController, ModerationStreamController],
  providers: [ModerationService],
})
export class ModerationModule {}
