import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { ModerationRules } from './moderation-rules';
import { CommentPoster } from './comment-poster';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';
import { ThreadCache } from './thread-cache';

@Module({
  imports: [ArticlesModule],
  controllers: [CommentsController],
  providers: [CommentsService, CommentPoster, ModerationRules, ThreadCache],
  exports: [CommentsService],
})
export class CommentsModule {}
