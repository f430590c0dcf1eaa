import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { ModerationRules } from '../rules/moderation-rules';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';
import { ThreadCache } from './thread-cache';

@Module({
  imports: [ArticlesModule],
  controllers: [CommentsController],
  providers: [CommentsService, ModerationRules, ThreadCache],
  exports: [CommentsService],
})
export class CommentsModule {}
