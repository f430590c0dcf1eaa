import { ApiProperty } from '@nestjs/swagger';
import { ThreadArticleView } from '../articles/article.view';
import { CommentView } from './comment.view';

/** One comment where it stands in its thread: what a link to it (`#comment-<id>`) opens at. */
export class CommentContextView {
  article: ThreadArticleView;
  @ApiProperty({ type: () => [CommentView], description: 'The comments it answers, the top-level one first' })
  ancestors: CommentView[];
  comment: CommentView;
}
