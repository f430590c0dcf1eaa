import { Module } from '@nestjs/common';
import { ArticleChanges } from './article-changes.service';
import { ArticlesController } from './articles.controller';
import { ArticlesService } from './articles.service';
import { ClosingSweeper } from './closing-sweeper';

@Module({
  controllers: [ArticlesController],
  providers: [ArticlesService, ArticleChanges, ClosingSweeper],
  exports: [ArticlesService, ClosingSweeper],
})
export class ArticlesModule {}
