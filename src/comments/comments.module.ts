import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { ModerationRules } from './moderation-rules';
import { CommentContexts } from './comment-context';
import { CommentPoster } from './comment-poster';
import { CommentsController } from './comments.controller';
import { CommentEdits } from './comment-edits.service';
import { CommentReads } from './comment-reads.service';
import { CommentRemoval } from './comment-removal.service';
import { CommentRows } from './comment-rows';
import { ThreadCache } from './thread-cache';

@Module({
  imports: [ArticlesModule],
  controllers: [CommentsController],
  providers: [
    CommentRows,
    CommentReads,
    CommentContexts,
    CommentPoster,
    CommentEdits,
    CommentRemoval,
    ModerationRules,
    ThreadCache,
  ],
  exports: [CommentRows],
})
export class CommentsModule {}
