import { Global, Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { LiveController } from './live.controller';
import { ThreadEvents } from './thread-events.service';

@Global()
@Module({
  imports: [ArticlesModule],
  controllers: [LiveController],
  providers: [ThreadEvents],
  exports: [ThreadEvents],
})
export class LiveModule {}
