import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { ModerationRules } from '../rules/moderation-rules';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';

@Module({
  imports: [ArticlesModule],
  controllers: [CommentsController],
  providers: [CommentsService, ModerationRules],
  exports: [CommentsService],
})
export class CommentsModule {}
