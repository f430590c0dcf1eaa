import { Module } from '@nestjs/common';
import { ArticlesController } from './articles.controller';
import { ArticlesService } from './articles.service';
import { ClosingSweeper } from './closing-sweeper';

@Module({
  controllers: [ArticlesController],
  providers: [ArticlesService, ClosingSweeper],
  exports: [ArticlesService, ClosingSweeper],
})
export class ArticlesModule {}
